#include "core/package_format.h"

#include <cctype>

namespace rd::core {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<std::vector<JsonMember>> Object() {
    std::vector<JsonMember> out;
    Space();
    if (!Eat('{')) return Bad();
    Space();
    if (Eat('}')) return End(std::move(out));
    while (true) {
      JsonMember m;
      Space();
      if (Peek() != '"') return Bad();
      auto key = String();
      if (!key) return tl::unexpected(key.error());
      m.key = std::move(*key);
      Space();
      if (!Eat(':')) return Bad();
      Space();
      const std::size_t start = i_;
      if (Peek() == '"') {
        auto text = String();
        if (!text) return tl::unexpected(text.error());
        m.text = std::move(*text);
        m.is_string = true;
      } else if (Peek() == '{' || Peek() == '[') {
        if (auto s = Skip(); !s) return tl::unexpected(s.error());
        m.text = std::string(s_.substr(start, i_ - start));
      } else {
        while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' &&
               !std::isspace(static_cast<unsigned char>(s_[i_]))) {
          ++i_;
        }
        if (i_ == start) return Bad();
        m.text = std::string(s_.substr(start, i_ - start));
        if (m.text == "null") m.text.clear();
      }
      m.raw = std::string(s_.substr(start, i_ - start));
      out.push_back(std::move(m));
      Space();
      if (Eat(',')) continue;
      if (Eat('}')) return End(std::move(out));
      return Bad();
    }
  }

 private:
  Result<std::vector<JsonMember>> End(std::vector<JsonMember> out) {
    Space();
    if (i_ != s_.size()) return Bad();
    return out;
  }
  static Result<std::vector<JsonMember>> Bad() {
    return Fail(Errc::kInvalidArgument, "row: not a flat JSON object");
  }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  void Space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  static void Utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  Result<unsigned> Hex4() {
    if (i_ + 4 > s_.size()) return Fail(Errc::kInvalidArgument, "row: bad \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return Fail(Errc::kInvalidArgument, "row: bad \\u escape");
      }
    }
    return v;
  }
  Result<std::string> String() {
    ++i_;  // the opening quote
    std::string out;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) break;
      const char e = s_[i_++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'u': {
          auto cp = Hex4();
          if (!cp) return tl::unexpected(cp.error());
          unsigned v = *cp;
          if (v >= 0xD800 && v < 0xDC00 && i_ + 6 <= s_.size() && s_[i_] == '\\' &&
              s_[i_ + 1] == 'u') {
            i_ += 2;
            auto lo = Hex4();
            if (!lo) return tl::unexpected(lo.error());
            v = 0x10000 + ((v - 0xD800) << 10) + (*lo - 0xDC00);
          }
          Utf8(out, v);
          break;
        }
        default:
          out.push_back(e);  // " \ /
      }
    }
    return Fail(Errc::kInvalidArgument, "row: unterminated string");
  }
  // Skips a nested object or array.
  Status Skip() {
    int depth = 0;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"') {
        if (auto s = String(); !s) return tl::unexpected(s.error());
        continue;
      }
      ++i_;
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return {};
      }
    }
    return Fail(Errc::kInvalidArgument, "row: unterminated value");
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

Result<std::vector<JsonMember>> ParseFlatObject(std::string_view json) {
  return Parser(json).Object();
}

std::string CsvField(std::string_view value, bool is_string) {
  std::string v(value);
  if (is_string && !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
    v.insert(v.begin(), '\'');
  }
  const bool quote = v.find_first_of(",\"\r\n") != std::string::npos ||
                     (!v.empty() && (v.front() == ' ' || v.back() == ' '));
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string FileSlug(std::string_view name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (c == '_' || c == '-') {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "data" : out;
}

}  // namespace rd::core
