#pragma once

#include <string>

#include "core/clock.h"
#include "core/mailer.h"
#include "core/result.h"

namespace rd::mail {

// The outgoing mail server; the fields mirror the smtp.* configuration keys.
struct SmtpOptions {
  std::string host;                        // name or address (IPv6 with or without brackets)
  int port = 587;                          // 1-65535
  std::string from = "privacy@localhost";  // sender when an email names none
  std::string username;                    // AUTH when not empty
  std::string password;
  // Require STARTTLS (the server must offer it, else kUnavailable). false sends everything,
  // credentials included, in the clear: only for a relay on the same host or in tests.
  bool starttls = true;
  bool tls_verify = true;    // check the server's certificate and name against the system CAs
  int timeout_seconds = 30;  // for one whole conversation, connecting included
};

// core::Mailer over SMTP with libcurl: one connection per Send (EHLO, STARTTLS when required,
// AUTH when a user name is set, MAIL FROM, RCPT TO, DATA, QUIT). The message is composed by
// ComposeMessage (mail/mime_message.h): Date from `clock`, the email's Message-ID or a new
// random "<hex@sender-domain>" when it has none.
//
// Thread-safe: each Send uses its own libcurl handle, so any number of threads may send at
// once. `clock` must outlive the mailer.
//
// Send's errors (see DescribeSmtpFailure in mail/smtp_errors.h for the full table):
//   kInvalidArgument: the email is malformed (ComposeMessage's checks: CR or LF in a header,
//     an address without '@', ...) and nothing was sent; or the server refused the sender,
//     the recipient or the message for good (5xx). Do not retry.
//   kUnavailable: no smtp.host, the server cannot be reached or answers too late, TLS is
//     required but unavailable or fails, the login is refused, or a temporary (4xx) refusal.
//     Retry later.
// Messages name the server as host:port and the SMTP reply code when there is one; they never
// contain an address, the subject or the body.
//
// A body line starting with "." arrives intact: libcurl dot-stuffs the upload (RFC 5321
// 4.5.2), which the SMTP test checks.
class SmtpMailer final : public core::Mailer {
 public:
  SmtpMailer(SmtpOptions options, const core::Clock& clock);

  [[nodiscard]] core::Status Send(const core::OutgoingEmail& email) override;

 private:
  const SmtpOptions options_;
  const core::Clock& clock_;
};

// Initializes libcurl for the process (curl_global_init) the first time it is called; later
// calls return the first result. Thread-safe. Call it from the composition root before
// starting threads; Send calls it too, so forgetting it is harmless. libcurl is never cleaned
// up: it lives as long as the process.
[[nodiscard]] core::Status InitCurl();

}  // namespace rd::mail
