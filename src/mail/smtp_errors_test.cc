#include "mail/smtp_errors.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <string>

namespace rd::mail {
namespace {

constexpr const char* kServer = "mail.example.org:587";

core::Error Describe(CURLcode code, long smtp, SmtpPhase phase, std::string detail = "") {
  return DescribeSmtpFailure(SmtpFailure{code, smtp, phase, std::move(detail)}, kServer);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(SmtpFailures, PermanentRefusalsOfSenderRecipientOrMessageAreNotRetried) {
  struct Case {
    long smtp;
    SmtpPhase phase;
    CURLcode code;
    const char* what;
  };
  for (const Case& c : {
           Case{550, SmtpPhase::kRecipient, CURLE_SEND_ERROR, "refused the recipient"},
           Case{553, SmtpPhase::kRecipient, CURLE_SEND_ERROR, "refused the recipient"},
           Case{501, SmtpPhase::kSender, CURLE_SEND_ERROR, "refused the sender"},
           Case{554, SmtpPhase::kData, CURLE_SEND_ERROR, "refused the message"},
           Case{552, SmtpPhase::kBody, CURLE_RECV_ERROR, "refused the message"},
           Case{554, SmtpPhase::kBody, CURLE_WEIRD_SERVER_REPLY, "refused the message"},
       }) {
    const core::Error e = Describe(c.code, c.smtp, c.phase);
    EXPECT_EQ(e.code, core::Errc::kInvalidArgument) << e.message;
    EXPECT_TRUE(Contains(e.message, c.what)) << e.message;
    EXPECT_TRUE(Contains(e.message, "SMTP " + std::to_string(c.smtp))) << e.message;
    EXPECT_TRUE(Contains(e.message, kServer)) << e.message;
  }
}

TEST(SmtpFailures, TemporaryFailuresAreRetried) {
  struct Case {
    CURLcode code;
    long smtp;
    SmtpPhase phase;
    const char* what;
  };
  for (const Case& c : {
           Case{CURLE_SEND_ERROR, 450, SmtpPhase::kRecipient, "SMTP 450"},
           Case{CURLE_RECV_ERROR, 451, SmtpPhase::kBody, "SMTP 451"},
           Case{CURLE_WEIRD_SERVER_REPLY, 421, SmtpPhase::kConnect, "SMTP 421"},
           Case{CURLE_WEIRD_SERVER_REPLY, 554, SmtpPhase::kConnect, "refused the session"},
           Case{CURLE_REMOTE_ACCESS_DENIED, 502, SmtpPhase::kHello, "refused the session"},
           Case{CURLE_SEND_ERROR, 530, SmtpPhase::kSender, "authentication or TLS"},
           Case{CURLE_LOGIN_DENIED, 535, SmtpPhase::kHello, "refused the login (SMTP 535)"},
           Case{CURLE_USE_SSL_FAILED, 250, SmtpPhase::kHello, "TLS unavailable"},
           Case{CURLE_PEER_FAILED_VERIFICATION, 0, SmtpPhase::kHello, "TLS failed"},
           Case{CURLE_COULDNT_CONNECT, 0, SmtpPhase::kConnect, "cannot be reached"},
           Case{CURLE_COULDNT_RESOLVE_HOST, 0, SmtpPhase::kConnect, "cannot be resolved"},
           Case{CURLE_OPERATION_TIMEDOUT, 250, SmtpPhase::kBody, "did not answer in time"},
           Case{CURLE_RECV_ERROR, 354, SmtpPhase::kBody, "broke the connection"},
           Case{CURLE_GOT_NOTHING, 0, SmtpPhase::kConnect, "broke the connection"},
       }) {
    const core::Error e = Describe(c.code, c.smtp, c.phase);
    EXPECT_EQ(e.code, core::Errc::kUnavailable) << e.message;
    EXPECT_TRUE(Contains(e.message, c.what)) << e.message;
    EXPECT_EQ(e.message.rfind(std::string("SMTP server ") + kServer, 0), 0u) << e.message;
  }
}

TEST(SmtpFailures, ConnectionFailuresCarryLibcurlsDetail) {
  const core::Error e =
      Describe(CURLE_COULDNT_CONNECT, 0, SmtpPhase::kConnect,
               "Failed to connect to mail.example.org port 587 after 1 ms: Connection refused");
  EXPECT_TRUE(Contains(e.message, "Connection refused")) << e.message;
  // Without a detail, libcurl's generic text for the code.
  EXPECT_TRUE(Contains(Describe(CURLE_COULDNT_CONNECT, 0, SmtpPhase::kConnect).message,
                       curl_easy_strerror(CURLE_COULDNT_CONNECT)));
}

TEST(SmtpFailures, ProtocolFailuresLeaveLibcurlsTextOut) {
  // Whatever libcurl wrote, a refusal's message is built from the code and the phase only.
  const core::Error e =
      Describe(CURLE_SEND_ERROR, 550, SmtpPhase::kRecipient, "RCPT failed: 550 alice@example.com");
  EXPECT_FALSE(Contains(e.message, "alice")) << e.message;
}

TEST(SmtpFailures, AnythingElseIsInternal) {
  EXPECT_EQ(Describe(CURLE_BAD_FUNCTION_ARGUMENT, 0, SmtpPhase::kConnect).code,
            core::Errc::kInternal);
}

}  // namespace
}  // namespace rd::mail
