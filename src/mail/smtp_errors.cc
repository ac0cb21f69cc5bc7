#include "mail/smtp_errors.h"

#include <curl/curl.h>

namespace rd::mail {
namespace {

bool IsTlsFailure(int code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
      return true;
    default:
      return false;
  }
}

// Failures of the connection itself, after which any reply code is one from an earlier,
// successful step.
bool IsConnectionFailure(int code) {
  switch (code) {
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_REMOTE_ACCESS_DENIED:
      return true;
    default:
      return false;
  }
}

// 530 "authentication required" / "must issue STARTTLS first", 534 "mechanism too weak",
// 535 "credentials invalid", 538 "encryption required": configuration, not the message.
bool IsSessionRefusal(long smtp) {
  return smtp == 530 || smtp == 534 || smtp == 535 || smtp == 538;
}

const char* Refused(SmtpPhase phase) {
  switch (phase) {
    case SmtpPhase::kSender:
      return "refused the sender";
    case SmtpPhase::kRecipient:
      return "refused the recipient";
    case SmtpPhase::kData:
    case SmtpPhase::kBody:
      return "refused the message";
    case SmtpPhase::kConnect:
    case SmtpPhase::kHello:
      break;
  }
  return "refused the session";
}

std::string Code(long smtp) { return "SMTP " + std::to_string(smtp); }

std::string Detail(const SmtpFailure& f) {
  return f.detail.empty() ? curl_easy_strerror(static_cast<CURLcode>(f.curl_code)) : f.detail;
}

}  // namespace

core::Error DescribeSmtpFailure(const SmtpFailure& f, std::string_view server) {
  const std::string who = "SMTP server " + std::string(server) + " ";
  const auto unavailable = [&](const std::string& what) {
    return core::Error{core::Errc::kUnavailable, who + what};
  };
  const bool has_reply = f.smtp_code >= 400 && f.smtp_code <= 599;

  switch (f.curl_code) {
    case CURLE_USE_SSL_FAILED:
      return unavailable(
          "does not offer STARTTLS or refused it, and smtp.starttls requires it: TLS unavailable" +
          (has_reply ? " (" + Code(f.smtp_code) + ")" : std::string()));
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      return unavailable("refused the login" +
                         (has_reply ? " (" + Code(f.smtp_code) + ")" : std::string()) +
                         "; check smtp.username and smtp.password");
    case CURLE_COULDNT_RESOLVE_HOST:
      return unavailable("cannot be resolved (" + Detail(f) + ")");
    case CURLE_COULDNT_CONNECT:
      return unavailable("cannot be reached (" + Detail(f) + ")");
    case CURLE_OPERATION_TIMEDOUT:
      return unavailable("did not answer in time (" + Detail(f) + ")");
    default:
      break;
  }
  if (IsTlsFailure(f.curl_code)) return unavailable("TLS failed (" + Detail(f) + ")");

  if (has_reply && f.smtp_code < 500) {
    return unavailable("deferred the message (" + Code(f.smtp_code) + "); retry later");
  }
  if (has_reply) {
    if (IsSessionRefusal(f.smtp_code)) {
      return unavailable("requires authentication or TLS first (" + Code(f.smtp_code) +
                         "); check smtp.username, smtp.password and smtp.starttls");
    }
    if (f.phase == SmtpPhase::kConnect || f.phase == SmtpPhase::kHello) {
      return unavailable("refused the session (" + Code(f.smtp_code) + ")");
    }
    return core::Error{core::Errc::kInvalidArgument,
                       who + Refused(f.phase) + " for good (" + Code(f.smtp_code) + ")"};
  }
  if (IsConnectionFailure(f.curl_code)) {
    return unavailable("closed or broke the connection (" +
                       std::string(curl_easy_strerror(static_cast<CURLcode>(f.curl_code))) + ")");
  }
  return core::Error{core::Errc::kInternal,
                     who + "could not be used: libcurl failed (" +
                         curl_easy_strerror(static_cast<CURLcode>(f.curl_code)) + ")"};
}

}  // namespace rd::mail
