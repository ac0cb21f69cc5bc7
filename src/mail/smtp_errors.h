#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace rd::mail {

// How far an SMTP conversation got: the last command the client sent.
enum class SmtpPhase {
  kConnect,    // nothing sent yet: resolving, connecting, waiting for the greeting
  kHello,      // EHLO, HELO, STARTTLS or AUTH
  kSender,     // MAIL FROM
  kRecipient,  // RCPT TO
  kData,       // DATA, before the server's 354
  kBody,       // the message and its final ".", after 354
};

// How one failed SMTP conversation ended, as libcurl reports it.
struct SmtpFailure {
  int curl_code = 0;   // the CURLcode of curl_easy_perform
  long smtp_code = 0;  // the last SMTP reply code; 0 if none
  SmtpPhase phase = SmtpPhase::kConnect;
  std::string detail;  // libcurl's error buffer; used only for connection and TLS failures
};

// The one table from a failed send to an error the job queue acts on. `server` is
// "host:port" and starts the message ("SMTP server host:port ...").
//   kUnavailable (retry later): the host cannot be resolved or reached, a timeout, a dropped
//     connection, a TLS failure (STARTTLS required but not offered, an untrusted
//     certificate), a refused login (fixing smtp.username or smtp.password lets the retries
//     succeed), any 4xx reply, a 5xx reply before MAIL FROM (the server, not this message, is
//     the problem) and 530/534/535/538 (authentication or TLS required) at any point.
//   kInvalidArgument (do not retry): any other 5xx reply to MAIL FROM, RCPT TO, DATA or the
//     message: the sender, the recipient or the message is refused for good.
//   kInternal: anything else (a libcurl misuse, out of memory).
// The message names the server, the step and, when known, the SMTP reply code. It never
// contains the server's reply text, which often quotes the address ("550 <someone@example.com>:
// no such user"), nor anything else from the email.
core::Error DescribeSmtpFailure(const SmtpFailure& failure, std::string_view server);

}  // namespace rd::mail
