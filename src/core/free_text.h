#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rd::core {

// True when `s` holds a control character (newlines and tabs allowed when `allow_newlines`).
inline bool HasControlCharacters(std::string_view s, bool allow_newlines) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// Checks a free-text field a person typed (a reason, a message): present with at least one
// character that is not a space, at most `max_bytes`, and no control characters other than
// newlines and tabs. kInvalidArgument naming `field` ("reason: required").
[[nodiscard]] inline Status CheckFreeText(std::string_view field, std::string_view text,
                                          std::size_t max_bytes) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Fail(Errc::kInvalidArgument, std::string(field) + ": required");
  }
  if (text.size() > max_bytes) {
    return Fail(Errc::kInvalidArgument,
                std::string(field) + ": at most " + std::to_string(max_bytes) + " bytes");
  }
  if (HasControlCharacters(text, true)) {
    return Fail(Errc::kInvalidArgument,
                std::string(field) + ": no control characters other than line breaks");
  }
  return {};
}

}  // namespace rd::core
