#include "app/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace rd::app {
namespace {

using Env = std::map<std::string, std::string>;
using Flags = std::map<std::string, std::string>;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/rd_config_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Writes `yaml` to a fresh file and returns its path.
  std::string File(const std::string& yaml) {
    const std::string path = dir_ + "/config" + std::to_string(files_++) + ".yaml";
    std::ofstream out(path);
    out << yaml;
    return path;
  }

  std::string dir_;
  int files_ = 0;
};

TEST_F(ConfigTest, DefaultsWithoutFileEnvOrFlags) {
  auto c = LoadConfig("", {}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8080);
  EXPECT_EQ(c->server_threads, 0);
  EXPECT_FALSE(c->secure_cookies);
  EXPECT_EQ(c->data_dir, "./data");
  EXPECT_EQ(c->database_url, "");
  EXPECT_EQ(c->database_pool_size, 8);
  EXPECT_EQ(c->smtp_host, "");
  EXPECT_EQ(c->smtp_port, 587);
  EXPECT_TRUE(c->smtp_starttls);
  EXPECT_TRUE(c->smtp_tls_verify);
  EXPECT_EQ(c->smtp_pickup_dir, "");
  EXPECT_EQ(c->session_ttl_hours, 12);
  EXPECT_EQ(c->login_max_failures, 5);
  EXPECT_EQ(c->login_lock_minutes, 15);
  EXPECT_EQ(c->login_max_failures_per_ip, 20);
  EXPECT_EQ(c->org_name, "Rightsdesk");
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->DatabaseUrl(), "sqlite://./data/rightsdesk.db");
  EXPECT_EQ(c->MasterKeyFile(), "./data/master.key");
}

TEST_F(ConfigTest, ReadsValuesFromYamlFile) {
  const std::string path = File(R"(
# a comment
server:
  listen: "0.0.0.0:9000"
  threads: 6
  secure_cookies: true
data_dir: /var/lib/rightsdesk
database:
  pool_size: 4
smtp:
  host: mail.example.com
  port: 2525
  from: privacy@example.com
  starttls: false
security:
  session_ttl_hours: 8
  login_max_failures: 0
privacy_center:
  org_name: Example GmbH
log:
  level: debug
)");
  auto c = LoadConfig(path, {}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9000);
  EXPECT_EQ(c->server_threads, 6);
  EXPECT_TRUE(c->secure_cookies);
  EXPECT_EQ(c->data_dir, "/var/lib/rightsdesk");
  EXPECT_EQ(c->database_pool_size, 4);
  EXPECT_EQ(c->smtp_host, "mail.example.com");
  EXPECT_EQ(c->smtp_port, 2525);
  EXPECT_EQ(c->smtp_from, "privacy@example.com");
  EXPECT_FALSE(c->smtp_starttls);
  EXPECT_EQ(c->session_ttl_hours, 8);
  EXPECT_EQ(c->login_max_failures, 0);
  EXPECT_EQ(c->org_name, "Example GmbH");
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->DatabaseUrl(), "sqlite:///var/lib/rightsdesk/rightsdesk.db");
  EXPECT_EQ(c->MasterKeyFile(), "/var/lib/rightsdesk/master.key");
}

TEST_F(ConfigTest, EmptyFileMeansDefaults) {
  auto c = LoadConfig(File(""), {}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_port, 8080);
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  const std::string path = File("server:\n  listen: 0.0.0.0:9000\nlog:\n  level: debug\n");
  auto c = LoadConfig(path, Env{{"RIGHTSDESK_SERVER__LISTEN", "127.0.0.1:9100"}}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 9100);
  EXPECT_EQ(c->log_level, "debug");  // untouched by the environment
}

TEST_F(ConfigTest, FlagsOverrideEnvironmentAndFile) {
  const std::string path = File("server:\n  listen: 0.0.0.0:9000\n");
  auto c = LoadConfig(path, Env{{"RIGHTSDESK_SERVER__LISTEN", "127.0.0.1:9100"}},
                      Flags{{"server.listen", "[::1]:9200"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_host, "::1");
  EXPECT_EQ(c->listen_port, 9200);
}

TEST_F(ConfigTest, EnvironmentNamesMapToKeys) {
  auto c = LoadConfig("",
                      Env{{"RIGHTSDESK_DATA_DIR", "/srv/rd/"},
                          {"RIGHTSDESK_SECURITY__LOGIN_MAX_FAILURES_PER_IP", "50"},
                          {"RIGHTSDESK_SMTP__STARTTLS", "no"},
                          {"RIGHTSDESK_PRIVACY_CENTER__ORG_NAME", "ACME"}},
                      {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->data_dir, "/srv/rd/");
  EXPECT_EQ(c->DatabaseUrl(), "sqlite:///srv/rd/rightsdesk.db");
  EXPECT_EQ(c->login_max_failures_per_ip, 50);
  EXPECT_FALSE(c->smtp_starttls);
  EXPECT_EQ(c->org_name, "ACME");
}

TEST_F(ConfigTest, PickupDirFromFileEnvironmentAndFlag) {
  const std::string path = File("smtp:\n  pickup_dir: /var/mail/rd\n");
  auto c = LoadConfig(path, {}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->smtp_pickup_dir, "/var/mail/rd");
  c = LoadConfig(path, Env{{"RIGHTSDESK_SMTP__PICKUP_DIR", "/tmp/rd-mail"}}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->smtp_pickup_dir, "/tmp/rd-mail");
  c = LoadConfig(path, Env{{"RIGHTSDESK_SMTP__PICKUP_DIR", "/tmp/rd-mail"}},
                 Flags{{"smtp.pickup_dir", "./data/mail"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->smtp_pickup_dir, "./data/mail");
  EXPECT_EQ(c->smtp_host, "");
}

TEST_F(ConfigTest, OtherEnvironmentVariablesAreIgnored) {
  auto c = LoadConfig("", Env{{"HOME", "/root"}, {"RIGHTSDESKX", "1"}, {"PATH", "/bin"}}, {});
  ASSERT_TRUE(c) << c.error().message;
}

TEST_F(ConfigTest, ExplicitDatabaseUrlWins) {
  auto c = LoadConfig("", {}, Flags{{"database.url", "postgresql://rd:pw@db:5432/rd"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->DatabaseUrl(), "postgresql://rd:pw@db:5432/rd");
}

TEST_F(ConfigTest, BooleansAcceptCommonSpellings) {
  for (const char* yes : {"true", "TRUE", "yes", "on", "1"}) {
    auto c = LoadConfig("", {}, Flags{{"server.secure_cookies", yes}});
    ASSERT_TRUE(c) << yes;
    EXPECT_TRUE(c->secure_cookies) << yes;
  }
  for (const char* no : {"false", "No", "off", "0"}) {
    auto c = LoadConfig("", {}, Flags{{"smtp.starttls", no}});
    ASSERT_TRUE(c) << no;
    EXPECT_FALSE(c->smtp_starttls) << no;
  }
}

struct BadValue {
  std::string key;
  std::string value;
};

// "smtp.port" -> "RIGHTSDESK_SMTP__PORT".
std::string EnvName(const std::string& key) {
  std::string name = "RIGHTSDESK_";
  for (char c : key) {
    if (c == '.') {
      name += "__";
    } else {
      name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return name;
}

// "smtp.port", "70000" -> "smtp:\n  port: \"70000\"\n".
std::string YamlFor(const std::string& key, const std::string& value) {
  const auto dot = key.find('.');
  if (dot == std::string::npos) return key + ": \"" + value + "\"\n";
  return key.substr(0, dot) + ":\n  " + key.substr(dot + 1) + ": \"" + value + "\"\n";
}

TEST_F(ConfigTest, BadValuesNameTheKey) {
  const std::vector<BadValue> cases = {
      {"server.listen", "nope"},
      {"server.listen", "127.0.0.1:0"},
      {"server.listen", "127.0.0.1:65536"},
      {"server.listen", ":8080"},
      {"server.listen", "localhost:"},
      {"server.threads", "-1"},
      {"smtp.port", "70000"},
      {"smtp.port", "25x"},
      {"smtp.port", ""},
      {"smtp.starttls", "maybe"},
      {"smtp.from", "nobody"},
      {"log.level", "loud"},
      {"database.url", "mysql://x"},
      {"database.pool_size", "0"},
      {"data_dir", ""},
      {"security.session_ttl_hours", "0"},
      {"privacy_center.org_name", ""},
      {"privacy_center.primary_color", "blue"},
  };
  for (const auto& c : cases) {
    // As a flag, as an environment variable and in the file: each names the key.
    auto flag = LoadConfig("", {}, Flags{{c.key, c.value}});
    ASSERT_FALSE(flag) << c.key << "=" << c.value;
    EXPECT_EQ(flag.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(Contains(flag.error().message, c.key)) << flag.error().message;

    auto env = LoadConfig("", Env{{EnvName(c.key), c.value}}, {});
    ASSERT_FALSE(env) << EnvName(c.key) << "=" << c.value;
    EXPECT_EQ(env.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(Contains(env.error().message, c.key)) << env.error().message;

    auto file = LoadConfig(File(YamlFor(c.key, c.value)), {}, {});
    ASSERT_FALSE(file) << YamlFor(c.key, c.value);
    EXPECT_EQ(file.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(Contains(file.error().message, c.key)) << file.error().message;
  }
}

TEST_F(ConfigTest, BadValueInEnvironmentNamesVariableAndKey) {
  auto c = LoadConfig("", Env{{"RIGHTSDESK_SMTP__PORT", "70000"}}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, "RIGHTSDESK_SMTP__PORT")) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, "smtp.port")) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, "1 to 65535")) << c.error().message;
}

TEST_F(ConfigTest, BadValueInFileNamesFileAndKey) {
  const std::string path = File("log:\n  level: loud\n");
  auto c = LoadConfig(path, {}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, path)) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, "log.level")) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, "debug, info, warn or error")) << c.error().message;
}

TEST_F(ConfigTest, UnknownKeyInFileIsNamed) {
  const std::string path = File("server:\n  lisen: 0.0.0.0:9000\n");
  auto c = LoadConfig(path, {}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, "server.lisen")) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, path)) << c.error().message;
}

TEST_F(ConfigTest, UnknownKeyInEnvironmentIsNamed) {
  auto c = LoadConfig("", Env{{"RIGHTSDESK_SERVER__LISTN", "0.0.0.0:9000"}}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, "server.listn")) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, "RIGHTSDESK_SERVER__LISTN")) << c.error().message;
}

TEST_F(ConfigTest, UnknownFlagIsNamed) {
  auto c = LoadConfig("", {}, Flags{{"server.port", "80"}});
  ASSERT_FALSE(c);
  EXPECT_TRUE(Contains(c.error().message, "server.port")) << c.error().message;
}

TEST_F(ConfigTest, MalformedYamlNamesFileAndLine) {
  const std::string path = File("server:\n  listen: 0.0.0.0:9000\n  threads: [4\nlog:\n");
  auto c = LoadConfig(path, {}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, path + ":")) << c.error().message;
  // The error is reported at a line number (1-based) within the file.
  const std::string after = c.error().message.substr(path.size() + 1);
  ASSERT_FALSE(after.empty());
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(after[0]))) << c.error().message;
}

TEST_F(ConfigTest, MalformedYamlReportsTheRightLine) {
  const std::string path = File("server:\n  listen: 0.0.0.0: 9000\nlog:\n  level: info\n");
  auto c = LoadConfig(path, {}, {});
  ASSERT_FALSE(c);
  EXPECT_TRUE(Contains(c.error().message, path + ":2:")) << c.error().message;
}

TEST_F(ConfigTest, TopLevelMustBeAMap) {
  auto c = LoadConfig(File("- server\n- log\n"), {}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, "map")) << c.error().message;
}

TEST_F(ConfigTest, ListValueIsRejectedNamingTheKey) {
  auto c = LoadConfig(File("server:\n  listen:\n    - 0.0.0.0:9000\n"), {}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, "server.listen")) << c.error().message;
}

TEST_F(ConfigTest, MissingFileIsAnError) {
  const std::string path = dir_ + "/missing.yaml";
  auto c = LoadConfig(path, {}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, path)) << c.error().message;
}

TEST_F(ConfigTest, SectionWithEveryKeyCommentedOutIsEmpty) {
  auto c = LoadConfig(File("smtp:\n  # host: mail.example.com\nserver:\n  listen: 0.0.0.0:9000\n"),
                      {}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->smtp_host, "");
  EXPECT_EQ(c->listen_port, 9000);
}

TEST_F(ConfigTest, EveryKeyIsListed) {
  const auto& keys = ConfigKeys();
  for (const char* key :
       {"server.listen", "data_dir", "database.url", "smtp.port", "smtp.starttls",
        "smtp.tls_verify", "security.master_key_file", "log.level", "server.public_url",
        "worker.threads", "privacy_center.code_minutes", "privacy_center.unverified_expiry",
        "privacy_center.limit_per_address_per_hour", "privacy_center.limit_per_identity_per_day",
        "workflow.vendor_reminder_after", "workflow.vendor_max_reminders",
        "privacy_center.primary_color", "connectors.webhook_callback_timeout"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
  }
}

TEST_F(ConfigTest, DurationsTakeAUnit) {
  auto c = LoadConfig(File("privacy_center:\n  unverified_expiry: 36h\n"), {}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->unverified_expiry_seconds, 36 * 3600);
  for (const char* bad : {"36", "h", "-1d", "91d", "0s", "1.5d", "2w"}) {
    auto r = LoadConfig(File(std::string("privacy_center:\n  unverified_expiry: ") + bad + "\n"),
                        {}, {});
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("privacy_center.unverified_expiry"), std::string::npos);
  }
}

TEST_F(ConfigTest, DuplicateWindowForReview) {
  auto c = LoadConfig("", {}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->duplicate_window_seconds, 90 * 86400);
  c = LoadConfig("", Env{{"RIGHTSDESK_REVIEW__DUPLICATE_WINDOW", "30d"}}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->duplicate_window_seconds, 30 * 86400);
  auto bad = LoadConfig(File("review:\n  duplicate_window: 90\n"), {}, {});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(Contains(bad.error().message, "review.duplicate_window"));
}

TEST_F(ConfigTest, WebhookCallbackTimeoutIsADuration) {
  EXPECT_EQ(Config{}.webhook_callback_timeout_seconds, 7 * 86400);
  auto c = LoadConfig({}, {{"RIGHTSDESK_CONNECTORS__WEBHOOK_CALLBACK_TIMEOUT", "3s"}}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->webhook_callback_timeout_seconds, 3);
  auto bad = LoadConfig(File("connectors:\n  webhook_callback_timeout: 91d\n"), {}, {});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(Contains(bad.error().message, "connectors.webhook_callback_timeout"));
}

TEST_F(ConfigTest, WorkerLeaseIsADuration) {
  EXPECT_EQ(Config{}.worker_lease_seconds, 300);
  auto c = LoadConfig({}, {{"RIGHTSDESK_WORKER__LEASE", "3s"}}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->worker_lease_seconds, 3);
  for (const char* bad : {"3", "0s", "2d"}) {
    auto r = LoadConfig(File(std::string("worker:\n  lease: ") + bad + "\n"), {}, {});
    ASSERT_FALSE(r) << bad;
    EXPECT_TRUE(Contains(r.error().message, "worker.lease")) << r.error().message;
  }
}

TEST_F(ConfigTest, VendorRemindersTakeADurationAndABoundedCount) {
  auto c = LoadConfig({}, {{"RIGHTSDESK_WORKFLOW__VENDOR_REMINDER_AFTER", "2s"}}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->vendor_reminder_after_seconds, 2);
  EXPECT_EQ(c->vendor_max_reminders, 3);
  EXPECT_EQ(Config{}.vendor_reminder_after_seconds, 7 * 86400);
  auto bad = LoadConfig(File("workflow:\n  vendor_max_reminders: 11\n"), {}, {});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("workflow.vendor_max_reminders"), std::string::npos);
  auto none = LoadConfig(File("workflow:\n  vendor_max_reminders: 0\n"), {}, {});
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->vendor_max_reminders, 0);
}

}  // namespace
}  // namespace rd::app
