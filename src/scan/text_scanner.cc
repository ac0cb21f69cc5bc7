// ValueDetectors::Find: the single-pass text scanner (docs/discovery.md, "Text scan").
//
// The definitions in value_detectors.cc stay the specification: per detector, RE2's extract
// pattern "(?:^|LEFT)(CANDIDATE)(?:$|RIGHT)" matched left to right over the whole text, each
// candidate validated, the next search starting where the candidate ends (ConfirmRange over the
// whole text, which is FindWithoutPrefilter). The scanner produces exactly those findings while
// reading most of the text only once, from bit masks of 64-byte blocks (SSE2), for the bytes
// every candidate contains:
//  - Every candidate of every detector but email and IPv6 contains a digit; every email an '@';
//    every IPv6 candidate (two colons at least) a ':'. No candidate contains a line feed.
//  - Each detector's candidate consists of bytes of one class (kClasses), so it lies inside one
//    maximal run of that class, and its match (with the context bytes) inside the run plus one
//    byte on either side. Runs are disjoint and the match before a run ends before it, so the
//    reference iteration restricted to [run begin - 1, run end + 1) finds exactly the run's
//    findings, with the whole text as context for ^, $ and \b. The candidates come from the
//    hand-written matchers (shape_match.h, RE2's answers without RE2's per-call cost); IPv6
//    alone, rare, asks RE2.
//  - A run is read at all only when one of its digit runs passes the detector's check, a
//    condition every valid candidate's first digit run meets (the digit groups from it and their
//    separators, enough digits within the longest candidate, the bytes before it). A run without
//    a valid candidate has no findings, whatever its refused candidates, so skipping it is exact.
//  - The detectors whose candidates start with a digit (or the phone's '+' or '(' before one)
//    and whose left contexts exclude digits have candidates only at digit runs' starts: their
//    runs are read asking the matcher there only (ReadDigitStarts; a card candidate at the
//    digit run itself ends where its digit groups say: CardEnd). An IBAN's or a postal
//    code's run is read at once when it can hold one candidate start only (ReadAtOnce). Both
//    validate without a dispatch on the detector.
//  - Street (no context bytes, unbounded words) is searched from each digit run that can
//    belong to a street candidate (a house number followed by a word, or a street word ending
//    in e/g/z before " digit"; street_check.h), back to where such a candidate can begin, up
//    to the first match past the digit run, or the line end.
// text_scanner_test compares the findings with FindReference and FindWithoutPrefilter,
// shape_match_test the matchers with RE2.
#include <emmintrin.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "scan/ascii.h"
#include "scan/block_masks.h"
#include "scan/digit_groups.h"
#include "scan/shape_matchers.h"
#include "scan/street_check.h"
#include "scan/validators.h"
#include "scan/value_detectors.h"

namespace rd::scan {
namespace {

using digit_groups::After;
using digit_groups::CardEnd;
using digit_groups::kAskMatcher;
static_assert(digit_groups::kNoCard == shapes::kNone, "CardEnd answers as the matcher");
using digit_groups::DigitsWithin;
using digit_groups::Groups;
using digit_groups::ParseGroups;
using digit_groups::Splits;

constexpr int Bit(Detector d) { return 1 << static_cast<int>(d); }

// Per byte, the detectors whose candidates can contain it (bit per Detector).
constexpr std::array<std::uint16_t, 256> kClasses = [] {
  std::array<std::uint16_t, 256> t{};
  const auto add = [&](int detectors, const char* bytes) {
    for (const char* b = bytes; *b; ++b) t[static_cast<unsigned char>(*b)] |= detectors;
  };
  const auto range = [&](int detectors, char lo, char hi) {
    for (int c = lo; c <= hi; ++c) t[static_cast<unsigned char>(c)] |= detectors;
  };
  const int digits = Bit(Detector::kEmail) | Bit(Detector::kPhone) | Bit(Detector::kCard) |
                     Bit(Detector::kIban) | Bit(Detector::kSsn) | Bit(Detector::kIpv4) |
                     Bit(Detector::kIpv6) | Bit(Detector::kDate) | Bit(Detector::kNhs) |
                     Bit(Detector::kSin) | Bit(Detector::kNifNie) | Bit(Detector::kSteuerId) |
                     Bit(Detector::kPostalCode);
  range(digits, '0', '9');
  // email: [A-Za-z0-9._%+-] @ [A-Za-z0-9-] and dots
  range(Bit(Detector::kEmail), 'A', 'Z');
  range(Bit(Detector::kEmail), 'a', 'z');
  add(Bit(Detector::kEmail), "._%+-@");
  // phone: [+(]?\d[\d .()-]{5,18}\d
  add(Bit(Detector::kPhone), " .()+-");
  // card, SSN, SIN: digits with spaces or dashes; NHS, Steuer-ID: with spaces
  add(Bit(Detector::kCard) | Bit(Detector::kSsn) | Bit(Detector::kSin), " -");
  add(Bit(Detector::kNhs) | Bit(Detector::kSteuerId), " ");
  // IBAN: [A-Z]{2}\d{2}( ?[A-Z0-9]{1,4}){3,8}
  range(Bit(Detector::kIban), 'A', 'Z');
  add(Bit(Detector::kIban), " ");
  add(Bit(Detector::kIpv4), ".");
  // IPv6: hex digits, colons, dots
  range(Bit(Detector::kIpv6), 'A', 'F');
  range(Bit(Detector::kIpv6), 'a', 'f');
  add(Bit(Detector::kIpv6), ":.");
  add(Bit(Detector::kDate), "-/.");
  // NIF/NIE: [0-9XYZxyz]\d{7}-?[A-Za-z]
  range(Bit(Detector::kNifNie), 'A', 'Z');
  range(Bit(Detector::kNifNie), 'a', 'z');
  add(Bit(Detector::kNifNie), "-");
  // postal code: ZIP with -, UK and CA with upper-case letters and a space
  range(Bit(Detector::kPostalCode), 'A', 'Z');
  add(Bit(Detector::kPostalCode), " -");
  return t;
}();

using ascii::IsDigit;
using ascii::IsLetter;
using ascii::IsUpper;

// Whether ValidatePhone refuses the phone candidate [c, c + length) on its digit count alone
// (length <= 21; 32 bytes from c readable): more than 15 digits, fewer than 7, fewer than 10
// without a separator, or, a national number (first digit 2-9) with NANP the default's
// numbering plan, other than 7 or 10.
bool PhoneCountRefuses(const char* c, std::size_t length, bool nanp) {
  const std::uint64_t digits = DigitMask16(c) | std::uint64_t{DigitMask16(c + 16)} << 16;
  const int count = DigitsWithin(digits, static_cast<int>(length));
  const bool marked = static_cast<std::size_t>(count) != length;
  return count > 15 || count < 7 || (!marked && count < 10) ||
         (nanp && c[0] >= '2' && c[0] <= '9' && count != 7 && count != 10);
}

// Shapes::Phone's answer for the candidate at c ([+(]?\d[\d .()\-]{5,18}\d, right context
// [^0-9A-Za-z]: the longest) from the bit masks of the 32 bytes from its first digit i (c + 33
// <= n): the candidate ends after a digit followed by a phone byte other than a digit, or by
// the first byte neither a phone byte nor a letter, 7 to 20 bytes after i.
std::size_t PhoneEnd(const char* s, std::size_t c) {
  const std::size_t i = c + (s[c] == '+' || s[c] == '(' ? 1 : 0);
  std::uint32_t digits = 0, phone = 0;
  for (int k = 0; k < 2; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + 16 * k));
    const __m128i digit = BytesFromZero(v, 9);
    __m128i other =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    other = _mm_or_si128(other, _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
    other = _mm_or_si128(other, _mm_cmpeq_epi8(v, _mm_set1_epi8('(')));
    other = _mm_or_si128(other, _mm_cmpeq_epi8(v, _mm_set1_epi8(')')));
    digits |= static_cast<std::uint32_t>(_mm_movemask_epi8(digit)) << (16 * k);
    phone |= static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(digit, other))) << (16 * k);
  }
  if (!(digits & 1)) return shapes::kNone;
  const std::uint32_t outside = ~phone & ~1u;
  const int j = std::min(outside ? __builtin_ctz(outside) : 32, 20);  // [i, i + j): the walk
  // Bit k: the candidate can end after s[i + k].
  std::uint32_t ends = digits & ~(digits >> 1) & ((1u << j) - 1) & ~((1u << 6) - 1);
  if ((ends >> (j - 1) & 1) && IsLetter(s[i + static_cast<std::size_t>(j)])) {
    ends &= ~(1u << (j - 1));
  }
  return ends ? i + static_cast<std::size_t>(32 - __builtin_clz(ends)) : shapes::kNone;
}

// Whether the bytes from q, after the first digit run of a UK or CA postal code ("SW1A 1AA",
// "K1A 0B1"), go on as one: a capital or not, then a space, a digit, a capital, and a capital
// or a digit.
bool PostalTailAt(const char* s, std::size_t n, std::size_t q) {
  if (q < n && IsUpper(s[q])) ++q;
  return q + 3 < n && s[q] == ' ' && IsDigit(s[q + 1]) && IsUpper(s[q + 2]) &&
         (IsUpper(s[q + 3]) || IsDigit(s[q + 3]));
}

// The IBAN or postal code detector's class run through the digit run [p, q) read at once:
// when the reference iteration over it (Find's read_run) can try one candidate start only, c,
// where shapes.End answers. c is the digit run's start or the capitals before it (an IBAN's
// two, a postal code's one or two); every candidate of these detectors starts with a digit or
// a capital. So no candidate starts before c when the class run's bytes before it (two at
// most) are neither digits nor letters, none between c and q (their left contexts exclude
// digits and letters), and none from the candidate's end (or q, when none starts at c) when
// the class run ends within one byte of it (a candidate has two bytes at least).
struct RunAtOnce {
  bool known = false;              // false: the run needs the reference iteration
  std::size_t begin = 0, end = 0;  // the candidate; empty when none
  std::size_t run_end = 0;         // the class run's end
};

template <Detector D>
RunAtOnce ReadAtOnce(const char* s, std::size_t n, const shapes::Shapes& shapes, std::size_t p,
                     std::size_t q) {
  constexpr std::uint16_t kBit = static_cast<std::uint16_t>(Bit(D));
  const auto in_class = [](char c) {
    return (kClasses[static_cast<unsigned char>(c)] & kBit) != 0;
  };
  if (p < 2) return {};
  std::size_t c = p;
  if constexpr (D == Detector::kIban) {
    c = p - 2;
  } else {
    if (IsUpper(s[p - 1])) c = IsUpper(s[p - 2]) ? p - 2 : p - 1;
  }
  if (c == 0) return {};
  std::size_t k = c;
  for (int before = 0; k > 0 && in_class(s[k - 1]); ++before, --k) {
    if (before == 2 || IsDigit(s[k - 1]) || IsLetter(s[k - 1])) return {};
  }
  const std::size_t e = shapes.Left(D, s[c - 1]) ? shapes.End(D, c) : shapes::kNone;
  const std::size_t after = e == shapes::kNone ? q : e;
  RunAtOnce r{true, c, e == shapes::kNone ? c : e, after};
  if (after < n && in_class(s[after])) {
    r.run_end = after + 1;
    if (after + 1 < n && in_class(s[after + 1])) return {};
  }
  return r;
}

// The class run of D's candidates through the digit run at p, read as the reference iteration
// reads it, for the detectors whose candidates start with a digit (or the phone's '+' or '('
// before one) and whose left contexts exclude digits: a candidate can start only at a digit
// run's start or that prefix, so the matcher is asked there only, and the run's bytes are read
// once. The candidate at p ends at p_end when that is known (else kAskMatcher). Returns the
// run's end, or 0 when more than 64 of its bytes lie before p (the reference iteration then
// reads it).
template <Detector D, class Valid>
std::size_t ReadDigitStarts(std::string_view text, const shapes::Shapes& shapes, std::size_t p,
                            std::size_t p_end, const Valid& valid, std::vector<Finding>& out) {
  constexpr std::uint16_t kBit = static_cast<std::uint16_t>(Bit(D));
  const auto in_class = [](char c) {
    return (kClasses[static_cast<unsigned char>(c)] & kBit) != 0;
  };
  const char* s = text.data();
  const std::size_t n = text.size();
  std::size_t m = p;
  for (int before = 0; m > 0 && in_class(s[m - 1]); ++before, --m) {
    if (before == 64) return 0;
  }
  const auto left = [&](std::size_t c) { return c == 0 || shapes.Left(D, s[c - 1]); };
  const auto end_at = [&](std::size_t c) {
    if constexpr (D == Detector::kPhone) {
      if (c + 33 <= n) return PhoneEnd(s, c);
    }
    return shapes.End(D, c);
  };
  std::size_t first = m;  // where the next candidate can start at the earliest
  while (true) {
    while (m < n && in_class(s[m]) && !IsDigit(s[m])) ++m;
    if (m >= n || !IsDigit(s[m])) return m;
    std::size_t c = m, e = shapes::kNone;
    if constexpr (D == Detector::kPhone) {
      if (m > first && (s[m - 1] == '+' || s[m - 1] == '(') && left(m - 1)) {
        c = m - 1;
        e = end_at(c);
      }
    }
    if (e == shapes::kNone && left(m)) {
      c = m;
      e = m == p && p_end != kAskMatcher ? p_end : end_at(c);
    }
    if (e != shapes::kNone) {
      if (valid(text.substr(c, e - c))) out.push_back({D, c, e});
      m = e;
      first = e + 1;
      continue;
    }
    while (m < n && IsDigit(s[m])) ++m;
  }
}

}  // namespace

void ValueDetectors::Find(std::string_view text, Scratch& /*scratch*/,
                          std::vector<Finding>& out) const {
  // Each detector's findings come in text order, so one list per detector, concatenated in
  // detector order, is the ordered result without sorting.
  thread_local std::array<std::vector<Finding>, kDetectorCount> found;
  for (auto& list : found) list.clear();
  const char* s = text.data();
  const std::size_t n = text.size();
  std::array<std::size_t, kDetectorCount> done{};
  std::size_t street_pos = 0;
  Groups groups;  // from the digit run, when it is grouped
  // Reads the run of d's class around [p, q) (once: `done`) with the reference iteration.
  const auto read_run = [&](Detector d, std::size_t p, std::size_t q) {
    const int i = static_cast<int>(d);
    const std::uint16_t bit = static_cast<std::uint16_t>(Bit(d));
    std::size_t b = p, e = q;
    while (b > 0 && (kClasses[static_cast<unsigned char>(s[b - 1])] & bit)) --b;
    while (e < n && (kClasses[static_cast<unsigned char>(s[e])] & bit)) ++e;
    done[static_cast<std::size_t>(i)] = e;
    ConfirmRange(d, text, b > 0 ? b - 1 : 0, std::min(e + 1, n), found[static_cast<std::size_t>(i)],
                 /*shapes=*/true);
  };
  // Reads d's class run through [p, q): with ReadDigitStarts for the digit-led detectors, at
  // once for an IBAN or postal code where ReadAtOnce can, else with the reference iteration;
  // the candidates validated without a dispatch on d.
  const shapes::Shapes shapes(text, n);
  const auto read_at_once = [&](auto tag, std::size_t p, std::size_t q, auto valid) {
    constexpr Detector d = decltype(tag)::value;
    if constexpr (d != Detector::kIban && d != Detector::kPostalCode) {
      const std::size_t end = ReadDigitStarts<d>(
          text, shapes, p, d == Detector::kCard ? CardEnd(groups, s, n, p) : kAskMatcher, valid,
          found[static_cast<std::size_t>(d)]);
      if (end == 0) return read_run(d, p, q);
      done[static_cast<std::size_t>(d)] = end;
      return;
    }
    const RunAtOnce r = ReadAtOnce<d>(s, n, shapes, p, q);
    if (!r.known) return read_run(d, p, q);
    const std::size_t i = static_cast<std::size_t>(d);
    if (r.end > r.begin && valid(text.substr(r.begin, r.end - r.begin))) {
      found[i].push_back({d, r.begin, r.end});
    }
    done[i] = r.run_end;
  };
  const auto read = [&](Detector d, std::size_t p, std::size_t q) {
    using D = Detector;
    const auto phone = [this, s, n](std::string_view c) {
      // Most candidates are refused on their digit count: without ValidatePhone's byte loop.
      if (c.data() + 32 <= s + n && PhoneCountRefuses(c.data(), c.size(), nanp_default_)) {
        return false;
      }
      return ValidatePhone(c);
    };
    switch (d) {
      case D::kPhone:
        return read_at_once(std::integral_constant<D, D::kPhone>{}, p, q, phone);
      case D::kCard:
        return read_at_once(std::integral_constant<D, D::kCard>{}, p, q, CardNumberValid);
      case D::kIban:
        return read_at_once(std::integral_constant<D, D::kIban>{}, p, q, IbanValid);
      case D::kSsn:
        return read_at_once(std::integral_constant<D, D::kSsn>{}, p, q, SsnValid);
      case D::kIpv4:
        return read_at_once(std::integral_constant<D, D::kIpv4>{}, p, q, Ipv4Valid);
      case D::kDate:
        return read_at_once(std::integral_constant<D, D::kDate>{}, p, q, DateValid);
      case D::kNhs:
        return read_at_once(std::integral_constant<D, D::kNhs>{}, p, q, NhsNumberValid);
      case D::kSin:
        return read_at_once(std::integral_constant<D, D::kSin>{}, p, q, SinValid);
      case D::kSteuerId:
        return read_at_once(std::integral_constant<D, D::kSteuerId>{}, p, q, SteuerIdValid);
      case D::kPostalCode:
        return read_at_once(std::integral_constant<D, D::kPostalCode>{}, p, q, PostalCodeValid);
      default:  // NIF/NIE: a candidate can start at a letter inside the class run
        return read_run(d, p, q);
    }
  };
  const auto pending = [&](Detector d, std::size_t p) {
    return p >= done[static_cast<std::size_t>(d)];
  };
  BlockMasks masks(s, n);
  std::size_t p = 0;
  while ((p = masks.NextAnchor(p)) < n) {
    if (s[p] == '@') {
      if (pending(Detector::kEmail, p)) read_run(Detector::kEmail, p, p + 1);
      ++p;
      continue;
    }
    if (s[p] == ':') {
      if (pending(Detector::kIpv6, p)) {
        // p is the run's first colon (the run's earlier colons would have been read). A valid
        // IPv6 address has "::" or six colons at least (eight groups, or six and an IPv4
        // address): times ("10:42:07") and "note: ... re:" have neither.
        constexpr std::uint16_t kBit = Bit(Detector::kIpv6);
        std::size_t e = p + 1;
        int colons = 1;
        bool elided = false;
        for (; e < n && (kClasses[static_cast<unsigned char>(s[e])] & kBit); ++e) {
          if (s[e] == ':') {
            ++colons;
            elided |= s[e - 1] == ':';
          }
        }
        if (elided || colons >= 6) {
          read_run(Detector::kIpv6, p, p + 1);
        } else {
          done[static_cast<std::size_t>(Detector::kIpv6)] = e;
        }
      }
      ++p;
      continue;
    }
    // A digit run [p, q).
    const std::size_t q = masks.DigitRunEnd(p);
    const std::size_t run = q - p;
    const char before = p > 0 ? s[p - 1] : '\0';
    const char before2 = p > 1 ? s[p - 2] : '\0';
    const char after = q < n ? s[q] : '\0';
    // Which detectors can have a valid candidate in the runs through this digit run, computed
    // without branches (the outcomes are as unpredictable as the text), then read.
    std::uint32_t want = 0;
    const auto may = [&](Detector d, bool possible) {
      want |= static_cast<std::uint32_t>(possible) << static_cast<int>(d);
    };
    // Phone: seven digits at least within the longest candidate from its first digit.
    const std::uint64_t digits = masks.Digits(p);
    may(Detector::kPhone, DigitsWithin(digits, 21) >= 7);
    // Card, SSN, SIN, NHS, Steuer-ID and date candidates have eight digits at least, IPv4
    // candidates four groups: a lone short digit run (most of them) has none. Grouped: one of
    // " -./" after the run, then a digit (the mask's, within 64 bytes).
    const bool grouped =
        ((after == ' ') | (static_cast<unsigned char>(after - '-') < 3)) &
        (run + 1 < 64 ? (digits >> (run + 1) & 1) != 0 : q + 1 < n && IsDigit(s[q + 1]));
    if (grouped || run >= 8) {
      groups = ParseGroups(s, n, p, q, digits);
      const Groups& g = groups;
      const std::uint64_t space_dash = g.space | g.dash;
      may(Detector::kCard, Splits(g, space_dash, ~std::uint64_t{0}, 12, 19));
      may(Detector::kSsn, Splits(g, space_dash, After({3, 5}), 9, 9));
      may(Detector::kSin, Splits(g, space_dash, After({3, 6}), 9, 9));
      may(Detector::kNhs, Splits(g, g.space, After({3, 6}), 10, 10));
      may(Detector::kSteuerId, Splits(g, g.space, After({2, 5, 8}), 11, 11));
      may(Detector::kDate, Splits(g, g.dash | g.slash, After({4, 6}), 8, 8) |
                               Splits(g, g.dot | g.slash | g.dash, After({2, 4}), 8, 8));
      may(Detector::kIpv4, g.ipv4);
    }
    // NIF/NIE: [0-9XYZxyz]\d{7}-?[A-Za-z]: a run of 7 (after X, Y or Z) or 8 digits, then a
    // letter or '-'. Postal code: a ZIP's five digits, or the first digit run of a UK or CA
    // code (one or two digits after a capital, then PostalTailAt). IBAN: two capitals, then two
    // digits or more.
    may(Detector::kNifNie, ((run == 7) | (run == 8)) & (IsLetter(after) | (after == '-')));
    may(Detector::kPostalCode,
        (run == 5) | ((run <= 2) && IsUpper(before) && PostalTailAt(s, n, q)));
    may(Detector::kIban, (run >= 2) & IsUpper(before) & IsUpper(before2));
    for (std::uint32_t w = want; w; w &= w - 1) {
      const auto d = static_cast<Detector>(__builtin_ctz(w));
      if (pending(d, p)) read(d, p, q);
    }
    // Street: "12[a] word" (a house number: the end of a digit run, an optional letter, a
    // space, a word) or "...e/g/z 12" (a German street word, a space, the start of a digit run).
    if (q > street_pos) {
      const bool house = street::HouseNumberEndsAt(s, n, n, q);
      const char last = p >= 2 ? s[p - 2] : '\0';  // of a German street word before " 12"
      const bool german = ((last == 'e') | (last == 'g') | (last == 'z')) & (before == ' ') &&
                          street::GermanWordBefore(s, p - 1);
      if (house || german) {
        // Where a candidate through this digit run can begin: the house number (at most five
        // digits) or the capital letter before the street word's lower-case and UTF-8 bytes.
        std::size_t from = house ? (run > 5 ? q - 5 : p) : q;
        if (german) {
          std::size_t b = p - 2;
          while (b > 0 &&
                 (static_cast<unsigned char>(s[b]) >= 0x80 || (s[b] >= 'a' && s[b] <= 'z'))) {
            --b;
          }
          if (IsUpper(s[b])) from = std::min(from, b);
        }
        street_pos = std::max(from, street_pos);
        auto& streets = found[static_cast<std::size_t>(Detector::kStreet)];
        // Without a German street word before the number, the search's first try is the house
        // number at street_pos (a digit of this run; the matcher's answer does not depend on
        // the search's end, as no candidate holds a line feed): when it matches, it is the
        // line's next match, and ends past q.
        std::size_t e = german ? shapes::kNone : shapes.Street(street_pos);
        if (e != shapes::kNone) {
          streets.push_back({Detector::kStreet, street_pos, e});
          street_pos = e;
        } else {
          // The line's matches from there up to the first that ends at or past q (the shape
          // is the street's whole test): a later one starts after it, so it goes through a
          // later digit run (a candidate has one: the house number or the German street's
          // number), whose gate reads it.
          const void* lf = std::memchr(s + q, '\n', n - q);
          const std::size_t line_end =
              lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - s) : n;
          std::size_t b = 0;
          while (true) {
            if (!MatchShape(Detector::kStreet, text, street_pos, line_end, b, e)) {
              street_pos = line_end;
              break;
            }
            streets.push_back({Detector::kStreet, b, e});
            street_pos = e;
            if (e >= q) break;
          }
        }
      }
    }
    p = q;
  }
  for (const auto& list : found) out.insert(out.end(), list.begin(), list.end());
}

}  // namespace rd::scan
