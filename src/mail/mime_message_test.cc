#include "mail/mime_message.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "mail/mime_test_decoding.h"

namespace rd::mail {
namespace {

using testing::DecodeHeaderValue;
using testing::DecodeQuotedPrintable;
using testing::ParseMessage;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> Lines(const std::string& crlf_text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < crlf_text.size()) {
    const std::size_t eol = crlf_text.find("\r\n", pos);
    EXPECT_NE(eol, std::string::npos) << "every line ends in CRLF";
    if (eol == std::string::npos) break;
    lines.push_back(crlf_text.substr(pos, eol - pos));
    pos = eol + 2;
  }
  return lines;
}

// What breaks RFC 2045's rules for one encoded line, or "" when nothing does.
std::string QuotedPrintableLineProblem(const std::string& line) {
  if (line.size() > 76) return "longer than 76 characters";
  for (const char c : line) {
    if ((c < 32 || c > 126) && c != '\t') return "a byte outside printable ASCII";
  }
  if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return "trailing white space";
  if (line.substr(0, 5) == "From ") return "starts with \"From \"";
  return "";
}

bool IsSevenBitText(const std::string& s) {
  for (const char c : s) {
    if (c != '\r' && c != '\n' && (c < 32 || c > 126)) return false;
  }
  return true;
}

// Checks the RFC 2045 rules on an encoded body and that it decodes back to `text`.
void ExpectQuotedPrintableRoundTrip(const std::string& text) {
  const std::string qp = EncodeQuotedPrintable(text);
  for (const std::string& line : Lines(qp)) EXPECT_EQ(QuotedPrintableLineProblem(line), "") << line;
  const auto decoded = DecodeQuotedPrintable(qp);
  ASSERT_TRUE(decoded) << qp;
  std::string expected = text;  // CRLF in the input comes back as LF
  for (std::size_t p = expected.find("\r\n"); p != std::string::npos;
       p = expected.find("\r\n", p)) {
    expected.erase(p, 1);
  }
  EXPECT_EQ(*decoded, expected) << qp;
}

TEST(Rfc5322Date, FormatsRfc5322InUtcWithEnglishNames) {
  EXPECT_EQ(FormatRfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(1'790'000'000), "Mon, 21 Sep 2026 14:13:20 +0000");
  EXPECT_EQ(FormatRfc5322Date(1'709'211'661), "Thu, 29 Feb 2024 13:01:01 +0000");
  EXPECT_EQ(FormatRfc5322Date(951'782'400), "Tue, 29 Feb 2000 00:00:00 +0000");
}

TEST(QuotedPrintable, EncodesExactly) {
  EXPECT_EQ(EncodeQuotedPrintable(""), "");
  EXPECT_EQ(EncodeQuotedPrintable("plain text\n"), "plain text\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("a=b\n"), "a=3Db\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("Grüße ✓\n"), "Gr=C3=BC=C3=9Fe =E2=9C=93\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("end \nx\t\n"), "end=20\r\nx=09\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("a\r\nb\n\n"), "a\r\nb\r\n\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("a\rb\n"), "a=0Db\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("no line break"), "no line break=\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("From here\nFrom: x\n"), "=46rom here\r\nFrom: x\r\n");
  EXPECT_EQ(EncodeQuotedPrintable(".\n..x\n"), ".\r\n..x\r\n");  // libcurl dot-stuffs these
}

TEST(QuotedPrintable, SplitsLongLinesWithSoftBreaksAt76) {
  EXPECT_EQ(EncodeQuotedPrintable(std::string(76, 'x') + "\n"), std::string(76, 'x') + "\r\n");
  EXPECT_EQ(EncodeQuotedPrintable(std::string(77, 'x') + "\n"),
            std::string(75, 'x') + "=\r\n" + "xx\r\n");
  // An =XX triplet is never cut: 74 letters, then "é" moves to the next line whole.
  EXPECT_EQ(EncodeQuotedPrintable(std::string(74, 'x') + "é\n"),
            std::string(74, 'x') + "=\r\n=C3=A9\r\n");
  ExpectQuotedPrintableRoundTrip(std::string(1000, 'y') + "\n" + std::string(300, ' ') + "\n");
}

TEST(QuotedPrintable, RoundTripsRandomText) {
  std::mt19937 random(42);
  const std::vector<std::string> pieces = {"a", "Z", " ",     "\t", "=",  ".", "\n", "\r\n",
                                           "ä", "✓", "From ", "=?", "\r", "~", "😀"};
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int n = static_cast<int>(random() % 200);
    for (int i = 0; i < n; ++i) text += pieces[random() % pieces.size()];
    ExpectQuotedPrintableRoundTrip(text);
  }
}

TEST(EncodedSubject, KeepsShortAsciiAndEncodesTheRest) {
  EXPECT_EQ(EncodeSubject("Your request DSR-42"), "Your request DSR-42");
  EXPECT_EQ(EncodeSubject(""), "");
  EXPECT_EQ(EncodeSubject("Bestätigung"), "=?UTF-8?B?QmVzdMOkdGlndW5n?=");
  EXPECT_EQ(EncodeSubject("looks =?encoded?="), "=?UTF-8?B?bG9va3MgPT9lbmNvZGVkPz0=?=");
  EXPECT_EQ(EncodeSubject("tab\there"), "=?UTF-8?B?dGFiCWhlcmU=?=");
}

TEST(EncodedSubject, LongSubjectsFoldAndDecodeBack) {
  std::string ascii;
  for (int i = 0; i < 40; ++i) ascii += "word" + std::to_string(i) + " ";
  ascii += " two  spaces ";
  std::string utf8;
  for (int i = 0; i < 30; ++i) utf8 += "Anfrage – Bestätigung ✓ 😀 ";
  for (const std::string& subject : {ascii, utf8, std::string(2000, 'q')}) {
    const std::string field = "Subject: " + EncodeSubject(subject) + "\r\n";
    for (const std::string& line : Lines(field)) {
      EXPECT_LE(line.size(), 78u) << line;
      EXPECT_NE(line.find_first_not_of(" \t"), std::string::npos) << "a line of white space only";
    }
    const auto parsed = ParseMessage(field + "\r\n");
    ASSERT_EQ(parsed.headers.size(), 1u);
    const auto decoded = DecodeHeaderValue(parsed.headers[0].second);
    ASSERT_TRUE(decoded) << field;
    EXPECT_EQ(*decoded, subject);
  }
}

TEST(EncodedSubject, EncodedWordsNeverSplitACharacter) {
  std::string subject;
  for (int i = 0; i < 50; ++i) subject += "€😀";
  const std::string encoded = EncodeSubject(subject);
  std::size_t pos = 0;
  while ((pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const std::size_t end = encoded.find("?=", pos + 10);
    const auto word = DecodeHeaderValue(encoded.substr(pos, end + 2 - pos));
    ASSERT_TRUE(word);
    EXPECT_TRUE(IsValidUtf8(*word)) << encoded.substr(pos, end + 2 - pos);
    pos = end;
  }
}

TEST(AddressValidation, AcceptsPlainAddresses) {
  for (const char* a :
       {"subject@example.com", "a.b+tag@sub.example.org", "x@localhost", "\"odd\"@example.com"}) {
    EXPECT_TRUE(ValidateAddress("the recipient", a)) << a;
  }
}

TEST(AddressValidation, RefusesMalformedAddressesWithoutQuotingThem) {
  for (const std::string& a : std::vector<std::string>{
           "", "no-at-sign.example.com", "@example.com", "alice@", "alice@example.com\r\nBcc: x@y",
           "alice@example.com\n", "alice smith@example.com", "Alice <alice@example.com>",
           "a,b@example.com", "jürgen@example.com", std::string(250, 'a') + "@example.com",
           std::string("alice\0@example.com", 18)}) {
    const auto st = ValidateAddress("the recipient", a);
    ASSERT_FALSE(st) << a;
    EXPECT_EQ(st.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(Contains(st.error().message, "the recipient")) << st.error().message;
    if (!a.empty()) {
      EXPECT_FALSE(Contains(st.error().message, a)) << st.error().message;
    }
  }
}

core::OutgoingEmail Email() {
  core::OutgoingEmail e;
  e.to = "subject@example.com";
  e.subject = "Ihre Anfrage – Bestätigung ✓";
  e.text_body = "Hallo,\n\n.\n.leading dot\nGrüße\n";
  e.headers = {{"Reply-To", "dpo@example.org"}, {"X-Rightsdesk-Request", "DSR-42"}};
  return e;
}

TEST(MessageComposition, WritesTheHeadersInOrder) {
  auto m = ComposeMessage(Email(), "privacy@example.org", "<abc.1@example.org>", 1'790'000'000);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->substr(0, 73),
            "Date: Mon, 21 Sep 2026 14:13:20 +0000\r\n"
            "From: privacy@example.org\r\n"
            "To: sub");
  const auto parsed = ParseMessage(*m);
  const std::vector<std::string> names = {"Date",         "From",
                                          "To",           "Subject",
                                          "Message-ID",   "MIME-Version",
                                          "Content-Type", "Content-Transfer-Encoding",
                                          "Reply-To",     "X-Rightsdesk-Request"};
  std::vector<std::string> written;
  for (const auto& header : parsed.headers) written.push_back(header.first);
  EXPECT_EQ(written, names);
}

TEST(MessageComposition, WritesEachHeaderValue) {
  auto m = ComposeMessage(Email(), "privacy@example.org", "<abc.1@example.org>", 1'790'000'000);
  ASSERT_TRUE(m) << m.error().message;
  const auto parsed = ParseMessage(*m);
  EXPECT_EQ(parsed.Header("To"), "subject@example.com");
  EXPECT_EQ(DecodeHeaderValue(*parsed.Header("Subject")), "Ihre Anfrage – Bestätigung ✓");
  EXPECT_EQ(parsed.Header("Message-ID"), "<abc.1@example.org>");
  EXPECT_EQ(parsed.Header("MIME-Version"), "1.0");
  EXPECT_EQ(parsed.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(parsed.Header("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(parsed.Header("Reply-To"), "dpo@example.org");
  EXPECT_EQ(DecodeQuotedPrintable(parsed.body), "Hallo,\n\n.\n.leading dot\nGrüße\n");
  EXPECT_TRUE(IsSevenBitText(*m));
}

TEST(MessageComposition, RefusesHeaderInjectionAndNamesTheField) {
  struct Case {
    void (*change)(core::OutgoingEmail&);
    const char* field;
  };
  const Case cases[] = {
      {[](core::OutgoingEmail& e) { e.subject = "Hi\r\nBcc: victim@example.net"; }, "subject"},
      {[](core::OutgoingEmail& e) { e.subject = "Hi\nBcc: victim@example.net"; }, "subject"},
      {[](core::OutgoingEmail& e) { e.to = "a@example.com\r\nBcc: victim@example.net"; },
       "recipient"},
      {[](core::OutgoingEmail& e) {
         e.headers = {{"Reply-To", "x@y\r\nBcc: victim@example.net"}};
       },
       "Reply-To"},
      {[](core::OutgoingEmail& e) {
         e.headers = {{"Bcc: victim@example.net\r\nX", "v"}};
       },
       "invalid name"},
      {[](core::OutgoingEmail& e) {
         e.headers = {{"subject", "second subject"}};
       },
       "subject"},
      {[](core::OutgoingEmail& e) {
         e.headers = {{"X-Name", "Jürgen"}};
       },
       "printable ASCII"},
      {[](core::OutgoingEmail& e) { e.subject = "\xff"; }, "UTF-8"},
      {[](core::OutgoingEmail& e) { e.text_body = "bad \xc3\x28"; }, "body"},
  };
  for (const Case& c : cases) {
    core::OutgoingEmail e = Email();
    c.change(e);
    auto m = ComposeMessage(e, "privacy@example.org", "<id@example.org>", 0);
    ASSERT_FALSE(m) << c.field;
    EXPECT_EQ(m.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(Contains(m.error().message, c.field)) << m.error().message;
    EXPECT_FALSE(Contains(m.error().message, "victim")) << m.error().message;
  }
}

TEST(MessageComposition, RefusesMalformedMessageIdsAndSenders) {
  for (const char* id : {"", "abc@example.org", "<abc>", "<@x>", "<a@>", "<a b@x>", "<a@x>\r\n"}) {
    auto m = ComposeMessage(Email(), "privacy@example.org", id, 0);
    ASSERT_FALSE(m) << id;
    EXPECT_TRUE(Contains(m.error().message, "message id")) << m.error().message;
  }
  auto m = ComposeMessage(Email(), "privacy", "<a@x>", 0);
  ASSERT_FALSE(m);
  EXPECT_TRUE(Contains(m.error().message, "the sender")) << m.error().message;
}

TEST(MessageComposition, FoldsLongExtraHeadersAndRefusesUnfoldableOnes) {
  core::OutgoingEmail e = Email();
  std::string references;
  for (int i = 0; i < 20; ++i) references += "<ref" + std::to_string(i) + "@example.org> ";
  e.headers = {{"References", references}};
  auto m = ComposeMessage(e, "privacy@example.org", "<a@x>", 0);
  ASSERT_TRUE(m) << m.error().message;
  for (const std::string& line : Lines(*m)) EXPECT_LE(line.size(), 78u) << line;
  EXPECT_EQ(ParseMessage(*m).Header("References"), references);

  e.headers = {{"X-Long", std::string(1200, 'z')}};
  m = ComposeMessage(e, "privacy@example.org", "<a@x>", 0);
  ASSERT_FALSE(m);
  EXPECT_TRUE(Contains(m.error().message, "too long")) << m.error().message;
}

}  // namespace
}  // namespace rd::mail
