#include "http/router.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace rd::http {
namespace {

Route MakeRoute(const std::string& method, const std::string& pattern) {
  Route r;
  r.method = method;
  r.pattern = pattern;
  r.handler = [](HttpRequest&, const core::Principal*) { return HttpResponse{}; };
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(MakeRoute("GET", "/api/v1/requests"));
    router_.Add(MakeRoute("POST", "/api/v1/requests"));
    router_.Add(MakeRoute("GET", "/api/v1/requests/{id}"));
    router_.Add(MakeRoute("PATCH", "/api/v1/requests/{id}"));
    router_.Add(MakeRoute("GET", "/api/v1/requests/{id}/events/{seq}"));
    router_.Add(MakeRoute("DELETE", "/api/v1/tokens/{id}"));
    router_.Add(MakeRoute("GET", "/healthz"));
  }

  RouteMatch Match(const std::string& method, const std::string& path) {
    params_.clear();
    return router_.Match(method, path, &params_);
  }

  Router router_;
  std::map<std::string, std::string> params_;
};

TEST_F(RouterTest, MatchesLiteralPath) {
  const RouteMatch m = Match("GET", "/healthz");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/healthz");
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_TRUE(params_.empty());
}

TEST_F(RouterTest, PicksRouteByMethod) {
  const RouteMatch get = Match("GET", "/api/v1/requests");
  const RouteMatch post = Match("POST", "/api/v1/requests");
  ASSERT_NE(get.route, nullptr);
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(get.route->method, "GET");
  EXPECT_EQ(post.route->method, "POST");
}

TEST_F(RouterTest, ExtractsParameter) {
  const RouteMatch m = Match("GET", "/api/v1/requests/req_0123abcd");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/requests/{id}");
  EXPECT_EQ(params_, (std::map<std::string, std::string>{{"id", "req_0123abcd"}}));
}

TEST_F(RouterTest, ExtractsSeveralParameters) {
  const RouteMatch m = Match("GET", "/api/v1/requests/req_1/events/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/requests/{id}/events/{seq}");
  EXPECT_EQ(params_, (std::map<std::string, std::string>{{"id", "req_1"}, {"seq", "42"}}));
}

TEST_F(RouterTest, ParameterMatchesOneSegmentOnly) {
  EXPECT_EQ(Match("GET", "/api/v1/requests/a/b").route, nullptr);
  EXPECT_EQ(Match("GET", "/api/v1/requests/a/events").route, nullptr);
}

TEST_F(RouterTest, LiteralSegmentsMustMatchExactly) {
  EXPECT_EQ(Match("GET", "/api/v1/Requests").route, nullptr);
  EXPECT_EQ(Match("GET", "/api/v2/requests").route, nullptr);
  EXPECT_EQ(Match("GET", "/api/v1/requests/req_1/event/42").route, nullptr);
}

TEST_F(RouterTest, KnownPathWithOtherMethodIsMethodNotAllowed) {
  const RouteMatch m = Match("PUT", "/api/v1/requests");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_matched);
  EXPECT_EQ(m.allow, "GET, POST");
}

TEST_F(RouterTest, AllowListsMethodsOfParameterisedPath) {
  const RouteMatch m = Match("DELETE", "/api/v1/requests/req_1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_matched);
  EXPECT_EQ(m.allow, "GET, PATCH");
}

TEST_F(RouterTest, HeadMatchesGet) {
  const RouteMatch m = Match("HEAD", "/api/v1/requests/req_1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_EQ(params_.at("id"), "req_1");
}

TEST_F(RouterTest, HeadOnPathWithoutGetIsMethodNotAllowed) {
  const RouteMatch m = Match("HEAD", "/api/v1/tokens/tok_1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_matched);
  EXPECT_EQ(m.allow, "DELETE");
}

TEST_F(RouterTest, UnknownPathMatchesNothing) {
  for (const char* path : {"/", "", "/nope", "/api/v1", "/api/v1/tokens"}) {
    const RouteMatch m = Match("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.path_matched) << path;
    EXPECT_TRUE(m.allow.empty()) << path;
  }
}

TEST_F(RouterTest, ParamsUntouchedWithoutMatch) {
  params_ = {{"keep", "me"}};
  const RouteMatch m = router_.Match("PUT", "/api/v1/requests/req_1", &params_);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(params_, (std::map<std::string, std::string>{{"keep", "me"}}));
}

TEST_F(RouterTest, NullParamsAreAllowed) {
  const RouteMatch m = router_.Match("GET", "/api/v1/requests/req_1", nullptr);
  ASSERT_NE(m.route, nullptr);
}

TEST(SplitPath, DropsEmptySegments) {
  EXPECT_EQ(SplitPath("/api/v1/requests"), (std::vector<std::string>{"api", "v1", "requests"}));
  EXPECT_EQ(SplitPath("//api//v1/"), (std::vector<std::string>{"api", "v1"}));
  EXPECT_TRUE(SplitPath("/").empty());
  EXPECT_TRUE(SplitPath("").empty());
}

}  // namespace
}  // namespace rd::http
