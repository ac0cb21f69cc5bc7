// ValueDetectors::Find: the single-pass text scanner (docs/discovery.md, "Text scan").
//
// The definitions in value_detectors.cc stay the specification: per detector, RE2's extract
// pattern "(?:^|LEFT)(CANDIDATE)(?:$|RIGHT)" matched left to right over the whole text, each
// candidate validated, the next search starting where the candidate ends (ConfirmRange over the
// whole text, which is FindWithoutPrefilter). The scanner produces exactly those findings while
// reading most of the text only once, with SSE2, for the bytes every candidate contains:
//  - Every candidate of every detector but email and IPv6 contains a digit; every email an '@';
//    every IPv6 candidate (two colons at least) a ':'. No candidate contains a line feed.
//  - Each detector's candidate consists of bytes of one class (kClasses), so it lies inside one
//    maximal run of that class, and its match (with the context bytes) inside the run plus one
//    byte on either side. Runs are disjoint and the match before a run ends before it, so the
//    reference iteration restricted to [run begin - 1, run end + 1) finds exactly the run's
//    findings: ConfirmRange over it, with the whole text as context for ^, $ and \b.
//  - A run is read at all only when one of its digit runs passes the detector's check, a
//    condition every valid candidate's first digit run meets (the digit groups from it and their
//    separators, enough digits within the longest candidate, the bytes before it). A run without
//    a valid candidate has no findings, whatever its refused candidates, so skipping it is exact.
//  - Street (no context bytes, unbounded words) is searched per line: from the first digit run
//    that can belong to a street candidate (a house number followed by a word, or a street word
//    ending in e/g/z before " digit"), back to where such a candidate can begin, to the line end.
// text_scanner_test compares the findings with FindReference and FindWithoutPrefilter.
#include <emmintrin.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "scan/shape_match.h"
#include "scan/value_detectors.h"

namespace rd::scan {
namespace {

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

bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
bool IsUpper(char c) { return static_cast<unsigned char>(c - 'A') < 26; }
bool IsLetter(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }

// The next byte at or after `p` that is a digit, ':' or '@' (n when none).
std::size_t NextAnchor(const char* s, std::size_t n, std::size_t p) {
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i ten = _mm_set1_epi8(10);  // '0' + 10 == ':'
  const __m128i at = _mm_set1_epi8('@');
  while (p + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
    const __m128i t = _mm_sub_epi8(v, zero);
    const __m128i digit_or_colon = _mm_cmpeq_epi8(_mm_min_epu8(t, ten), t);
    const int mask = _mm_movemask_epi8(_mm_or_si128(digit_or_colon, _mm_cmpeq_epi8(v, at)));
    if (mask) return p + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    p += 16;
  }
  for (; p < n; ++p) {
    if (static_cast<unsigned char>(s[p] - '0') <= 10 || s[p] == '@') return p;
  }
  return n;
}

// Bit i set when s[p + i] is a digit, for i < 64 and p + i < n.
std::uint64_t DigitMask(const char* s, std::size_t n, std::size_t p) {
  std::uint64_t mask = 0;
  if (p + 64 <= n) {
    const __m128i lo = _mm_set1_epi8(static_cast<char>('0' - 1 - 128));
    const __m128i hi = _mm_set1_epi8(static_cast<char>('9' + 1 - 128));
    const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
    for (int k = 0; k < 4; ++k) {
      const __m128i v =
          _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p + 16 * k)), flip);
      const __m128i in = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
      mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(in))) << (16 * k);
    }
    return mask;
  }
  for (std::size_t i = 0; i < 64 && p + i < n; ++i) {
    if (IsDigit(s[p + i])) mask |= std::uint64_t{1} << i;
  }
  return mask;
}

int DigitsWithin(std::uint64_t mask, int length) {
  std::uint64_t x = length >= 64 ? mask : mask & ((std::uint64_t{1} << length) - 1);
  // SWAR population count (the generic x86-64 target has no popcnt instruction).
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}

// The digit groups from a digit run's start: each group's length and the byte after it when
// that is one separator (" -./") followed by another group. Every candidate of the card, SSN,
// IPv4, date, NHS, SIN and Steuer-ID detectors starts at a digit run's start (their left
// context excludes digits) and is such a sequence of groups.
struct Groups {
  static constexpr int kMax = 20;
  int count = 0;
  std::array<int, kMax> length{};
  std::array<char, kMax> separator{};
};

Groups ParseGroups(const char* s, std::size_t n, std::size_t p, std::size_t q) {
  Groups g;
  for (;;) {
    g.length[static_cast<std::size_t>(g.count)] = static_cast<int>(q - p);
    char sep = 0;
    if (q + 1 < n && (s[q] == ' ' || s[q] == '-' || s[q] == '.' || s[q] == '/') &&
        IsDigit(s[q + 1])) {
      sep = s[q];
    }
    g.separator[static_cast<std::size_t>(g.count)] = sep;
    if (++g.count == Groups::kMax || !sep) return g;
    p = q + 1;
    q = p + 1;
    while (q < n && IsDigit(s[q])) ++q;
  }
}

// Whether the leading groups can make a candidate of `lo` to `hi` digits, split only after
// the digit counts in `splits` (bit k: after k digits) by separators in `seps`.
bool Splits(const Groups& g, std::string_view seps, std::uint32_t splits, int lo, int hi) {
  int sum = 0;
  for (int i = 0; i < g.count; ++i) {
    sum += g.length[static_cast<std::size_t>(i)];
    if (sum >= lo && sum <= hi) return true;
    const char sep = g.separator[static_cast<std::size_t>(i)];
    if (sum > hi || !(splits >> sum & 1) || !sep) return false;
    bool allowed = false;
    for (const char c : seps) allowed |= c == sep;
    if (!allowed) return false;
  }
  return false;
}

constexpr std::uint32_t After(std::initializer_list<int> counts) {
  std::uint32_t bits = 0;
  for (const int c : counts) bits |= 1u << c;
  return bits;
}

bool IsWordByte(char c) { return IsLetter(c) || IsDigit(c) || c == '_'; }

// After a house number's "12[a] ": whether one of the next words (up to five, of letters,
// apostrophes and dots, single spaces between) after the first begins with a street word
// followed by a word boundary. A street word followed by a letter has no boundary, so it is
// the word's whole run of letters.
// Starts at word number `word` (0: the first).
bool StreetWordFollowsScalar(const char* s, std::size_t n, std::size_t i, int word = 0) {
  for (int words = word; words < 5; ++words) {
    std::size_t j = i;
    while (j < n && IsLetter(s[j])) ++j;
    if (words > 0 && (j == n || !IsWordByte(s[j])) && IsStreetWord(s + i, j - i)) return true;
    while (j < n && (IsLetter(s[j]) || s[j] == '\'' || s[j] == '.')) ++j;
    if (j >= n || s[j] != ' ') return false;
    i = j + 1;
  }
  return false;
}

// Per byte of s[i, i + 64): bit k set when s[i + k] is a letter (`letters`), a letter, ' or .
// (`word`), a letter, digit or _ (`boundless`: no word boundary before it) or a space.
struct WordMasks {
  std::uint64_t letters = 0, word = 0, boundless = 0, spaces = 0;
};

WordMasks WordMasksAt(const char* s) {
  WordMasks m;
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i a = _mm_set1_epi8('a');
  const __m128i z = _mm_set1_epi8(25);
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16 * k));
    const __m128i l = _mm_sub_epi8(_mm_or_si128(v, lower), a);
    const __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(l, z), l);
    const __m128i d = _mm_sub_epi8(v, zero);
    const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
    const __m128i quote_dot =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    const auto bits = [&](__m128i x) {
      return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x))) << (16 * k);
    };
    m.letters |= bits(letter);
    m.word |= bits(_mm_or_si128(letter, quote_dot));
    m.boundless |=
        bits(_mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
    m.spaces |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
  }
  return m;
}

// The first k >= from with bit k of `mask` clear (64 when none).
int FirstClear(std::uint64_t mask, int from) {
  const std::uint64_t rest = ~mask >> from;
  return rest ? from + __builtin_ctzll(rest) : 64;
}

// StreetWordFollowsScalar on the bit masks of the next 64 bytes, when they are there.
bool StreetWordFollows(const char* s, std::size_t n, std::size_t i) {
  if (i + 64 > n) return StreetWordFollowsScalar(s, n, i);
  const WordMasks m = WordMasksAt(s + i);
  int at = 0;
  for (int words = 0; words < 5; ++words) {
    const int end = FirstClear(m.letters, at);
    if (end == 64) return StreetWordFollowsScalar(s, n, i + static_cast<std::size_t>(at), words);
    if (words > 0 && !(m.boundless >> end & 1) &&
        IsStreetWord(s + i + at, static_cast<std::size_t>(end - at))) {
      return true;
    }
    const int next = FirstClear(m.word, end);
    if (next == 64) return StreetWordFollowsScalar(s, n, i + static_cast<std::size_t>(at), words);
    if (!(m.spaces >> next & 1)) return false;
    at = next + 1;
    if (at == 64) return StreetWordFollowsScalar(s, n, i + 64, words + 1);
  }
  return false;
}

// Whether the bytes before s[end] end with a German street word.
bool GermanWordBefore(const char* s, std::size_t end) {
  if (end == 0 || (s[end - 1] != 'e' && s[end - 1] != 'g' && s[end - 1] != 'z')) return false;
  for (const std::string_view w : kGermanWords) {
    if (end > w.size() && std::memcmp(s + end - w.size(), w.data(), w.size()) == 0) return true;
  }
  return false;
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
  const auto pending = [&](Detector d, std::size_t p) {
    return p >= done[static_cast<std::size_t>(d)];
  };
  std::size_t p = 0;
  while ((p = NextAnchor(s, n, p)) < n) {
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
    std::size_t q = p + 1;
    while (q < n && IsDigit(s[q])) ++q;
    const std::size_t run = q - p;
    // Phone: seven digits at least within the longest candidate from its first digit.
    if (pending(Detector::kPhone, p) && DigitsWithin(DigitMask(s, n, p), 21) >= 7) {
      read_run(Detector::kPhone, p, q);
    }
    const auto check = [&](Detector d, bool possible) {
      if (possible && pending(d, p)) read_run(d, p, q);
    };
    // Card, SSN, SIN, NHS, Steuer-ID and date candidates have eight digits at least, IPv4
    // candidates four groups: a lone short digit run (most of them) has none.
    const bool grouped = q + 1 < n && IsDigit(s[q + 1]) &&
                         (s[q] == ' ' || s[q] == '-' || s[q] == '.' || s[q] == '/');
    const Groups g = grouped || run >= 8 ? ParseGroups(s, n, p, q) : Groups{};
    check(Detector::kCard, Splits(g, " -", ~0u, 12, 19));
    check(Detector::kSsn, Splits(g, " -", After({3, 5}), 9, 9));
    check(Detector::kSin, Splits(g, " -", After({3, 6}), 9, 9));
    check(Detector::kNhs, Splits(g, " ", After({3, 6}), 10, 10));
    check(Detector::kSteuerId, Splits(g, " ", After({2, 5, 8}), 11, 11));
    check(Detector::kDate,
          Splits(g, "-/", After({4, 6}), 8, 8) || Splits(g, "./-", After({2, 4}), 8, 8));
    check(Detector::kIpv4, g.count >= 4 && g.separator[0] == '.' && g.separator[1] == '.' &&
                               g.separator[2] == '.' && g.length[0] <= 3 && g.length[1] <= 3 &&
                               g.length[2] <= 3 && g.length[3] <= 3);
    // NIF/NIE: [0-9XYZxyz]\d{7}-?[A-Za-z]: a run of 7 (after X, Y or Z) or 8 digits, then a
    // letter or '-'. Postal code: a ZIP's five digits, or the first digit run of a UK or CA
    // code (one or two digits after a capital). IBAN: two capitals, then two digits or more.
    check(Detector::kNifNie, (run == 7 || run == 8) && q < n && (IsLetter(s[q]) || s[q] == '-'));
    check(Detector::kPostalCode, run == 5 || (run <= 2 && p > 0 && IsUpper(s[p - 1])));
    check(Detector::kIban, run >= 2 && p >= 2 && IsUpper(s[p - 1]) && IsUpper(s[p - 2]));
    // Street: "12[a] word" (a house number: the end of a digit run, an optional letter, a
    // space, a word) or "...e/g/z 12" (a German street word, a space, the start of a digit run).
    if (q > street_pos) {
      std::size_t k = q;
      if (k < n && IsLetter(s[k])) ++k;
      const bool house = k + 1 < n && s[k] == ' ' && StreetWordFollows(s, n, k + 1);
      const bool german = p >= 2 && s[p - 1] == ' ' && GermanWordBefore(s, p - 1);
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
        from = std::max(from, street_pos);
        const void* lf = std::memchr(s + q, '\n', n - q);
        const std::size_t line_end =
            lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - s) : n;
        ConfirmRange(Detector::kStreet, text, from, line_end,
                     found[static_cast<std::size_t>(Detector::kStreet)]);
        street_pos = line_end;
      }
    }
    p = q;
  }
  for (const auto& list : found) out.insert(out.end(), list.begin(), list.end());
}

}  // namespace rd::scan
