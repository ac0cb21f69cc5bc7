#pragma once

// The hand-written matchers of the detectors' extract patterns (value_detectors.cc, kSpecs), all
// but IPv6's: MatchShape (shape_match.h) runs them over a range, the text scanner's fast reads
// (text_scanner.cc) at one candidate start.
//
// Every one of these patterns but street's is "(?:^|L)(C)(?:$|R)" (email: "(?:^|L)(C)") where
// no byte of L can start C and none of R can end it. RE2's leftmost-first match is then: the
// smallest start m >= pos at which either ^ holds (m == 0: the candidate starts at 0, tried first)
// or s[m] is in L (the candidate starts at m + 1), and from that candidate start the first end in
// C's priority order at which $ (the end of the whole text, and the search reaches it) or a byte of
// R (inside the search) follows. Most C below parse deterministically (an optional separator is
// taken exactly when the next byte is one, a group of digits is the whole digit run), so their
// ends in priority order are their possible lengths, longest first for greedy repetition, and
// the first alternative's before the second's; IBAN's groups are found by RE2's backtracking
// order itself. Street's pattern has no context: its match can start anywhere (MatchStreet).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "scan/ascii.h"
#include "scan/shape_match.h"

namespace rd::scan::shapes {

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Byte classes, one table lookup each.
enum ByteClass : std::uint8_t {
  kAlnumByte = 1,        // [A-Za-z0-9]
  kEmailLocalByte = 2,   // [A-Za-z0-9._%+\-]
  kEmailDomainByte = 4,  // [A-Za-z0-9\-]
  kPhoneByte = 8,        // [\d .()\-]
};
inline constexpr std::array<std::uint8_t, 256> kByteClasses = [] {
  std::array<std::uint8_t, 256> t{};
  const auto add = [&](std::uint8_t bits, int lo, int hi) {
    for (int c = lo; c <= hi; ++c) t[static_cast<std::size_t>(c)] |= bits;
  };
  add(kAlnumByte | kEmailLocalByte | kEmailDomainByte | kPhoneByte, '0', '9');
  add(kAlnumByte | kEmailLocalByte | kEmailDomainByte, 'A', 'Z');
  add(kAlnumByte | kEmailLocalByte | kEmailDomainByte, 'a', 'z');
  for (const char c : {'.', '_', '%', '+', '-'}) add(kEmailLocalByte, c, c);
  add(kEmailDomainByte, '-', '-');
  for (const char c : {' ', '.', '(', ')', '-'}) add(kPhoneByte, c, c);
  return t;
}();
inline bool Is(std::uint8_t cls, char c) {
  return kByteClasses[static_cast<unsigned char>(c)] & cls;
}

using ascii::IsDigit;
using ascii::IsLetter;
using ascii::IsUpper;
inline bool IsAlnum(char c) { return Is(kAlnumByte, c); }
inline bool IsEmailLocal(char c) { return Is(kEmailLocalByte, c); }
inline bool IsEmailDomain(char c) { return Is(kEmailDomainByte, c); }

// One search: the text, its length and the end of the searched range.
class Shapes {
 public:
  Shapes(std::string_view text, std::size_t to) : s_(text.data()), n_(text.size()), to_(to) {}

  // The end of d's candidate starting at c, kNone when none.
  [[gnu::always_inline]] std::size_t End(Detector d, std::size_t c) const {
    switch (d) {
      case Detector::kPhone:
        return Phone(c);
      case Detector::kCard:
        return Card(c);
      case Detector::kSsn:  // \d{3}[ \-]?\d{2}[ \-]?\d{4}
        return Fixed(c, {3, 2, 4}, " -", kDigitDash);
      case Detector::kIpv4:
        return Ipv4(c);
      case Detector::kDate:
        return Date(c);
      case Detector::kNhs:  // \d{3} ?\d{3} ?\d{4}
        return Fixed(c, {3, 3, 4}, " ", kDigitDash);
      case Detector::kSin:  // \d{3}[ \-]?\d{3}[ \-]?\d{3}
        return Fixed(c, {3, 3, 3}, " -", kDigitDash);
      case Detector::kSteuerId:  // \d{2} ?\d{3} ?\d{3} ?\d{3}
        return Fixed(c, {2, 3, 3, 3}, " ", kDigitDash);
      case Detector::kNifNie:
        return NifNie(c);
      case Detector::kPostalCode:
        return PostalCode(c);
      case Detector::kEmail:
        return Email(c);
      case Detector::kIban:
        return Iban(c);
      default:
        return kNone;
    }
  }

  // Whether s[m] is in d's left context class L.
  [[gnu::always_inline]] bool Left(Detector d, char c) const {
    switch (d) {
      case Detector::kPhone:  // [^0-9A-Za-z+(]
        return !IsAlnum(c) && c != '+' && c != '(';
      case Detector::kDate:  // [^\d]
        return !IsDigit(c);
      case Detector::kIpv4:  // [^\d.]
        return !IsDigit(c) && c != '.';
      case Detector::kNifNie:
      case Detector::kPostalCode:
      case Detector::kIban:  // [^A-Za-z0-9]
        return !IsAlnum(c);
      case Detector::kEmail:  // [^A-Za-z0-9._%+\-]
        return !IsEmailLocal(c);
      default:  // card, SSN, NHS, SIN, Steuer-ID: [^\d\-]
        return !IsDigit(c) && c != '-';
    }
  }

 private:
  // The right context classes.
  enum Right { kDigitDash, kDigit, kDigitDot, kAlnum };

  char At(std::size_t i) const { return i < to_ ? s_[i] : '\0'; }
  bool Digit(std::size_t i) const { return i < to_ && IsDigit(s_[i]); }
  bool Upper(std::size_t i) const { return i < to_ && IsUpper(s_[i]); }
  bool Digits(std::size_t i, int count) const {
    for (int k = 0; k < count; ++k) {
      if (!Digit(i + static_cast<std::size_t>(k))) return false;
    }
    return true;
  }
  // Whether a match can end after a candidate ending at e: $ or a byte of R.
  bool Ends(std::size_t e, Right r) const {
    if (e >= to_) return e == n_;
    const char c = s_[e];
    switch (r) {
      case kDigitDash:
        return !IsDigit(c) && c != '-';
      case kDigit:
        return !IsDigit(c);
      case kDigitDot:
        return !IsDigit(c) && c != '.';
      case kAlnum:
        return !IsAlnum(c);
    }
    return false;
  }
  std::size_t EndIf(std::size_t e, Right r) const { return Ends(e, r) ? e : kNone; }

  // Groups of digits, each but the first after an optional separator of `seps`.
  std::size_t Fixed(std::size_t c, std::initializer_list<int> groups, std::string_view seps,
                    Right r) const {
    std::size_t i = c;
    bool first = true;
    for (const int g : groups) {
      if (!first && seps.find(At(i)) != std::string_view::npos && At(i) != '\0') ++i;
      first = false;
      if (!Digits(i, g)) return kNone;
      i += static_cast<std::size_t>(g);
    }
    return EndIf(i, r);
  }

  // [+(]?\d[\d .()\-]{5,18}\d, right context [^0-9A-Za-z]: the longest.
  std::size_t Phone(std::size_t c) const {
    std::size_t i = c;
    if (At(i) == '+' || At(i) == '(') ++i;
    if (!Digit(i)) return kNone;
    const std::size_t limit = std::min(to_, i + 20);
    std::size_t j = i + 1;
    while (j < limit && Is(kPhoneByte, s_[j])) ++j;
    for (std::size_t e = j; e >= i + 7; --e) {
      if (IsDigit(s_[e - 1]) && Ends(e, kAlnum)) return e;
    }
    return kNone;
  }

  // \d(?:[ \-]?\d){11,18}, right context [^\d\-]: the most digits.
  std::size_t Card(std::size_t c) const {
    if (!Digit(c)) return kNone;
    std::size_t i = c + 1, best = kNone;
    for (int digits = 1; digits < 19; ++digits) {
      const std::size_t j = At(i) == ' ' || At(i) == '-' ? i + 1 : i;
      if (!Digit(j)) break;
      i = j + 1;
      if (digits + 1 >= 12 && Ends(i, kDigitDash)) best = i;
    }
    return best;
  }

  // \d{1,3}(?:\.\d{1,3}){3}, right context [^\d.]: each group the whole digit run.
  std::size_t Ipv4(std::size_t c) const {
    std::size_t i = c;
    for (int group = 0; group < 4; ++group) {
      if (group > 0) {
        if (At(i) != '.') return kNone;
        ++i;
      }
      std::size_t j = i;
      while (j < i + 4 && Digit(j)) ++j;
      if (j == i || j - i > 3) return kNone;
      i = j;
    }
    return EndIf(i, kDigitDot);
  }

  // \d{4}[\-/]\d{2}[\-/]\d{2}|\d{2}[./\-]\d{2}[./\-]\d{4}, right context [^\d].
  std::size_t Date(std::size_t c) const {
    const auto sep = [&](std::size_t i, std::string_view seps) {
      return At(i) != '\0' && seps.find(At(i)) != std::string_view::npos;
    };
    if (Digits(c, 4) && sep(c + 4, "-/") && Digits(c + 5, 2) && sep(c + 7, "-/") &&
        Digits(c + 8, 2) && Ends(c + 10, kDigit)) {
      return c + 10;
    }
    if (Digits(c, 2) && sep(c + 2, "./-") && Digits(c + 3, 2) && sep(c + 5, "./-") &&
        Digits(c + 6, 4) && Ends(c + 10, kDigit)) {
      return c + 10;
    }
    return kNone;
  }

  // [0-9XYZxyz]\d{7}-?[A-Za-z], right context [^A-Za-z0-9].
  std::size_t NifNie(std::size_t c) const {
    const char first = At(c);
    if (!IsDigit(first) && first != 'X' && first != 'Y' && first != 'Z' && first != 'x' &&
        first != 'y' && first != 'z') {
      return kNone;
    }
    if (!Digits(c + 1, 7)) return kNone;
    std::size_t i = c + 8;
    if (At(i) == '-') ++i;
    if (!IsLetter(At(i))) return kNone;
    return EndIf(i + 1, kAlnum);
  }

  // \d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z0-9]? \d[A-Z]{2}|[A-Z]\d[A-Z] \d[A-Z]\d,
  // right context [^0-9A-Za-z].
  std::size_t PostalCode(std::size_t c) const {
    if (Digits(c, 5)) {
      if (At(c + 5) == '-' && Digits(c + 6, 4) && Ends(c + 10, kAlnum)) return c + 10;
      return EndIf(c + 5, kAlnum);
    }
    if (!Upper(c)) return kNone;
    // [A-Z]{1,2}\d[A-Z0-9]? \d[A-Z]{2}
    std::size_t i = Upper(c + 1) ? c + 2 : c + 1;
    if (Digit(i)) {
      ++i;
      if (Upper(i) || Digit(i)) ++i;
      if (At(i) == ' ' && Digit(i + 1) && Upper(i + 2) && Upper(i + 3) && Ends(i + 4, kAlnum)) {
        return i + 4;
      }
    }
    // [A-Z]\d[A-Z] \d[A-Z]\d
    if (Digit(c + 1) && Upper(c + 2) && At(c + 3) == ' ' && Digit(c + 4) && Upper(c + 5) &&
        Digit(c + 6) && Ends(c + 7, kAlnum)) {
      return c + 7;
    }
    return kNone;
  }

  // [A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}, no right
  // context. The local part is the whole run before '@' ('@' is not in its class); the first
  // label too, as a '.' must follow it; then each '.' and label (its first 63 bytes) while
  // there are some, up to eight: greedy, and stopping is allowed after the first.
  std::size_t Email(std::size_t c) const {
    std::size_t i = c;
    while (i < c + 65 && IsEmailLocal(At(i))) ++i;
    if (i == c || i > c + 64 || At(i) != '@') return kNone;
    const std::size_t domain = i + 1;
    std::size_t j = domain;
    while (j < domain + 64 && IsEmailDomain(At(j))) ++j;
    if (j == domain || j > domain + 63) return kNone;
    std::size_t end = kNone;
    for (int labels = 0; labels < 8 && At(j) == '.'; ++labels) {
      const std::size_t label = j + 1;
      std::size_t k = label;
      while (k < label + 63 && IsEmailDomain(At(k))) ++k;
      if (k == label) break;
      end = j = k;
    }
    return end;
  }

  // [A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}, right context [^A-Za-z0-9]. The groups can split a
  // run of capitals and digits anywhere, so the backtracking is redone: from each position
  // and group count, one more group first (its space taken first, then its 4 to 1 bytes),
  // then stopping (three groups at least, a right context).
  std::size_t Iban(std::size_t c) const {
    if (!Upper(c) || !Upper(c + 1) || !Digit(c + 2) || !Digit(c + 3)) return kNone;
    IbanSearch search{this, c + 4, {}};
    return search.From(c + 4, 0);
  }
  bool IbanByte(std::size_t i) const { return Upper(i) || Digit(i); }
  struct IbanSearch {
    const Shapes* shapes;
    std::size_t base;
    // Bit (i - base) of failed[groups]: no match from i after that many groups. At most 8
    // groups of 5 bytes: offsets below 40.
    std::array<std::uint64_t, 9> failed;
    std::size_t From(std::size_t i, int groups) {
      const std::uint64_t bit = std::uint64_t{1} << (i - base);
      if (failed[static_cast<std::size_t>(groups)] & bit) return kNone;
      if (groups < 8) {
        for (const std::size_t space : {std::size_t{1}, std::size_t{0}}) {
          if (space && shapes->At(i) != ' ') continue;
          const std::size_t j = i + space;
          std::size_t bytes = 0;
          while (bytes < 4 && shapes->IbanByte(j + bytes)) ++bytes;
          for (; bytes > 0; --bytes) {
            if (const std::size_t e = From(j + bytes, groups + 1); e != kNone) return e;
          }
        }
      }
      if (groups >= 3 && shapes->Ends(i, kAlnum)) return i;
      failed[static_cast<std::size_t>(groups)] |= bit;
      return kNone;
    }
  };

  // (The street matcher's entry, with the others' End and Left above.)
 public:
  // The street pattern ((?i:HOUSE-NUMBER ... STREET-WORD\b\.?)|German-street NUMBER): no
  // context groups, the candidate is the whole match, which can start anywhere.
  std::size_t Street(std::size_t m) const {
    if (const std::size_t e = HouseNumberStreet(m); e != kNone) return e;
    return GermanStreet(m);
  }

 private:
  // \d{1,5}[A-Za-z]? (?:[A-Za-z'.]+ ){1,4}(?:street|st|...)\b\.?, any case. The digits are
  // all of the run's rest (a digit cannot take the place of the space), each word all of its
  // run of [A-Za-z'.] (one space must follow); the most words first, then the street word is
  // the whole run of letters after them (\b), its '.' taken when there.
  std::size_t HouseNumberStreet(std::size_t m) const {
    if (!Digit(m)) return kNone;
    std::size_t i = m;
    while (i < m + 6 && Digit(i)) ++i;
    if (i > m + 5) return kNone;
    if (IsLetter(At(i))) ++i;
    if (At(i) != ' ') return kNone;
    std::array<std::size_t, 5> words{};  // where word k starts
    words[0] = i + 1;
    int count = 0;
    while (count < 4) {
      std::size_t r = words[static_cast<std::size_t>(count)];
      while (IsLetter(At(r)) || At(r) == '\'' || At(r) == '.') ++r;
      if (r == words[static_cast<std::size_t>(count)] || At(r) != ' ') break;
      words[static_cast<std::size_t>(++count)] = r + 1;
    }
    for (int k = count; k >= 1; --k) {
      const std::size_t w = words[static_cast<std::size_t>(k)];
      std::size_t r = w;
      while (IsLetter(At(r))) ++r;
      // \b reads the byte after the word in the whole text, as RE2 reads its context.
      if (r < n_ && (IsAlnum(s_[r]) || s_[r] == '_')) continue;
      if (!IsStreetWord(s_ + w, r - w)) continue;
      return At(r) == '.' ? r + 1 : r;
    }
    return kNone;
  }

  // [A-Z][a-z\x80-\xff]+(?:stra(?:\xc3\x9f|ss)e|weg|platz|allee|gasse|ring) \d{1,4}[a-z]?.
  // A space follows the German word, so it ends where the run of [a-z\x80-\xff] ends (all its
  // bytes are in it), and at most one of the words ends a run.
  std::size_t GermanStreet(std::size_t m) const {
    if (!Upper(m)) return kNone;
    std::size_t g = m + 1;
    while (g < to_ &&
           (static_cast<unsigned char>(s_[g]) >= 0x80 || (s_[g] >= 'a' && s_[g] <= 'z'))) {
      ++g;
    }
    if (At(g) != ' ' || !Digit(g + 1)) return kNone;
    for (const std::string_view word : kGermanWords) {
      if (g >= m + 2 + word.size() && std::string_view(s_ + g - word.size(), word.size()) == word) {
        std::size_t i = g + 1;
        while (i < g + 5 && Digit(i)) ++i;
        return At(i) >= 'a' && At(i) <= 'z' ? i + 1 : i;
      }
    }
    return kNone;
  }

  const char* s_;
  std::size_t n_;
  std::size_t to_;
};

}  // namespace rd::scan::shapes
