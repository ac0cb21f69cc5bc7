#include "http/json_body.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace rd::http {
namespace {

using core::Errc;

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// --- ParseJsonObject --------------------------------------------------------------------

TEST(ParseJsonObject, AcceptsAnObject) {
  auto j = ParseJsonObject(R"({"type":"deletion","subject":{"email":"a@b.co"}})");
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ((*j)["type"], "deletion");
  EXPECT_EQ((*j)["subject"]["email"], "a@b.co");
  EXPECT_TRUE(ParseJsonObject("  {}  "));
}

TEST(ParseJsonObject, RejectsEmptyBody) {
  auto j = ParseJsonObject("");
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, Errc::kInvalidArgument);
  EXPECT_NE(j.error().message.find("JSON object"), std::string::npos) << j.error().message;
}

TEST(ParseJsonObject, RejectsOtherTopLevelValues) {
  for (const char* body : {"[]", "[{\"a\":1}]", "\"text\"", "42", "true", "null"}) {
    auto j = ParseJsonObject(body);
    ASSERT_FALSE(j) << body;
    EXPECT_EQ(j.error().code, Errc::kInvalidArgument) << body;
    EXPECT_NE(j.error().message.find("JSON object"), std::string::npos) << j.error().message;
  }
}

TEST(ParseJsonObject, MalformedJsonNamesTheBytePosition) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"a":1,})", "byte 8"},
      {R"({"a" 1})", "byte 6"},
      {"{", "byte 2"},
      {"   ", "byte 4"},
  };
  for (const auto& [body, where] : cases) {
    auto j = ParseJsonObject(body);
    ASSERT_FALSE(j) << body;
    EXPECT_EQ(j.error().code, Errc::kInvalidArgument) << body;
    EXPECT_NE(j.error().message.find("malformed JSON"), std::string::npos) << j.error().message;
    EXPECT_NE(j.error().message.find(where), std::string::npos)
        << body << " -> " << j.error().message;
  }
}

TEST(ParseJsonObject, RejectsTrailingGarbage) {
  auto j = ParseJsonObject(R"({"a":1} {"b":2})");
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, Errc::kInvalidArgument);
}

// --- field readers ----------------------------------------------------------------------

TEST(OptionalString, AbsentOrNullIsNullopt) {
  const nlohmann::json obj = {{"name", nullptr}};
  auto absent = OptionalString(obj, "phone", 40);
  auto null = OptionalString(obj, "name", 40);
  ASSERT_TRUE(absent && null);
  EXPECT_FALSE(absent->has_value());
  EXPECT_FALSE(null->has_value());
}

TEST(OptionalString, ReturnsTheString) {
  const nlohmann::json obj = {{"name", "Ana"}, {"empty", ""}};
  auto name = OptionalString(obj, "name", 40);
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, std::optional<std::string>("Ana"));
  auto empty = OptionalString(obj, "empty", 40);
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, std::optional<std::string>(""));
}

TEST(OptionalString, WrongTypeNamesTheField) {
  for (const nlohmann::json& value :
       {nlohmann::json(5), nlohmann::json(true), nlohmann::json::array({"a"}),
        nlohmann::json::object({{"a", "b"}})}) {
    const nlohmann::json obj = {{"name", value}};
    auto r = OptionalString(obj, "name", 40);
    ASSERT_FALSE(r) << value;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message, "name: must be a string");
  }
}

TEST(OptionalString, TooLongNamesFieldAndLimit) {
  const nlohmann::json obj = {{"name", std::string(6, 'x')}, {"ok", std::string(5, 'x')}};
  auto r = OptionalString(obj, "name", 5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "name: at most 5 bytes");
  EXPECT_TRUE(OptionalString(obj, "ok", 5));
}

TEST(RequiredString, AbsentNullOrEmptyIsRequired) {
  const nlohmann::json obj = {{"null", nullptr}, {"empty", ""}};
  for (const char* field : {"missing", "null", "empty"}) {
    auto r = RequiredString(obj, field, 40);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message, std::string(field) + ": required");
  }
}

TEST(RequiredString, WrongTypeNamesTheField) {
  const nlohmann::json obj = {{"email", 12}};
  auto r = RequiredString(obj, "email", 254);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "email: must be a string");
}

TEST(RequiredString, ReturnsTheString) {
  const nlohmann::json obj = {{"email", "a@b.co"}};
  auto r = RequiredString(obj, "email", 254);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "a@b.co");
}

TEST(OptionalBool, ReadsBooleans) {
  const nlohmann::json obj = {{"yes", true}, {"no", false}, {"null", nullptr}};
  EXPECT_EQ(OptionalBool(obj, "yes").value(), std::optional<bool>(true));
  EXPECT_EQ(OptionalBool(obj, "no").value(), std::optional<bool>(false));
  EXPECT_EQ(OptionalBool(obj, "null").value(), std::nullopt);
  EXPECT_EQ(OptionalBool(obj, "missing").value(), std::nullopt);
}

TEST(OptionalBool, WrongTypeNamesTheField) {
  for (const nlohmann::json& value :
       {nlohmann::json("true"), nlohmann::json(1), nlohmann::json(0), nlohmann::json::array()}) {
    const nlohmann::json obj = {{"skip_verification", value}};
    auto r = OptionalBool(obj, "skip_verification");
    ASSERT_FALSE(r) << value;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message, "skip_verification: must be true or false");
  }
}

// --- error mapping ----------------------------------------------------------------------

TEST(ErrorMapping, EveryCodeHasItsStatus) {
  const std::vector<std::pair<Errc, int>> table = {
      {Errc::kInvalidArgument, 400},  {Errc::kUnauthenticated, 401}, {Errc::kPermissionDenied, 403},
      {Errc::kNotFound, 404},         {Errc::kConflict, 409},        {Errc::kPayloadTooLarge, 413},
      {Errc::kUnsupportedMedia, 415}, {Errc::kRateLimited, 429},     {Errc::kInternal, 500},
      {Errc::kUnavailable, 503},
  };
  for (const auto& [code, status] : table) {
    EXPECT_EQ(HttpStatusFor(code), status) << core::ErrcName(code);
  }
}

TEST(ErrorMapping, ErrorBodyHasCodeAndMessageOnly) {
  const std::vector<std::pair<Errc, std::string>> codes = {
      {Errc::kInvalidArgument, "invalid_argument"},
      {Errc::kUnauthenticated, "unauthenticated"},
      {Errc::kPermissionDenied, "permission_denied"},
      {Errc::kNotFound, "not_found"},
      {Errc::kConflict, "conflict"},
      {Errc::kRateLimited, "rate_limited"},
      {Errc::kPayloadTooLarge, "payload_too_large"},
      {Errc::kUnsupportedMedia, "unsupported_media_type"},
      {Errc::kUnavailable, "unavailable"},
      {Errc::kInternal, "internal"},
  };
  for (const auto& [code, name] : codes) {
    const HttpResponse r = ErrorResponse(code, "subject.email: not a valid email address");
    EXPECT_EQ(r.status, HttpStatusFor(code)) << name;
    EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/json") << name;
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << r.body;
    EXPECT_EQ(
        body,
        (nlohmann::json{
            {"error", {{"code", name}, {"message", "subject.email: not a valid email address"}}}}))
        << r.body;
  }
}

TEST(ErrorMapping, ErrorStructOverloadMatches) {
  const HttpResponse a = ErrorResponse(core::Error{Errc::kConflict, "email: taken"});
  const HttpResponse b = ErrorResponse(Errc::kConflict, "email: taken");
  EXPECT_EQ(a.status, 409);
  EXPECT_EQ(a.body, b.body);
}

TEST(JsonResponse, SetsStatusTypeAndBody) {
  const HttpResponse r = JsonResponse(201, {{"id", "req_1"}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body), (nlohmann::json{{"id", "req_1"}}));
}

TEST(JsonResponse, InvalidUtf8DoesNotThrow) {
  HttpResponse r;
  EXPECT_NO_THROW(r = JsonResponse(200, {{"name", "bad \xff"}}));
  EXPECT_FALSE(nlohmann::json::parse(r.body, nullptr, false).is_discarded()) << r.body;
}

}  // namespace
}  // namespace rd::http
