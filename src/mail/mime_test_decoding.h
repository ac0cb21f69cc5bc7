#pragma once

// Test support: decoders for what mail/mime_message.cc encodes, written independently of it
// (straight from RFC 2045 and RFC 2047), so that the tests check a round trip, not the encoder
// against itself. Header-only; used by the unit and SMTP tests.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rd::mail::testing {

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // RFC 2045: encoders write upper-case hex
}

// "\r\n" and lone "\n" both end a line; "=" at the end of a line is a soft line break.
inline std::optional<std::string> DecodeQuotedPrintable(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    if (c == '=') {
      if (in.substr(i + 1, 2) == "\r\n") {
        i += 3;
      } else if (in.substr(i + 1, 1) == "\n") {
        i += 2;
      } else if (i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
        out += static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
        i += 3;
      } else {
        return std::nullopt;
      }
    } else if (c == '\r' && in.substr(i, 2) == "\r\n") {
      out += '\n';
      i += 2;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

inline std::optional<std::string> DecodeBase64(std::string_view in) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      return std::nullopt;
    }
    bits = bits << 6 | static_cast<std::uint32_t>(v);
    if (++count == 4) {
      out += {static_cast<char>(bits >> 16), static_cast<char>(bits >> 8), static_cast<char>(bits)};
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) out += static_cast<char>(bits >> 4);
  if (count == 3) out += {static_cast<char>(bits >> 10), static_cast<char>(bits >> 2)};
  return out;
}

// Removes folding: CRLF (or LF) followed by white space.
inline std::string Unfold(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && value.substr(i, 2) == "\r\n") continue;
    if (value[i] == '\n') continue;
    out += value[i];
  }
  return out;
}

// Decodes an unfolded unstructured header value: "=?UTF-8?B?...?=" words (white space between
// two of them is dropped, RFC 2047 6.2) and plain text. nullopt for a malformed word.
inline std::optional<std::string> DecodeHeaderValue(std::string_view value) {
  std::string out;
  std::string pending_space;
  bool last_was_word = false;
  std::size_t i = 0;
  while (i < value.size()) {
    if (value[i] == ' ' || value[i] == '\t') {
      pending_space += value[i++];
      continue;
    }
    const std::size_t end = value.find_first_of(" \t", i);
    const std::string_view token = value.substr(i, end == std::string_view::npos ? end : end - i);
    i += token.size();
    constexpr std::string_view kPrefix = "=?utf-8?b?";  // charset and encoding: any case
    std::string head(token.substr(0, kPrefix.size()));
    for (char& c : head) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    const bool is_word = token.size() >= kPrefix.size() + 2 && head == kPrefix &&
                         token.substr(token.size() - 2) == "?=";
    if (is_word) {
      if (token.size() > 75) return std::nullopt;
      auto decoded = DecodeBase64(token.substr(kPrefix.size(), token.size() - kPrefix.size() - 2));
      if (!decoded) return std::nullopt;
      if (!last_was_word) out += pending_space;
      out += *decoded;
    } else {
      out += pending_space;
      out += token;
    }
    pending_space.clear();
    last_was_word = is_word;
  }
  return out + pending_space;
}

// A message split into its header fields (names as written, values unfolded, in order) and
// its raw body. Lines may end in CRLF or LF (a Maildir file has LF).
struct ParsedMessage {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The value of the first field named `name` (case-sensitive), or nullopt.
  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
  int Count(std::string_view name) const {
    int n = 0;
    for (const auto& h : headers) n += h.first == name ? 1 : 0;
    return n;
  }
};

inline ParsedMessage ParseMessage(std::string_view raw) {
  ParsedMessage m;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t eol = raw.find('\n', pos);
    if (eol == std::string_view::npos) eol = raw.size();
    std::string_view line = raw.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !m.headers.empty()) {
      m.headers.back().second += line;  // folded continuation: drop the line break only
      continue;
    }
    const auto colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
    m.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  if (pos < raw.size()) m.body = std::string(raw.substr(pos));
  return m;
}

}  // namespace rd::mail::testing
