#include "log/redact.h"

#include <cctype>

namespace rd::log {
namespace {

bool IsLocalChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-' || c == '\'';
}
bool IsDomainChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

}  // namespace

std::string RedactPersonalData(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '@') {
      // Walk back over the local part already copied, and forward over the domain.
      std::size_t start = out.size();
      while (start > 0 && IsLocalChar(out[start - 1])) --start;
      std::size_t end = i + 1;
      while (end < text.size() && IsDomainChar(text[end])) ++end;
      const std::string_view domain = text.substr(i + 1, end - i - 1);
      if (start < out.size() && domain.find('.') != std::string_view::npos) {
        out.resize(start);
        out += "[email]";
        i = end;
        continue;
      }
    }
    if (IsDigit(c) || (c == '+' && i + 1 < text.size() && IsDigit(text[i + 1]))) {
      std::size_t end = i + (c == '+' ? 1 : 0);
      int digits = 0;
      std::size_t last_digit = end;
      while (end < text.size() && (IsDigit(text[end]) || IsSeparator(text[end]))) {
        if (IsDigit(text[end])) {
          ++digits;
          last_digit = end;
        }
        ++end;
      }
      if (digits >= 7) {
        out += "[number]";
        i = last_digit + 1;
        continue;
      }
      out.append(text.substr(i, last_digit + 1 - i));
      i = last_digit + 1;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace rd::log
