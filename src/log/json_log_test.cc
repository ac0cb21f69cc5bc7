#include "log/json_log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <string>
#include <vector>

namespace rd::log {
namespace {

// A Logger writing into an anonymous temporary file, and the lines it wrote.
class LoggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = std::tmpfile();
    ASSERT_NE(sink_, nullptr);
  }
  void TearDown() override {
    if (sink_ != nullptr) std::fclose(sink_);
  }

  std::vector<std::string> Lines() {
    std::vector<std::string> lines;
    std::rewind(sink_);
    std::string current;
    for (int c = std::fgetc(sink_); c != EOF; c = std::fgetc(sink_)) {
      if (c == '\n') {
        lines.push_back(current);
        current.clear();
      } else {
        current.push_back(static_cast<char>(c));
      }
    }
    EXPECT_TRUE(current.empty()) << "last line has no newline: " << current;
    std::fseek(sink_, 0, SEEK_END);
    return lines;
  }

  std::vector<nlohmann::json> Objects() {
    std::vector<nlohmann::json> out;
    for (const auto& line : Lines()) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      EXPECT_FALSE(j.is_discarded()) << line;
      EXPECT_TRUE(j.is_object()) << line;
      out.push_back(j);
    }
    return out;
  }

  std::FILE* sink_ = nullptr;
};

TEST_F(LoggerTest, WritesOneJsonObjectPerLine) {
  Logger logger(sink_, Level::kInfo);
  logger.Info("database migrated", {{"version", 1}, {"applied", {"0001_foundation"}}});
  logger.Warn("slow query", {{"ms", 1200}});
  logger.Error("unhandled error");
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 3u);

  EXPECT_EQ(objects[0]["level"], "info");
  EXPECT_EQ(objects[0]["msg"], "database migrated");
  EXPECT_EQ(objects[0]["version"], 1);
  EXPECT_EQ(objects[0]["applied"], nlohmann::json({"0001_foundation"}));
  EXPECT_EQ(objects[1]["level"], "warn");
  EXPECT_EQ(objects[1]["ms"], 1200);
  EXPECT_EQ(objects[2]["level"], "error");
  EXPECT_EQ(objects[2]["msg"], "unhandled error");
}

TEST_F(LoggerTest, TimestampIsUtcWithMilliseconds) {
  Logger logger(sink_, Level::kInfo);
  logger.Info("hello");
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  ASSERT_TRUE(objects[0]["ts"].is_string());
  const std::string ts = objects[0]["ts"];
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << ts;
}

TEST_F(LoggerTest, RedactsMessageAndFieldsIncludingNestedOnes) {
  Logger logger(sink_, Level::kInfo);
  logger.Info("login failed for ana@example.com",
              {{"request", {{"subject", {{"email", "Bob@Example.org"}, {"age", 42}}}}},
               {"phones", {"+1 (415) 555-0134", "status 404"}},
               {"count", 3}});
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  const auto& j = objects[0];
  EXPECT_EQ(j["msg"], "login failed for [email]");
  EXPECT_EQ(j["request"]["subject"]["email"], "[email]");
  EXPECT_EQ(j["request"]["subject"]["age"], 42);
  EXPECT_EQ(j["phones"], nlohmann::json({"[number]", "status 404"}));
  EXPECT_EQ(j["count"], 3);
  const std::string raw = Lines()[0];
  EXPECT_EQ(raw.find("example.com"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("Example.org"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("555-0134"), std::string::npos) << raw;
}

TEST_F(LoggerTest, LevelsBelowMinimumAreNotWritten) {
  Logger logger(sink_, Level::kWarn);
  EXPECT_FALSE(logger.Enabled(Level::kDebug));
  EXPECT_FALSE(logger.Enabled(Level::kInfo));
  EXPECT_TRUE(logger.Enabled(Level::kWarn));
  EXPECT_TRUE(logger.Enabled(Level::kError));
  logger.Log(Level::kDebug, "debug detail");
  logger.Info("routine");
  logger.Warn("attention");
  logger.Error("broken");
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0]["msg"], "attention");
  EXPECT_EQ(objects[1]["msg"], "broken");
}

TEST_F(LoggerTest, DebugLevelWritesEverything) {
  Logger logger(sink_, Level::kDebug);
  logger.Log(Level::kDebug, "a");
  logger.Info("b");
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0]["level"], "debug");
}

TEST_F(LoggerTest, NewlinesInValuesDoNotSplitTheLine) {
  Logger logger(sink_, Level::kInfo);
  logger.Info("first\nsecond", {{"detail", "a\r\nb"}});
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0]["msg"], "first\nsecond");
  EXPECT_EQ(objects[0]["detail"], "a\r\nb");
}

TEST_F(LoggerTest, FieldsCannotOverrideLevelOrMessage) {
  Logger logger(sink_, Level::kInfo);
  logger.Info("real message", {{"level", "error"}, {"msg", "forged"}, {"ts", "yesterday"}});
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0]["level"], "info");
  EXPECT_EQ(objects[0]["msg"], "real message");
  EXPECT_NE(objects[0]["ts"], "yesterday");
}

TEST_F(LoggerTest, InvalidUtf8IsReplacedNotThrown) {
  Logger logger(sink_, Level::kInfo);
  EXPECT_NO_THROW(logger.Info("bad \xff byte", {{"path", "/x\xc3"}}));
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects[0]["msg"].is_string());
}

TEST_F(LoggerTest, NonObjectFieldsAreIgnored) {
  Logger logger(sink_, Level::kInfo);
  logger.Info("list", nlohmann::json::array({1, 2}));
  logger.Info("text", "ana@example.com");
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].size(), 3u);  // ts, level, msg
  EXPECT_EQ(objects[1].size(), 3u);
  EXPECT_EQ(Lines()[1].find("ana@example.com"), std::string::npos);
}

TEST(LogLevels, ParsesKnownNames) {
  Level level = Level::kError;
  ASSERT_TRUE(ParseLevel("debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  ASSERT_TRUE(ParseLevel("info", &level));
  EXPECT_EQ(level, Level::kInfo);
  ASSERT_TRUE(ParseLevel("warn", &level));
  EXPECT_EQ(level, Level::kWarn);
  ASSERT_TRUE(ParseLevel("error", &level));
  EXPECT_EQ(level, Level::kError);
}

TEST(LogLevels, RejectsOtherNamesAndLeavesLevelAlone) {
  Level level = Level::kWarn;
  for (const char* name : {"", "INFO", "warning", "loud", "trace"}) {
    EXPECT_FALSE(ParseLevel(name, &level)) << name;
  }
  EXPECT_EQ(level, Level::kWarn);
}

}  // namespace
}  // namespace rd::log
