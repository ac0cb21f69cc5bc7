#include "connectors/webhook_connector.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/registry.h"
#include "crypto/sodium_crypto.h"

namespace rd::connectors {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "0123456789abcdef-secret";
constexpr core::UnixTime kNow = 1'790'000'000;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(WebhookSignatureTest, IsHmacSha256OfTimestampDotBody) {
  // Computed independently: Python's hmac.new(secret, b"1790000000." + body, sha256).
  EXPECT_EQ(WebhookSignature(kSecret, "1790000000", R"({"status":"completed"})"),
            "v1=a3edfd9d476bbb3954f08db213e2d428807d9b989c2ce07e4c38a053e11a2c57");
}

TEST(WebhookSignatureTest, VerifiesTheSignatureAndTheTimestamp) {
  const std::string body = R"({"status":"completed"})";
  const std::string ts = std::to_string(kNow - 60);
  const std::string sig = WebhookSignature(kSecret, ts, body);
  auto ok = VerifyWebhookSignature(kSecret, {ts, sig, body}, kNow);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ("v1=" + *ok, sig);
  // One of several entries (a receiver rotating its secret) is enough.
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, {ts, "v1=00, " + sig, body}, kNow));

  auto wrong_body = VerifyWebhookSignature(kSecret, {ts, sig, body + " "}, kNow);
  ASSERT_FALSE(wrong_body);
  EXPECT_EQ(wrong_body.error().code, core::Errc::kUnauthenticated);
  EXPECT_TRUE(Has(wrong_body.error().message, "Rightsdesk-Signature"));
  EXPECT_FALSE(VerifyWebhookSignature("another-secret-of-16", {ts, sig, body}, kNow));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, {ts, "", body}, kNow));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, {ts, sig.substr(3), body}, kNow));

  const std::string old = std::to_string(kNow - 301);
  auto stale =
      VerifyWebhookSignature(kSecret, {old, WebhookSignature(kSecret, old, body), body}, kNow);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::Errc::kUnauthenticated);
  EXPECT_TRUE(Has(stale.error().message, "Rightsdesk-Timestamp"));
  const std::string future = std::to_string(kNow + 301);
  EXPECT_FALSE(VerifyWebhookSignature(
      kSecret, {future, WebhookSignature(kSecret, future, body), body}, kNow));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, {"", sig, body}, kNow));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, {"12ab", sig, body}, kNow));
}

TEST(WebhookResultTest, ReadsCountsAndStreamsRows) {
  core::RowCollector rows(10);
  auto r = ParseWebhookResult(
      R"({"status":"completed","collections":{"customers":{"found":2,"erased":1,"masked":1}},
          "rows":{"customers":[{"email":"ana@example.com"},{"email":"ana2@example.com"}],
                  "orders":[{"id":7}]},"verified":true})",
      false, rows, "answer");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "completed");
  EXPECT_TRUE(r->result.verified);
  ASSERT_EQ(r->result.collections.size(), 2u);
  EXPECT_EQ(r->result.collections[0].name, "customers");
  EXPECT_EQ(r->result.collections[0].found, 2);
  EXPECT_EQ(r->result.collections[0].erased, 1);
  EXPECT_EQ(r->result.collections[0].exported, 2);
  EXPECT_EQ(r->result.collections[1].name, "orders");
  EXPECT_EQ(r->result.collections[1].exported, 1);
  rows.MoveInto(r->result);
  EXPECT_EQ(r->result.collections[0].rows.size(), 2u);

  auto none = ParseWebhookResult(R"({"status":"not_found"})", false, rows, "answer");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->result.collections.empty());
}

TEST(WebhookResultTest, NamesTheFieldThatIsWrong) {
  core::RowCollector rows(10);
  struct Case {
    const char* body;
    bool callback;
    const char* field;
  } cases[] = {
      {"[]", true, "body: must be a JSON object"},
      {"{", true, "body: must be a JSON object"},
      {R"({})", true, "body.status"},
      {R"({"status":"done"})", true, "body.status"},
      {R"({"status":"failed"})", false, "body.status"},  // a 200 answer cannot fail
      {R"({"status":"completed","collections":[]})", true, "body.collections"},
      {R"({"status":"completed","collections":{"c":{"found":-1}}})", true,
       "body.collections.c.found"},
      {R"({"status":"completed","collections":{"c":{"erased":"2"}}})", true,
       "body.collections.c.erased"},
      {R"({"status":"completed","rows":{"c":[1]}})", true, "body.rows.c[0]"},
      {R"({"status":"failed","error":5})", true, "body.error"},
      {R"({"status":"completed","verified":"yes"})", true, "body.verified"},
  };
  for (const auto& c : cases) {
    auto r = ParseWebhookResult(c.body, c.callback, rows, "body");
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument) << c.body;
    EXPECT_TRUE(Has(r.error().message, c.field)) << c.body << ": " << r.error().message;
  }
  auto failed = ParseWebhookResult(R"({"id":"task_1","status":"failed","error":"disk full"})", true,
                                   rows, "body");
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->error, "disk full");
  EXPECT_EQ(failed->id, "task_1");
  // A callback must name its job (its task), so that it cannot be replayed to another.
  auto unnamed = ParseWebhookResult(R"({"status":"completed"})", true, rows, "body");
  ASSERT_FALSE(unnamed);
  EXPECT_TRUE(Has(unnamed.error().message, "body.id")) << unnamed.error().message;
}

// A system behind the webhook, scripted: what it answers and what it was sent.
struct FakeSystem {
  long status = 200;
  std::string answer = R"({"status":"completed","collections":{"users":{"found":1,"erased":1}}})";
  core::Error error{core::Errc::kInternal, ""};
  bool fail = false;
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;

  WebhookPost Post() {
    return [this](const std::string& u, const std::map<std::string, std::string>& h,
                  const std::string& b, long) -> core::Result<WebhookReply> {
      url = u;
      headers = h;
      body = b;
      if (fail) return tl::unexpected(error);
      return WebhookReply{status, answer};
    };
  }
};

class WebhookConnectorTest : public ::testing::Test {
 protected:
  WebhookConnectorTest()
      : connector_({"https://systems.example.com/privacy", kSecret, 30}, system_.Post(),
                   [] { return kNow; }) {
    connector_.ForJob({"task_1", "req_1", "deletion", "gdpr",
                       "https://desk.example.com/api/v1/webhooks/tasks/task_1", kNow - 100});
  }
  FakeSystem system_;
  WebhookConnector connector_;
  const core::Identities ids_{{"email", "ana@example.com"}, {"phone_number", "+4930123"}};
};

TEST_F(WebhookConnectorTest, PostsASignedJob) {
  auto r = connector_.Erase(ids_, "ignored");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->action, "erase");
  EXPECT_FALSE(r->deferred);
  ASSERT_EQ(r->collections.size(), 1u);
  EXPECT_EQ(r->collections[0].erased, 1);

  EXPECT_EQ(system_.url, "https://systems.example.com/privacy");
  EXPECT_EQ(system_.headers["Content-Type"], "application/json");
  EXPECT_EQ(system_.headers["Rightsdesk-Timestamp"], std::to_string(kNow));
  EXPECT_EQ(system_.headers["Rightsdesk-Signature"],
            WebhookSignature(kSecret, std::to_string(kNow), system_.body));
  const auto job = json::parse(system_.body);
  EXPECT_EQ(job["id"], "task_1");
  EXPECT_EQ(job["action"], "erase");
  EXPECT_EQ(job["request"],
            (json{{"id", "req_1"}, {"type", "deletion"}, {"jurisdiction", "gdpr"}}));
  EXPECT_EQ(job["identities"], (json{{"email", "ana@example.com"}, {"phone_number", "+4930123"}}));
  EXPECT_EQ(job["callback_url"], "https://desk.example.com/api/v1/webhooks/tasks/task_1");
  EXPECT_EQ(job["created_at"], core::FormatRfc3339(kNow - 100));
}

TEST_F(WebhookConnectorTest, ExportStreamsTheRowsToTheSink) {
  system_.answer = R"({"status":"completed","rows":{"users":[{"email":"ana@example.com"}]}})";
  core::RowCollector rows(10);
  auto r = connector_.Export(ids_, rows);
  ASSERT_TRUE(r) << r.error().message;
  rows.MoveInto(*r);
  ASSERT_EQ(r->collections.size(), 1u);
  EXPECT_EQ(r->collections[0].exported, 1);
  ASSERT_EQ(r->collections[0].rows.size(), 1u);
  EXPECT_EQ(json::parse(r->collections[0].rows[0])["email"], "ana@example.com");
  EXPECT_EQ(json::parse(system_.body)["action"], "export");
}

TEST_F(WebhookConnectorTest, Accepted202IsDeferred) {
  system_.status = 202;
  system_.answer = "";
  auto r = connector_.OptOut(ids_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->deferred);
  EXPECT_EQ(r->action, "opt_out");

  // Without a task (the review pre-scan) nothing can call back.
  connector_.ForJob({"", "req_1", "deletion", "gdpr", "", 0});
  auto find = connector_.Find(ids_);
  ASSERT_FALSE(find);
  EXPECT_EQ(find.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(json::parse(system_.body)["id"].is_null());
}

TEST_F(WebhookConnectorTest, ClientErrorsFailServerErrorsRetry) {
  system_.status = 400;
  system_.answer = R"({"error":"unknown identity type"})";
  auto refused = connector_.Erase(ids_, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kInvalidArgument);
  EXPECT_TRUE(Has(refused.error().message, "HTTP 400: unknown identity type"));

  for (long status : {500L, 503L, 429L}) {
    system_.status = status;
    auto later = connector_.Erase(ids_, "");
    ASSERT_FALSE(later);
    EXPECT_EQ(later.error().code, core::Errc::kUnavailable) << status;
  }
  system_.status = 200;
  system_.answer = "not json";
  auto garbled = connector_.Erase(ids_, "");
  ASSERT_FALSE(garbled);
  EXPECT_EQ(garbled.error().code, core::Errc::kInvalidArgument);

  system_.fail = true;
  system_.error = {core::Errc::kUnavailable, "connector: the system cannot be reached: timeout"};
  auto down = connector_.Erase(ids_, "");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, core::Errc::kUnavailable);
}

TEST(CurlPostTest, AnUnreachableSystemIsUnavailable) {
  // Port 9 (discard) on loopback: nothing listens in the test environment.
  auto r = CurlPost("http://127.0.0.1:9/privacy", {}, "{}", 2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::kUnavailable);
}

class WebhookRegistryTest : public ::testing::Test {
 protected:
  crypto::SodiumCrypto crypto_{std::string(32, 'k')};
  Registry registry_{crypto_};

  core::DataSource Source(const std::string& connector) {
    core::DataSource ds;
    ds.id = "ds_1";
    ds.process = "integration";
    ds.connector = connector;
    return ds;
  }
};

TEST_F(WebhookRegistryTest, SealsTheSecretAndShowsStars) {
  auto stored = registry_.Prepare(
      R"({"kind":"webhook","url":"https://systems.example.com/privacy","secret":"0123456789abcdef-secret"})",
      "", "");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_FALSE(Has(*stored, kSecret));
  const auto shown = json::parse(registry_.Redact(*stored));
  EXPECT_EQ(shown, (json{{"kind", "webhook"},
                         {"url", "https://systems.example.com/privacy"},
                         {"secret", "***"}}));
  // Sent back as read: the stored secret stays.
  auto again = registry_.Prepare(shown.dump(), "", *stored);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(json::parse(*again)["sealed_secret"], json::parse(*stored)["sealed_secret"]);
  auto open = registry_.Open(Source(*again));
  ASSERT_TRUE(open) << open.error().message;

  // A callback signed with that secret reads; another secret's does not.
  const std::string body = R"({"id":"task_1","status":"not_found"})";
  const std::string ts = std::to_string(kNow);
  core::RowCollector rows(10);
  auto cb = registry_.ReadCallback(Source(*again), {ts, WebhookSignature(kSecret, ts, body), body},
                                   kNow, rows);
  ASSERT_TRUE(cb) << cb.error().message;
  EXPECT_EQ(cb->status, "not_found");
  EXPECT_EQ("v1=" + cb->signature, WebhookSignature(kSecret, ts, body));
  auto forged = registry_.ReadCallback(
      Source(*again), {ts, WebhookSignature("not-the-secret-at-all", ts, body), body}, kNow, rows);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, core::Errc::kUnauthenticated);
  // A SQL source takes no callbacks.
  auto sql = registry_.ReadCallback(Source(R"({"kind":"sql","url":"sqlite:///x.db"})"),
                                    {ts, WebhookSignature(kSecret, ts, body), body}, kNow, rows);
  ASSERT_FALSE(sql);
  EXPECT_EQ(sql.error().code, core::Errc::kNotFound);
}

TEST_F(WebhookRegistryTest, RefusesWhatDoesNotFit) {
  struct Case {
    const char* connector;
    const char* field;
  } cases[] = {
      {R"({"kind":"webhook","secret":"0123456789abcdef"})", "connector.url"},
      {R"({"kind":"webhook","url":"ftp://x.example.com/","secret":"0123456789abcdef"})",
       "connector.url"},
      {R"({"kind":"webhook","url":"http://systems.example.com/","secret":"0123456789abcdef"})",
       "connector.url: must be https"},
      {R"({"kind":"webhook","url":"https://u:p@x.example.com/","secret":"0123456789abcdef"})",
       "connector.url"},
      {R"({"kind":"webhook","url":"https://x.example.com/"})", "connector.secret"},
      {R"({"kind":"webhook","url":"https://x.example.com/","secret":"short"})", "connector.secret"},
      {R"({"kind":"webhook","url":"https://x.example.com/","secret":"***"})", "connector.secret"},
      {R"({"kind":"webhook","url":"https://x.example.com/","secret":"0123456789abcdef","x":1})",
       "connector.x"},
      {R"({"kind":"webhook","url":"https://x.example.com/","secret":"0123456789abcdef","timeout_seconds":0})",
       "connector.timeout_seconds"},
      {R"({"kind":"ftp"})", "connector.kind"},
  };
  for (const auto& c : cases) {
    auto r = registry_.Prepare(c.connector, "", "");
    ASSERT_FALSE(r) << c.connector;
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(Has(r.error().message, c.field)) << c.connector << ": " << r.error().message;
  }
  // Plain http to this machine is fine (a receiver on loopback).
  EXPECT_TRUE(registry_.Prepare(
      R"({"kind":"webhook","url":"http://127.0.0.1:8099/hook","secret":"0123456789abcdef"})", "",
      ""));
}

}  // namespace
}  // namespace rd::connectors
