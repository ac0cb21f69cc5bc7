#include "http/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rd::http {
namespace {

TEST(JsonWriter, WritesNestedObjectsAndArraysWithCommas) {
  JsonWriter w;
  w.BeginObject()
      .Key("items")
      .BeginArray()
      .BeginObject()
      .Key("id")
      .String("req_1")
      .Key("n")
      .Int(-42)
      .Key("ok")
      .Bool(true)
      .Key("none")
      .Null()
      .EndObject()
      .BeginObject()
      .EndObject()
      .EndArray()
      .Key("next")
      .StringOrNull("")
      .EndObject();
  EXPECT_EQ(w.text(), R"({"items":[{"id":"req_1","n":-42,"ok":true,"none":null},{}],"next":null})");
}

TEST(JsonWriter, EscapesWhatJsonRequires) {
  const std::string nasty = "quote\" back\\ nl\n tab\t bell\x07 unicode é ✓";
  JsonWriter w;
  w.BeginObject().Key("k\"").String(nasty).EndObject();
  const auto parsed = nlohmann::json::parse(w.text());
  EXPECT_EQ(parsed.at("k\"").get<std::string>(), nasty);
  EXPECT_NE(w.text().find("\\u0007"), std::string::npos);
}

}  // namespace
}  // namespace rd::http
