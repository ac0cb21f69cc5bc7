#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rd::http {

// Writes JSON text straight into a string, for hot responses (request lists) where building a
// nlohmann DOM first costs more than the database query. Commas are placed automatically.
// Strings are escaped per RFC 8259; they must be valid UTF-8 (everything stored came through
// the JSON parser). Misuse (a value without a key inside an object) is a programming error.
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Already-serialized JSON (e.g. an audit event's detail, written by us), copied as is.
  JsonWriter& Raw(std::string_view json);
  // A string, or null when empty.
  JsonWriter& StringOrNull(std::string_view value);

  std::string Take() { return std::move(out_); }
  const std::string& text() const { return out_; }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace rd::http
