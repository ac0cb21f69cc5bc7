// SmtpMailer against a real SMTP server: the aiosmtpd sink that scripts/test-smtp starts
// (ctest fixture "smtp"). RD_TEST_SMTP is its "127.0.0.1:PORT", RD_TEST_SMTP_DIR its Maildir;
// each accepted message becomes one file in DIR/new/ before the server answers 250, so a test
// can read its message as soon as Send returns. Tests find their own messages by a random
// token, so they do not depend on what else is in the mailbox.
#include "mail/smtp_mailer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/fake_clock.h"
#include "mail/mime_message.h"
#include "mail/mime_test_decoding.h"

namespace rd::mail {
namespace {

using testing::DecodeHeaderValue;
using testing::DecodeQuotedPrintable;
using testing::ParsedMessage;
using testing::ParseMessage;

constexpr core::UnixTime kNow = 1'790'000'000;  // Mon, 21 Sep 2026 14:13:20 +0000
constexpr const char* kRecipient = "data.subject@example.net";

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string Token() {
  std::random_device random;
  std::ostringstream out;
  out << std::hex << random() << random();
  return out.str();
}

// A loopback port on which nothing listens.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                     getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  EXPECT_TRUE(bound) << "cannot find a free loopback port";
  return ntohs(addr.sin_port);
}

class SmtpMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* server = std::getenv("RD_TEST_SMTP");
    const char* dir = std::getenv("RD_TEST_SMTP_DIR");
    if (server == nullptr || dir == nullptr || *server == '\0' || *dir == '\0') {
      GTEST_SKIP() << "RD_TEST_SMTP / RD_TEST_SMTP_DIR not set; run through ctest (fixture "
                      "smtp) or start scripts/test-smtp yourself";
    }
    const std::string s = server;
    host_ = s.substr(0, s.rfind(':'));
    port_ = std::stoi(s.substr(s.rfind(':') + 1));
    maildir_ = std::filesystem::path(dir) / "new";
    ASSERT_TRUE(InitCurl());
  }

  SmtpOptions Options() const {
    SmtpOptions o;
    o.host = host_;
    o.port = port_;
    o.from = "privacy@example.org";
    o.starttls = false;  // the sink speaks plain SMTP
    o.timeout_seconds = 10;
    return o;
  }

  core::Status Send(const core::OutgoingEmail& email, SmtpOptions options) {
    SmtpMailer mailer(std::move(options), clock_);
    return mailer.Send(email);
  }
  core::Status Send(const core::OutgoingEmail& email) { return Send(email, Options()); }

  // The delivered file (raw, as the sink stored it) that contains `token`, if any.
  std::optional<std::string> Delivered(const std::string& token) const {
    for (const auto& entry : std::filesystem::directory_iterator(maildir_)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (Contains(raw, token)) return raw;
    }
    return std::nullopt;
  }

  core::OutgoingEmail Email(const std::string& token) const {
    core::OutgoingEmail e;
    e.to = kRecipient;
    e.subject = "Your request " + token;
    e.text_body = "Hello,\ntoken " + token + "\n";
    e.message_id = "<" + token + "@example.org>";
    return e;
  }

  core::FakeClock clock_{kNow};
  std::string host_;
  int port_ = 0;
  std::filesystem::path maildir_;
};

TEST_F(SmtpMailerTest, DeliversHeadersAndBodyIntact) {
  const std::string token = Token();
  core::OutgoingEmail e = Email(token);
  e.subject = "Ihre Anfrage – Bestätigung ✓";
  const std::string long_line =
      "Diese Zeile ist länger als sechsundsiebzig Zeichen, damit sie weich umbrochen wird: "
      "äöü ÄÖÜ ß € ✓ 😀 = Gleichheitszeichen = und noch mehr Text bis zum Ende der Zeile.";
  e.text_body =
      "Guten Tag,\n"
      "\n" +
      long_line +
      "\n"
      ".a line that starts with a dot\n"
      ".\n"
      "..two dots\n"
      "From the desk: trailing space \n"
      "tab\tinside and = signs =3D\n"
      "token " +
      token + "\nGrüße\n";
  e.headers = {{"Reply-To", "dpo@example.org"}};
  const auto sent = Send(e);
  ASSERT_TRUE(sent) << sent.error().message;

  const auto raw = Delivered(token);
  ASSERT_TRUE(raw) << "no message with token " << token << " in " << maildir_;
  const ParsedMessage m = ParseMessage(*raw);
  EXPECT_EQ(m.Header("From"), "privacy@example.org");
  EXPECT_EQ(m.Header("To"), kRecipient);
  ASSERT_TRUE(m.Header("Subject"));
  EXPECT_EQ(DecodeHeaderValue(*m.Header("Subject")), "Ihre Anfrage – Bestätigung ✓")
      << *m.Header("Subject");
  EXPECT_EQ(m.Header("Message-ID"), "<" + token + "@example.org>");
  EXPECT_EQ(m.Header("Date"), "Mon, 21 Sep 2026 14:13:20 +0000");
  EXPECT_EQ(m.Header("MIME-Version"), "1.0");
  EXPECT_EQ(m.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(m.Header("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(m.Header("Reply-To"), "dpo@example.org");
  EXPECT_EQ(m.Count("Subject"), 1);
  // The envelope, as the sink recorded it.
  EXPECT_EQ(m.Header("X-MailFrom"), "privacy@example.org");
  EXPECT_EQ(m.Header("X-RcptTo"), kRecipient);

  const auto body = DecodeQuotedPrintable(m.body);
  ASSERT_TRUE(body) << m.body;
  EXPECT_EQ(*body, e.text_body) << "raw body:\n" << m.body;
}

TEST_F(SmtpMailerTest, BodyWithoutFinalLineBreakArrivesExactly) {
  const std::string token = Token();
  core::OutgoingEmail e = Email(token);
  e.text_body = "token " + token + "\n.\nno line break at the end";
  ASSERT_TRUE(Send(e));
  const auto raw = Delivered(token);
  ASSERT_TRUE(raw);
  EXPECT_EQ(DecodeQuotedPrintable(ParseMessage(*raw).body), e.text_body);
}

TEST_F(SmtpMailerTest, GeneratesAMessageIdWhenTheEmailHasNone) {
  const std::string token = Token();
  core::OutgoingEmail e = Email(token);
  e.message_id.clear();
  ASSERT_TRUE(Send(e));
  const auto raw = Delivered(token);
  ASSERT_TRUE(raw);
  const auto id = ParseMessage(*raw).Header("Message-ID");
  ASSERT_TRUE(id);
  EXPECT_TRUE(std::regex_match(*id, std::regex("<[0-9a-f]{32}@example\\.org>"))) << *id;
}

TEST_F(SmtpMailerTest, TheEmailsSenderReplacesTheDefault) {
  const std::string token = Token();
  core::OutgoingEmail e = Email(token);
  e.from = "vendor-requests@example.org";
  ASSERT_TRUE(Send(e));
  const auto raw = Delivered(token);
  ASSERT_TRUE(raw);
  EXPECT_EQ(ParseMessage(*raw).Header("From"), "vendor-requests@example.org");
  EXPECT_EQ(ParseMessage(*raw).Header("X-MailFrom"), "vendor-requests@example.org");
}

TEST_F(SmtpMailerTest, HeaderInjectionIsRefusedAndNothingIsSent) {
  const std::string token = Token();
  core::OutgoingEmail e = Email(token);
  e.subject = "Hello\r\nBcc: victim@example.com";
  const auto st = Send(e);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(st.error().message, "subject")) << st.error().message;
  EXPECT_FALSE(Contains(st.error().message, "victim")) << st.error().message;

  e.subject = "fine";
  e.to = std::string(kRecipient) + "\nBcc: victim@example.com";
  EXPECT_EQ(Send(e).error().code, core::Errc::kInvalidArgument);

  // A later message arrives, and the refused ones never did.
  const std::string later = Token();
  ASSERT_TRUE(Send(Email(later)));
  ASSERT_TRUE(Delivered(later));
  EXPECT_FALSE(Delivered(token));
}

TEST_F(SmtpMailerTest, RecipientRefusedByTheServerIsPermanentAndNotQuoted) {
  const std::string token = Token();
  core::OutgoingEmail e = Email(token);
  e.to = "someone@invalid..example";  // aiosmtpd: 553 malformed address
  const auto st = Send(e);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kInvalidArgument) << st.error().message;
  EXPECT_TRUE(Contains(st.error().message, "refused the recipient")) << st.error().message;
  EXPECT_TRUE(Contains(st.error().message, "SMTP 5")) << st.error().message;
  EXPECT_TRUE(Contains(st.error().message, host_ + ":" + std::to_string(port_)))
      << st.error().message;
  EXPECT_FALSE(Contains(st.error().message, "someone")) << st.error().message;
  EXPECT_FALSE(Contains(st.error().message, "invalid..example")) << st.error().message;
  EXPECT_FALSE(Delivered(token));
}

TEST_F(SmtpMailerTest, ClosedPortIsUnavailableAndTheMessageNamesNoRecipient) {
  SmtpOptions o = Options();
  o.port = ClosedPort();
  const auto st = Send(Email(Token()), o);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kUnavailable) << st.error().message;
  EXPECT_TRUE(Contains(st.error().message, "127.0.0.1:" + std::to_string(o.port)))
      << st.error().message;
  EXPECT_FALSE(Contains(st.error().message, kRecipient)) << st.error().message;
  EXPECT_FALSE(Contains(st.error().message, "data.subject")) << st.error().message;
}

TEST_F(SmtpMailerTest, RequiredStarttlsAgainstAPlainServerIsUnavailable) {
  const std::string token = Token();
  SmtpOptions o = Options();
  o.starttls = true;
  const auto st = Send(Email(token), o);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kUnavailable) << st.error().message;
  EXPECT_TRUE(Contains(st.error().message, "TLS unavailable")) << st.error().message;
  EXPECT_FALSE(Contains(st.error().message, kRecipient)) << st.error().message;
  EXPECT_FALSE(Delivered(token)) << "sent in the clear although STARTTLS was required";
}

TEST_F(SmtpMailerTest, ServerThatNeverGreetsTimesOut) {
  // A listening socket nobody accepts on: the kernel completes the connection, then silence.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  SmtpOptions o = Options();
  o.port = ntohs(addr.sin_port);
  o.timeout_seconds = 1;

  const auto start = std::chrono::steady_clock::now();
  const auto st = Send(Email(Token()), o);
  const auto took = std::chrono::steady_clock::now() - start;
  close(fd);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kUnavailable) << st.error().message;
  EXPECT_TRUE(Contains(st.error().message, "did not answer in time")) << st.error().message;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(SmtpMailerTest, NoHostConfiguredIsUnavailable) {
  SmtpOptions o = Options();
  o.host.clear();
  const auto st = Send(Email(Token()), o);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kUnavailable);
  EXPECT_TRUE(Contains(st.error().message, "smtp.host")) << st.error().message;
}

TEST_F(SmtpMailerTest, OneMailerSendsFromManyThreads) {
  SmtpMailer mailer(Options(), clock_);
  std::vector<std::string> tokens(12);
  for (auto& t : tokens) t = Token();
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 12; i += 4) ok[t] += mailer.Send(Email(tokens[i])) ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, std::vector<int>(4, 3));
  for (const auto& token : tokens) EXPECT_TRUE(Delivered(token)) << token;
}

}  // namespace
}  // namespace rd::mail
