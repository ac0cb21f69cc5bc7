#include "mail/pickup_mailer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/fake_clock.h"
#include "mail/mime_test_decoding.h"

namespace rd::mail {
namespace {

namespace fs = std::filesystem;
using testing::DecodeQuotedPrintable;
using testing::ParseMessage;

class PickupMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/rd_pickup_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }

  // Every file in `dir`, sorted by name.
  static std::vector<fs::path> Files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static core::OutgoingEmail Email(const std::string& body = "Your code is 123456.\n") {
    core::OutgoingEmail e;
    e.to = "ada@example.com";
    e.subject = "Confirm your request";
    e.text_body = body;
    e.message_id = "<abc@rightsdesk.local>";
    return e;
  }

  fs::path root_;
  core::FakeClock clock_{1'790'000'000};
};

TEST_F(PickupMailerTest, WritesOneEmlFileWithTheComposedMessage) {
  const fs::path dir = root_ / "mail" / "nested";  // created on the first send
  PickupMailer mailer(dir.string(), "privacy@shop.example", clock_);
  ASSERT_TRUE(mailer.Send(Email()));
  const auto files = Files(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].extension(), ".eml");
  EXPECT_EQ(files[0].filename().string().rfind("1790000000-", 0), 0u) << files[0];
  const std::string raw = Read(files[0]);
  EXPECT_NE(raw.find("\r\n"), std::string::npos) << "CRLF line endings";
  const auto m = ParseMessage(raw);
  EXPECT_EQ(m.Header("To"), "ada@example.com");
  EXPECT_EQ(m.Header("From"), "privacy@shop.example");
  EXPECT_EQ(m.Header("Subject"), "Confirm your request");
  EXPECT_EQ(m.Header("Message-ID"), "<abc@rightsdesk.local>");
  EXPECT_EQ(DecodeQuotedPrintable(m.body), "Your code is 123456.\n");
}

TEST_F(PickupMailerTest, EachSendIsItsOwnFileInOrder) {
  PickupMailer mailer(root_.string(), "privacy@shop.example", clock_);
  for (int i = 0; i < 3; ++i) {
    auto e = Email("message " + std::to_string(i) + "\n");
    e.message_id.clear();  // a new Message-ID for each
    ASSERT_TRUE(mailer.Send(e));
  }
  const auto files = Files(root_);
  ASSERT_EQ(files.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const auto m = ParseMessage(Read(files[i]));
    EXPECT_EQ(DecodeQuotedPrintable(m.body), "message " + std::to_string(i) + "\n");
    ASSERT_TRUE(m.Header("Message-ID"));
    EXPECT_NE(m.Header("Message-ID")->find("@shop.example>"), std::string::npos);
  }
}

TEST_F(PickupMailerTest, ConcurrentSendsLoseNothing) {
  PickupMailer mailer(root_.string(), "privacy@shop.example", clock_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) EXPECT_TRUE(mailer.Send(Email()));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Files(root_).size(), 40u);
}

TEST_F(PickupMailerTest, MalformedEmailIsRefusedAndNothingIsWritten) {
  PickupMailer mailer(root_.string(), "privacy@shop.example", clock_);
  auto e = Email();
  e.subject = "two\r\nlines";
  auto st = mailer.Send(e);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kInvalidArgument);
  e = Email();
  e.to = "no-at-sign";
  st = mailer.Send(e);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Files(root_).empty());
}

TEST_F(PickupMailerTest, UnwritableDirectoryIsUnavailableWithoutTheAddress) {
  const fs::path blocker = root_ / "file";
  std::ofstream(blocker) << "x";  // a file where the directory should be
  PickupMailer mailer((blocker / "mail").string(), "privacy@shop.example", clock_);
  auto st = mailer.Send(Email());
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kUnavailable);
  EXPECT_NE(st.error().message.find("smtp.pickup_dir"), std::string::npos);
  EXPECT_EQ(st.error().message.find("ada@example.com"), std::string::npos);
}

}  // namespace
}  // namespace rd::mail
