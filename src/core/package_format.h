#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rd::core {

// One member of a flat JSON object as a copy package writes it.
struct JsonMember {
  std::string key;
  std::string raw;   // the value's JSON text
  std::string text;  // a string's decoded text; numbers and booleans as written; "" for null
  bool is_string = false;
};

// The members of a JSON object whose values are scalars (an exported row), in order; nested
// objects and arrays are kept as their JSON text. kInvalidArgument for anything else.
[[nodiscard]] Result<std::vector<JsonMember>> ParseFlatObject(std::string_view json);

// One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge space,
// quotes doubled. A string that a spreadsheet would run as a formula (starting with = + - @)
// is prefixed with an apostrophe.
std::string CsvField(std::string_view value, bool is_string);

// Text for HTML element content and attribute values.
std::string HtmlEscape(std::string_view s);

// A file name part from a source or collection name: lower-case letters, digits, '-' and
// '_', at most 60 characters; "data" when nothing is left.
std::string FileSlug(std::string_view name);

}  // namespace rd::core
