#include "scan/validators.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace rd::scan {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Parses the leading `n` digits of `s` as a number; -1 when `s` is too short or not digits.
int Number(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

struct IinRange {
  int lo, hi;      // prefix range, inclusive
  int prefix_len;  // digits the range spans
  int min_len, max_len;
};

// Issuer ranges of the card networks in use (ISO/IEC 7812 registrations as published by the
// networks). Order matters only for readability: any matching range accepts.
constexpr std::array<IinRange, 15> kIinRanges = {{
    {4, 4, 1, 13, 19},        // Visa (13, 16, 19 in practice)
    {51, 55, 2, 16, 16},      // Mastercard
    {2221, 2720, 4, 16, 16},  // Mastercard 2-series
    {34, 34, 2, 15, 15},      // American Express
    {37, 37, 2, 15, 15},      // American Express
    {6011, 6011, 4, 16, 19},  // Discover
    {644, 649, 3, 16, 19},    // Discover
    {65, 65, 2, 16, 19},      // Discover
    {3528, 3589, 4, 16, 19},  // JCB
    {300, 305, 3, 14, 19},    // Diners Club
    {36, 36, 2, 14, 19},      // Diners Club
    {38, 39, 2, 16, 19},      // Diners Club
    {62, 62, 2, 16, 19},      // UnionPay
    {50, 50, 2, 12, 19},      // Maestro
    {56, 69, 2, 12, 19},      // Maestro and others in 5x/6x
}};

struct IbanCountry {
  char code[3];
  int length;
};

// The IBAN registry's country lengths (SWIFT, IBAN Registry).
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27},
    {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

// kIbanCountries' lengths by country code ((first letter - 'A') * 26 + second), 0: none.
constexpr std::array<std::uint8_t, 26 * 26> kIbanLengths = [] {
  std::array<std::uint8_t, 26 * 26> t{};
  for (const IbanCountry& c : kIbanCountries) {
    t[static_cast<std::size_t>((c.code[0] - 'A') * 26 + (c.code[1] - 'A'))] =
        static_cast<std::uint8_t>(c.length);
  }
  return t;
}();

bool LeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool DayExists(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const int max = kDays[m - 1] + (m == 2 && LeapYear(y) ? 1 : 0);
  return d <= max;
}

// The digits of a candidate, dropping spaces and dashes, in a buffer of its own (validators
// run for every candidate of a text scan: no allocation). Empty when anything else occurs or
// there are more than kMax digits (longer than any value checked here).
class Digits {
 public:
  static constexpr std::size_t kMax = 40;
  // Without a branch on each byte: the separators fall between the digits unpredictably.
  explicit Digits(std::string_view s) {
    bool other = false;  // a byte neither a digit nor a separator
    for (const char c : s) {
      if (n_ > kMax) break;
      const bool digit = IsDigit(c);
      other |= !digit && c != ' ' && c != '-';
      buf_[n_] = c;
      n_ += digit;
    }
    if (other || n_ > kMax) n_ = 0;
  }
  std::string_view view() const { return {buf_, n_}; }

 private:
  char buf_[kMax + 1];
  std::size_t n_ = 0;
};

}  // namespace

std::string DigitsOnly(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsDigit(c)) {
      out.push_back(c);
    } else if (c != ' ' && c != '-') {
      return {};
    }
  }
  return out;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  static constexpr int kDoubled[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};  // 2d, less 9 above 9
  int sum = 0;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {  // from the right: every second digit doubled
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(digits[n - 1 - i]) - '0');
    if (d > 9) return false;
    sum += (i & 1) ? kDoubled[d] : static_cast<int>(d);
  }
  return sum % 10 == 0;
}

bool CardNumberValid(std::string_view candidate) {
  // One pass from the right, without a branch per byte: the Luhn sum (every second digit
  // doubled), the digit count, and whether a digit differs from the first. A byte other than
  // a digit, a space or a dash refuses.
  static constexpr std::array<std::array<std::uint8_t, 10>, 2> kLuhn = {{
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},  // as is
      {0, 2, 4, 6, 8, 1, 3, 5, 7, 9},  // doubled, less 9 above 9
  }};
  std::size_t f = 0;
  while (f < candidate.size() && !IsDigit(candidate[f])) ++f;
  if (f == candidate.size()) return false;
  const char first = candidate[f];
  int sum = 0, n = 0;
  bool other = false, differs = false;
  for (std::size_t k = candidate.size(); k-- > 0;) {
    const char c = candidate[k];
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
    const bool digit = d <= 9;
    other |= !digit && c != ' ' && c != '-';
    differs |= digit && c != first;
    sum += digit ? kLuhn[static_cast<std::size_t>(n & 1)][d] : 0;
    n += digit;
  }
  // Luhn first: it refuses nine random digit strings in ten, before the issuer ranges. A run
  // of one digit passes Luhn for some lengths and is never a card.
  if (other || n < 12 || n > 19 || sum % 10 != 0 || !differs) return false;
  int prefixes[7] = {0};  // prefixes[k]: the first k digits as a number
  for (int k = 1; k <= 6; ++f) {
    if (IsDigit(candidate[f])) {
      prefixes[k] = prefixes[k - 1] * 10 + (candidate[f] - '0');
      ++k;
    }
  }
  for (const IinRange& r : kIinRanges) {
    const int prefix = prefixes[r.prefix_len];
    if (prefix >= r.lo && prefix <= r.hi && n >= r.min_len && n <= r.max_len) return true;
  }
  return false;
}

bool IbanValid(std::string_view candidate) {
  char buf[35];
  std::size_t size = 0;
  bool other = false;  // a byte neither a space, a digit nor a letter
  for (const char c : candidate) {
    if (size == sizeof buf) return false;
    other |= c != ' ' && !IsDigit(c) && !IsAlpha(c);
    buf[size] = IsDigit(c) ? c : static_cast<char>(c & ~0x20);  // ASCII upper case
    size += c != ' ';
  }
  const std::string_view s(buf, size);
  if (other || s.size() < 15 || s.size() > 34 || !IsAlpha(s[0]) || !IsAlpha(s[1]) ||
      !IsDigit(s[2]) || !IsDigit(s[3])) {
    return false;
  }
  const int length = kIbanLengths[static_cast<std::size_t>((s[0] - 'A') * 26 + (s[1] - 'A'))];
  if (length != static_cast<int>(s.size())) return false;
  // Move the first four characters to the end, letters become 10..35, then mod 97: the number's
  // digits gathered in 64 bits, reduced when a further two could overflow them.
  std::uint64_t mod = 0;
  const auto add = [&](char c) {
    mod = IsDigit(c) ? mod * 10 + static_cast<std::uint64_t>(c - '0')
                     : mod * 100 + static_cast<std::uint64_t>(c - 'A' + 10);
    if (mod >= std::uint64_t{1} << 56) mod %= 97;
  };
  for (const char c : s.substr(4)) add(c);
  for (const char c : s.substr(0, 4)) add(c);
  return mod % 97 == 1;
}

bool SsnValid(std::string_view candidate) {
  const std::string_view s = candidate;
  char buf[9];
  if (s.size() == 11) {
    if (s[3] != s[6] || (s[3] != '-' && s[3] != ' ')) return false;
    std::memcpy(buf, s.data(), 3);
    std::memcpy(buf + 3, s.data() + 4, 2);
    std::memcpy(buf + 5, s.data() + 7, 4);
  } else if (s.size() == 9) {
    std::memcpy(buf, s.data(), 9);
  } else {
    return false;
  }
  const std::string_view d(buf, 9);
  for (const char c : d) {
    if (!IsDigit(c)) return false;
  }
  const int area = Number(d, 0, 3), group = Number(d, 3, 2), serial = Number(d, 5, 4);
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  if (d.find_first_not_of(d[0]) == std::string_view::npos) return false;
  // Numbers printed in advertising and documentation, never issued to a person.
  for (std::string_view sample : {"078051120", "219099999", "123456789", "457555462"}) {
    if (d == sample) return false;
  }
  if (d.substr(0, 8) == "98765432") return false;
  return true;
}

bool NhsNumberValid(std::string_view candidate) {
  const Digits digits(candidate);
  const std::string_view d = digits.view();
  if (d.size() != 10) return false;
  if (d.find_first_not_of(d[0]) == std::string::npos) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;
  return check == d[9] - '0';
}

bool SinValid(std::string_view candidate) {
  const Digits digits(candidate);
  const std::string_view d = digits.view();
  if (d.size() != 9 || d[0] == '0' || d[0] == '8') return false;
  if (d.find_first_not_of(d[0]) == std::string::npos) return false;
  return LuhnValid(d);
}

bool NifNieValid(std::string_view candidate) {
  static constexpr std::string_view kLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  std::string s;
  for (char c : candidate) {
    if (c == '-' || c == ' ') continue;
    s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (s.size() != 9) return false;
  std::string number = s.substr(0, 8);
  if (number[0] == 'X' || number[0] == 'Y' || number[0] == 'Z') {
    number[0] = static_cast<char>('0' + (number[0] - 'X'));
  }
  const int n = [&] {
    long v = 0;
    for (char c : number) {
      if (!IsDigit(c)) return -1;
      v = v * 10 + (c - '0');
    }
    return static_cast<int>(v % 23);
  }();
  return n >= 0 && kLetters[n] == s[8];
}

bool SteuerIdValid(std::string_view candidate) {
  const Digits digits(candidate);
  const std::string_view d = digits.view();
  if (d.size() != 11 || d[0] == '0') return false;
  std::array<int, 10> counts{};
  for (int i = 0; i < 10; ++i) ++counts[d[i] - '0'];
  int repeated = 0;
  for (int c : counts) {
    if (c > 3) return false;
    if (c >= 2) ++repeated;
  }
  if (repeated != 1) return false;
  int product = 10;
  for (int i = 0; i < 10; ++i) {
    int sum = (d[i] - '0' + product) % 10;
    if (sum == 0) sum = 10;
    product = (sum * 2) % 11;
  }
  int check = 11 - product;
  if (check == 10) check = 0;
  return check == d[10] - '0';
}

bool Ipv4Valid(std::string_view candidate) {
  if (candidate.size() < 7 || candidate.size() > 15) return false;
  // inet_pton(AF_INET)'s grammar (glibc's inet_pton4): four decimal octets of at most 255,
  // without leading zeros, separated by dots; a NUL ends the string as it would end the C one.
  int octets = 0, value = 0;
  bool digit = false;
  for (const char c : candidate) {
    if (c == '\0') break;
    if (IsDigit(c)) {
      if (digit && value == 0) return false;  // a leading zero
      value = value * 10 + (c - '0');
      if (value > 255) return false;
      if (!digit && ++octets > 4) return false;
      digit = true;
    } else if (c == '.' && digit) {
      if (octets == 4) return false;
      value = 0;
      digit = false;
    } else {
      return false;
    }
  }
  return octets == 4 && digit;
}

bool Ipv6Valid(std::string_view candidate) {
  if (candidate.size() < 2 || candidate.size() > 45) return false;
  const std::string s(candidate);
  in6_addr addr{};
  return inet_pton(AF_INET6, s.c_str(), &addr) == 1;
}

bool EmailValid(std::string_view candidate) {
  const auto at = candidate.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view local = candidate.substr(0, at);
  const std::string_view domain = candidate.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) return false;
  if (domain.size() < 4 || domain.size() > 253) return false;
  std::size_t start = 0;
  std::string_view last;
  int labels = 0;
  while (start <= domain.size()) {
    const auto dot = domain.find('.', start);
    const std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsDigit(c) && !IsAlpha(c) && c != '-') return false;
    }
    last = label;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2 || last.size() < 2 || last.size() > 24) return false;
  for (char c : last) {
    if (!IsAlpha(c)) return false;
  }
  return true;
}

bool DateValid(std::string_view s) {
  if (s.size() >= 10) s = s.substr(0, 10);  // a timestamp's date part
  if (s.size() != 10) return false;
  if ((s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
    return DayExists(Number(s, 0, 4), Number(s, 5, 2), Number(s, 8, 2));
  }
  if ((s[2] == '.' || s[2] == '/' || s[2] == '-') && s[5] == s[2]) {
    const int a = Number(s, 0, 2), b = Number(s, 3, 2), y = Number(s, 6, 4);
    return DayExists(y, b, a) || DayExists(y, a, b);
  }
  return false;
}

bool PostalCodeValid(std::string_view s) {
  auto all = [&](std::size_t from, std::size_t n, auto pred) {
    if (from + n > s.size()) return false;
    for (std::size_t i = from; i < from + n; ++i) {
      if (!pred(s[i])) return false;
    }
    return true;
  };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return IsDigit(c); };
  if (s.size() == 5 && all(0, 5, digit)) return true;  // US ZIP, DE PLZ, FR
  if (s.size() == 10 && all(0, 5, digit) && s[5] == '-' && all(6, 4, digit)) return true;
  // CA: A1A 1A1
  if (s.size() == 7 && upper(s[0]) && digit(s[1]) && upper(s[2]) && s[3] == ' ' && digit(s[4]) &&
      upper(s[5]) && digit(s[6])) {
    return true;
  }
  // UK: outward code (A9, A99, AA9, AA99, A9A, AA9A) + space + inward code (9AA).
  const auto space = s.find(' ');
  if (space == std::string_view::npos || space < 2 || space > 4 || s.size() != space + 4) {
    return false;
  }
  const std::string_view out = s.substr(0, space), in = s.substr(space + 1);
  if (!digit(in[0]) || !upper(in[1]) || !upper(in[2]) || !upper(out[0])) return false;
  int digits = 0;
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (digit(out[i])) {
      ++digits;
    } else if (!upper(out[i])) {
      return false;
    }
  }
  return digits >= 1;
}

}  // namespace rd::scan
