// Cursor pages whose cursor travels in the JSON body (search APIs such as Intercom's): set at a
// dotted path of the request body, read from a dotted path of the answer.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "connectors/saas_connector.h"
#include "connectors/saas_spec.h"

namespace rd::connectors {
namespace {

using nlohmann::json;

constexpr const char* kSearchSpec = R"(
saas_config:
  fides_key: search
  name: Search
  type: search
  client_config: {protocol: https, host: api.example.com}
  endpoints:
    - name: contacts
      requests:
        read:
          method: POST
          path: /contacts/search
          body: '{"query": {"email": "<email>"}, "pagination": {"per_page": 2}}'
          param_values: [{name: email, identity: email}]
          data_path: data
          pagination:
            strategy: cursor
            configuration:
              cursor_body_path: pagination.starting_after
              next_cursor_path: pages.next.starting_after
)";

class SearchApi final : public HttpSender {
 public:
  std::vector<HttpRequest> sent;
  core::Result<HttpResponse> Send(const HttpRequest& r) override {
    sent.push_back(r);
    const json body = json::parse(r.body);
    const json* after = ValueAt(body, "pagination.starting_after");
    if (after == nullptr) {
      return HttpResponse{200,
                          {},
                          json{{"data", {{{"id", "c1"}}, {{"id", "c2"}}}},
                               {"pages", {{"next", {{"starting_after", "cur-2"}}}}}}
                              .dump()};
    }
    EXPECT_EQ(*after, "cur-2");
    return HttpResponse{
        200, {}, json{{"data", {{{"id", "c3"}}}}, {"pages", json::object()}}.dump()};
  }
};

TEST(SaasBodyCursor, TheCursorGoesIntoTheBodyAndComesFromTheAnswer) {
  auto spec = LoadSaasSpec(kSearchSpec);
  ASSERT_TRUE(spec) << spec.error().message;
  auto api = std::make_shared<SearchApi>();
  SaasConnector connector(std::move(*spec), SaasSettings{}, api,
                          std::make_shared<RateLimiter>(std::vector<SaasRateLimit>{}),
                          RetryPolicy{});
  auto found = connector.Find({{"email", "ann@example.com"}});
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->collections.at(0).found, 3);  // two pages
  ASSERT_EQ(api->sent.size(), 2u);
  const json second = json::parse(api->sent[1].body);
  EXPECT_EQ(second["pagination"]["starting_after"], "cur-2");
  EXPECT_EQ(second["pagination"]["per_page"], 2);  // the rest of the body as written
  EXPECT_EQ(second["query"]["email"], "ann@example.com");
}

TEST(SaasBodyCursor, SetAtCreatesThePathAndRefusesANonObjectBody) {
  std::string body = R"({"a": 1})";
  ASSERT_TRUE(SetAt(body, "p.q.r", "x"));
  EXPECT_EQ(json::parse(body), json::parse(R"({"a": 1, "p": {"q": {"r": "x"}}})"));
  ASSERT_TRUE(SetAt(body, "a", "y"));
  EXPECT_EQ(json::parse(body)["a"], "y");
  std::string list = "[1]";
  EXPECT_FALSE(SetAt(list, "a", "x"));
  std::string scalar_on_way = R"({"a": 1})";
  EXPECT_FALSE(SetAt(scalar_on_way, "a.b", "x"));
}

TEST(SaasBodyCursor, ACursorNeedsOnePlaceToGoAndOneToComeFrom) {
  auto error = [](const std::string& from, const std::string& to) {
    std::string t = kSearchSpec;
    t.replace(t.find(from), from.size(), to);
    auto s = LoadSaasSpec(t);
    return s ? std::string("loaded") : s.error().message;
  };
  const std::string at = "endpoints[0].requests.read.pagination.configuration: ";
  EXPECT_EQ(error("cursor_body_path: pagination.starting_after",
                  "cursor_body_path: pagination.starting_after\n              cursor_param: after"),
            at + "needs cursor_param (a query parameter) or cursor_body_path (a path in the JSON "
                 "body), not both");
  EXPECT_EQ(error("cursor_body_path: pagination.starting_after", "has_next: more"),
            at + "needs cursor_param (a query parameter) or cursor_body_path (a path in the JSON "
                 "body), not both");
  EXPECT_EQ(error("next_cursor_path: pages.next.starting_after", "has_next: more"),
            at + "needs field (the last row's) or next_cursor_path (a path in the answer's body), "
                 "not both");
}

}  // namespace
}  // namespace rd::connectors
