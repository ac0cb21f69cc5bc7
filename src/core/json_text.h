#pragma once

#include <string>
#include <string_view>

namespace rd::core {

// Appends `s` as a JSON string literal, quotes included, escaped exactly as nlohmann::json's
// dump() escapes (\b \f \n \r \t, other control characters as \u00xx, other bytes as they
// are), so that texts built here and there compare equal. core builds small audit details by
// hand, as it takes no JSON library; anything bigger is built in the adapters.
inline void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          out += "\\u00";
          out += kHex[static_cast<unsigned char>(ch) >> 4];
          out += kHex[static_cast<unsigned char>(ch) & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

inline std::string JsonString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendJsonString(out, s);
  return out;
}

}  // namespace rd::core
