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
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

// "YYYY-MM-DD" at text[i]: dates are not personal data on their own and keep logs readable.
bool IsIsoDate(std::string_view text, std::size_t i) {
  if (i + 10 > text.size()) return false;
  for (std::size_t k = 0; k < 10; ++k) {
    const char c = text[i + k];
    if ((k == 4 || k == 7) ? c != '-' : !IsDigit(c)) return false;
  }
  return i + 10 == text.size() || !IsDigit(text[i + 10]);
}

// Pass 1: every local@domain.tld becomes [email].
std::string MaskEmails(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;  // text[0, copied) is in `out` or replaced
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t start = at;
    while (start > copied && IsLocalChar(text[start - 1])) --start;
    std::size_t end = at + 1;
    while (end < text.size() && IsDomainChar(text[end])) ++end;
    while (end > at + 1 && text[end - 1] == '.') --end;  // a sentence's full stop
    const std::string_view domain = text.substr(at + 1, end - at - 1);
    if (start == at || domain.find('.') == std::string_view::npos) continue;
    out.append(text.substr(copied, start - copied));
    out += "[email]";
    copied = end;
    at = end - 1;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace

std::string RedactPersonalData(std::string_view input) {
  const std::string emails_masked = MaskEmails(input);
  const std::string_view text = emails_masked;
  // Pass 2: runs of 7+ digits (separators allowed) that start a word: phone, card and id
  // numbers. Digits inside an identifier (req_3f9a1234567b) are left alone.
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool word_start = i == 0 || !(IsAlnum(text[i - 1]) || text[i - 1] == '_');
    if (word_start && IsIsoDate(text, i)) {
      out.append(text.substr(i, 10));
      i += 10;
      continue;
    }
    const bool number_start =
        IsDigit(c) || (c == '+' && i + 1 < text.size() && IsDigit(text[i + 1]));
    if (!number_start) {
      out.push_back(c);
      ++i;
      continue;
    }
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
    if (word_start && digits >= 7) {
      out += "[number]";
    } else {
      out.append(text.substr(i, last_digit + 1 - i));
    }
    i = last_digit + 1;
  }
  return out;
}

}  // namespace rd::log
