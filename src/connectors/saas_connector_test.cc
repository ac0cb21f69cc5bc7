#include "connectors/saas_connector.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>

#include "connectors/saas_spec.h"

namespace rd::connectors {
namespace {

using nlohmann::json;

// An in-process stand-in: answers each request with `handle`, records what it was sent.
class FakeApi final : public HttpSender {
 public:
  std::function<HttpResponse(const HttpRequest&)> handle;
  std::vector<HttpRequest> sent;
  core::Result<HttpResponse> Send(const HttpRequest& r) override {
    sent.push_back(r);
    return handle(r);
  }
};

HttpResponse Json(int status, const json& body) { return {status, {}, body.dump()}; }

// The query value of `name` in a URL (values in tests need no decoding beyond %40).
std::string Query(const std::string& url, const std::string& name) {
  const auto q = url.find('?');
  if (q == std::string::npos) return "";
  std::string rest = url.substr(q + 1);
  std::size_t pos = 0;
  while (pos <= rest.size()) {
    const auto amp = rest.find('&', pos);
    const std::string pair =
        rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (pair.rfind(name + "=", 0) == 0) {
      std::string v = pair.substr(name.size() + 1);
      if (const auto at = v.find("%40"); at != std::string::npos) v.replace(at, 3, "@");
      return v;
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

std::string PathOf(const std::string& url) {
  const auto start = url.find('/', url.find("//") + 2);
  return url.substr(start,
                    url.find('?') == std::string::npos ? std::string::npos : url.find('?') - start);
}

const char* kNewsletterSpec = R"(
saas_config:
  fides_key: newsletter
  name: Newsletter
  type: newsletter
  version: 0.1.0
  connector_params:
    - name: host
      default_value: api.example.com
    - name: api_key
      sensitive: true
  client_config:
    protocol: https
    host: <host>
    authentication:
      strategy: bearer
      configuration:
        token: <api_key>
  test_request:
    method: GET
    path: /ping
  endpoints:
    - name: message
      requests:
        read:
          path: /members/<member_id>/messages
          param_values:
            - name: member_id
              references:
                - dataset: newsletter
                  field: member.id
                  direction: from
          data_path: messages
          pagination:
            strategy: cursor
            configuration:
              cursor_param: after
              field: id
              has_next: has_more
    - name: member
      requests:
        read:
          path: /search
          query_params:
            - name: email
              value: <email>
          param_values:
            - name: email
              identity: email
          data_path: result.members
        delete:
          method: DELETE
          path: /members/<member_id>
          param_values:
            - name: member_id
              references:
                - dataset: newsletter
                  field: member.id
                  direction: from
        opt_out:
          method: PATCH
          path: /members/<member_id>
          body: |
            {"status": "unsubscribed", "note": "<email>"}
          param_values:
            - name: member_id
              references:
                - dataset: newsletter
                  field: member.id
                  direction: from
            - name: email
              identity: email
)";

// The newsletter service: members by email, three messages each, two per page.
struct Newsletter {
  json members = json::array({{{"id", "m1"}, {"email", "ann@example.com"}, {"status", "on"}},
                              {{"id", "m2"}, {"email", "bob@example.com"}, {"status", "on"}}});
  HttpResponse Handle(const HttpRequest& r) {
    const std::string path = PathOf(r.url);
    if (path == "/ping") return Json(200, {{"ok", true}});
    if (path == "/search") {
      json found = json::array();
      for (const auto& m : members) {
        if (m["email"] == Query(r.url, "email")) found.push_back(m);
      }
      return Json(200, {{"result", {{"members", found}}}});
    }
    for (auto it = members.begin(); it != members.end(); ++it) {
      const std::string id = (*it)["id"];
      if (path == "/members/" + id + "/messages") {
        const std::string after = Query(r.url, "after");
        if (after.empty()) {
          return Json(
              200, {{"messages", {{{"id", id + "-1"}}, {{"id", id + "-2"}}}}, {"has_more", true}});
        }
        return Json(200, {{"messages", {{{"id", id + "-3"}}}}, {"has_more", false}});
      }
      if (path == "/members/" + id && r.method == "DELETE") {
        members.erase(it);
        return Json(204, nullptr);
      }
      if (path == "/members/" + id && r.method == "PATCH") {
        (*it)["status"] = json::parse(r.body)["status"];
        return Json(200, *it);
      }
    }
    return Json(404, {{"error", "not found"}});
  }
};

struct Rig {
  Newsletter service;
  std::shared_ptr<FakeApi> api = std::make_shared<FakeApi>();
  std::vector<std::chrono::milliseconds> slept;
  std::unique_ptr<SaasConnector> connector;

  explicit Rig(const char* spec_text = kNewsletterSpec) {
    api->handle = [this](const HttpRequest& r) { return service.Handle(r); };
    auto spec = LoadSaasSpec(spec_text);
    EXPECT_TRUE(spec.has_value()) << spec.error().message;
    SaasSettings settings;
    settings.params = {{"host", "api.example.com"}, {"api_key", "k-123"}};
    RetryPolicy retry;
    retry.sleep = [this](std::chrono::milliseconds d) { slept.push_back(d); };
    connector = std::make_unique<SaasConnector>(
        std::move(*spec), settings, api,
        std::make_shared<RateLimiter>(std::vector<SaasRateLimit>{}), retry);
  }
};

const core::Identities kAnn = {{"email", "ann@example.com"}};

TEST(SaasSpecLoader, OrdersEndpointsSoThatReferencesComeFirst) {
  auto spec = LoadSaasSpec(kNewsletterSpec);
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->endpoints.size(), 2u);
  EXPECT_EQ(spec->endpoints[0].name, "member");
  EXPECT_EQ(spec->endpoints[1].name, "message");
  EXPECT_EQ(spec->auth.strategy, SaasAuth::Strategy::kBearer);
  EXPECT_TRUE(spec->Param("api_key")->sensitive);
}

// Zendesk's shape: tickets are read through the user and erased before it (implied), the
// permanent deletion is read through the user too but says erase_after the user (explicit).
TEST(SaasSpecLoader, EraseAfterOverridesTheImpliedChildrenFirstOrder) {
  auto spec = LoadSaasSpec(R"(
saas_config:
  fides_key: desk
  name: Desk
  type: desk
  client_config: {protocol: https, host: desk.example}
  endpoints:
    - name: purge
      erase_after: [user]
      requests:
        read:
          path: /users/<id>/identities
          param_values: [{name: id, references: [{dataset: desk, field: user.id}]}]
        delete:
          method: DELETE
          path: /deleted_users/<id>
          param_values: [{name: id, references: [{dataset: desk, field: purge.user_id}]}]
    - name: tickets
      requests:
        read:
          path: /users/<id>/tickets
          param_values: [{name: id, references: [{dataset: desk, field: user.id}]}]
        delete:
          method: DELETE
          path: /tickets/<id>
          param_values: [{name: id, references: [{dataset: desk, field: tickets.id}]}]
    - name: user
      requests:
        read:
          path: /users
          query_params: [{name: email, value: <email>}]
          param_values: [{name: email, identity: email}]
        delete:
          method: DELETE
          path: /users/<id>
          param_values: [{name: id, references: [{dataset: desk, field: user.id}]}]
)");
  ASSERT_TRUE(spec) << spec.error().message;
  std::vector<std::string> names;
  for (std::size_t i : spec->EraseOrder()) names.push_back(spec->endpoints[i].name);
  EXPECT_EQ(names, (std::vector<std::string>{"tickets", "user", "purge"}));
}

TEST(SaasSpecLoader, ErrorsNameThePlace) {
  std::string text = kNewsletterSpec;
  auto bad = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    auto s = LoadSaasSpec(t);
    return s ? std::string("loaded") : s.error().message;
  };
  EXPECT_EQ(bad("field: member.id\n                  direction: from\n          data_path",
                "field: members.id\n                  direction: from\n          data_path"),
            "endpoints[0].requests.read.param_values[0].references[0].field: no endpoint "
            "'members'");
  EXPECT_EQ(bad("path: /search", "path: /search/<mail>"),
            "endpoints[1].requests.read.path: <mail> is neither a param_values name nor a "
            "connector parameter");
  EXPECT_EQ(bad("strategy: cursor", "strategy: pages"),
            "endpoints[0].requests.read.pagination.strategy: offset, cursor or link");
  EXPECT_EQ(bad("strategy: bearer", "strategy: oauth"),
            "client_config.authentication.strategy: basic, bearer or api_key");
  EXPECT_EQ(bad("  fides_key: newsletter\n", ""), "fides_key: required");
  EXPECT_EQ(
      LoadSaasSpec("saas_config: [1").error().message.find("not valid YAML") != std::string::npos,
      true);
}

TEST(SaasConnectorRun, FindCountsEveryEndpointFollowingReferencesAndCursorPages) {
  Rig rig;
  auto found = rig.connector->Find(kAnn);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->collections.size(), 2u);
  EXPECT_EQ(found->collections[0].name, "member");
  EXPECT_EQ(found->collections[0].found, 1);
  EXPECT_EQ(found->collections[1].name, "message");
  EXPECT_EQ(found->collections[1].found, 3);  // two pages
  EXPECT_EQ(found->statements, 3);
  EXPECT_EQ(Query(rig.api->sent[2].url, "after"), "m1-2");
  bool bearer = false;
  for (const auto& [k, v] : rig.api->sent[0].headers)
    bearer |= k == "Authorization" && v == "Bearer k-123";
  EXPECT_TRUE(bearer);
  EXPECT_EQ(rig.api->sent[0].url, "https://api.example.com/search?email=ann%40example.com");
}

TEST(SaasConnectorRun, ExportGivesRowsToTheSink) {
  Rig rig;
  core::RowCollector rows(100);
  auto done = rig.connector->Export(kAnn, rows);
  ASSERT_TRUE(done) << done.error().message;
  rows.MoveInto(*done);
  EXPECT_EQ(done->Total(&core::CollectionOutcome::exported), 4);
  ASSERT_EQ(done->collections[0].rows.size(), 1u);
  EXPECT_EQ(json::parse(done->collections[0].rows[0])["email"], "ann@example.com");
}

TEST(SaasConnectorRun, EraseDeletesThenVerifiesAndIsIdempotent) {
  Rig rig;
  auto done = rig.connector->Erase(kAnn, "secret");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(done->verified);
  EXPECT_EQ(done->collections[0].erased, 1);
  EXPECT_EQ(done->collections[0].remaining, 0);
  ASSERT_EQ(rig.service.members.size(), 1u);
  EXPECT_EQ(rig.service.members[0]["id"], "m2");
  ASSERT_EQ(done->errors.size(), 1u);  // messages have no delete: reported as kept
  EXPECT_EQ(done->errors[0], "message: 3 record(s) kept: the spec has no update or delete for it");
  auto again = rig.connector->Erase(kAnn, "secret");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->Total(&core::CollectionOutcome::erased), 0);
  EXPECT_TRUE(again->verified);
}

TEST(SaasConnectorRun, EraseThatLeavesRecordsIsAnError) {
  Rig rig;
  rig.api->handle = [&](const HttpRequest& r) {
    if (r.method == "DELETE") return Json(204, nullptr);  // says done, deletes nothing
    return rig.service.Handle(r);
  };
  auto done = rig.connector->Erase(kAnn, "secret");
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, core::Errc::kInternal);
  EXPECT_EQ(done.error().message, "records still found after erasure (member: 1)");
}

TEST(SaasConnectorRun, OptOutSendsTheTemplatedBody) {
  Rig rig;
  auto done = rig.connector->OptOut(kAnn);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->collections[0].opted_out, 1);
  EXPECT_EQ(rig.service.members[0]["status"], "unsubscribed");
  const auto& patch = rig.api->sent.back();
  EXPECT_EQ(json::parse(patch.body)["note"], "ann@example.com");
}

TEST(SaasConnectorRun, MissingIdentitySkipsTheRead) {
  Rig rig;
  auto found = rig.connector->Find({{"phone_number", "+15551234567"}});
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->Total(&core::CollectionOutcome::found), 0);
  EXPECT_TRUE(rig.api->sent.empty());
}

TEST(SaasConnectorRun, RetriesTooManyRequestsHonouringRetryAfter) {
  Rig rig;
  int calls = 0;
  rig.api->handle = [&](const HttpRequest& r) {
    if (++calls == 1) return HttpResponse{429, {{"retry-after", "2"}}, ""};
    if (calls == 2) return HttpResponse{503, {}, ""};
    return rig.service.Handle(r);
  };
  auto found = rig.connector->Find(kAnn);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->collections[0].found, 1);
  ASSERT_EQ(rig.slept.size(), 2u);
  EXPECT_EQ(rig.slept[0], std::chrono::seconds(2));
  EXPECT_EQ(rig.slept[1], std::chrono::milliseconds(1000));  // second attempt's backoff
}

TEST(SaasConnectorRun, KeepsFailingServerIsUnavailableAfterTheLastAttempt) {
  Rig rig;
  rig.api->handle = [](const HttpRequest&) { return HttpResponse{502, {}, ""}; };
  auto found = rig.connector->Find(kAnn);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, core::Errc::kUnavailable);
  EXPECT_EQ(found.error().message, "member.read: HTTP 502 after 4 attempts");
  EXPECT_EQ(rig.api->sent.size(), 4u);
}

TEST(SaasConnectorRun, RejectedCredentialsAreNotRetried) {
  Rig rig;
  rig.api->handle = [](const HttpRequest&) { return HttpResponse{401, {}, ""}; };
  auto tested = rig.connector->Test();
  ASSERT_FALSE(tested);
  EXPECT_EQ(tested.error().code, core::Errc::kInvalidArgument);
  EXPECT_EQ(tested.error().message, "test_request: HTTP 401 (check the connector's credentials)");
  EXPECT_EQ(rig.api->sent.size(), 1u);
}

TEST(SaasConnectorRun, OffsetAndLinkPagination) {
  const char* spec = R"(
saas_config:
  fides_key: t
  name: T
  type: t
  client_config:
    host: api.example.com
  endpoints:
    - name: by_offset
      requests:
        read:
          path: /offset
          query_params:
            - name: q
              value: <email>
          param_values:
            - name: email
              identity: email
          data_path: items
          pagination:
            strategy: offset
            configuration: {incremental_param: start, increment_by: 2, limit: 100}
    - name: by_link
      requests:
        read:
          path: /link
          param_values:
            - name: email
              identity: email
          pagination:
            strategy: link
            configuration: {source: headers, rel: next}
)";
  Rig rig(spec);
  rig.api->handle = [](const HttpRequest& r) {
    const std::string path = PathOf(r.url);
    if (path == "/offset") {
      const int start = std::stoi(Query(r.url, "start"));
      json items = json::array();
      for (int i = start; i < std::min(start + 2, 5); ++i) items.push_back({{"n", i}});
      return Json(200, {{"items", items}});
    }
    if (path == "/link" && r.url.find("page=2") == std::string::npos) {
      return HttpResponse{200,
                          {{"link", "<https://api.example.com/link?page=2>; rel=\"next\""}},
                          json::array({{{"n", 1}}, {{"n", 2}}}).dump()};
    }
    return Json(200, json::array({{{"n", 3}}}));
  };
  auto found = rig.connector->Find(kAnn);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->collections[0].found, 5);
  EXPECT_EQ(found->collections[1].found, 3);
}

TEST(SaasHelpers, DataPathFormAndBase64) {
  json body = {{"a", {{"b", json::array({{{"id", 1}}, {{"id", 2}}})}}}};
  EXPECT_EQ(RowsAt(body, "a.b").size(), 2u);
  EXPECT_EQ(RowsAt(body, "a").size(), 1u);
  EXPECT_EQ(RowsAt(body, "x").size(), 0u);
  EXPECT_EQ(*ValueAt(body, "a.b.1.id"), 2);
  EXPECT_EQ(FormEncode({{"metadata", {{"opt_out", "true"}}}, {"name", "A B"}}),
            "metadata%5Bopt_out%5D=true&name=A%20B");
  EXPECT_EQ(Base64("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(Base64("ab"), "YWI=");
}

TEST(SaasRateLimiter, WaitsWhenTheBucketIsEmpty) {
  RateLimiter limiter({{5, 1}});
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) limiter.Acquire();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

}  // namespace
}  // namespace rd::connectors
