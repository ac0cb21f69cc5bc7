#pragma once

// The text scanner's checks on a digit run (text_scanner.cc): the digits ahead of it and the
// digit groups from it, from which it tells the detectors that can have a candidate there and
// where a card candidate from it ends.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "scan/ascii.h"

namespace rd::scan::digit_groups {

using ascii::IsDigit;

// The number of bits of `mask` set below bit `length` (the digits within `length` bytes).
inline int DigitsWithin(std::uint64_t mask, int length) {
  std::uint64_t x = length >= 64 ? mask : mask & ((std::uint64_t{1} << length) - 1);
  // SWAR population count (the generic x86-64 target has no popcnt instruction).
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}

// The digit groups from a digit run's start (a group: a run of digits; between two, one of
// " -./"), as bit masks over digit counts: bit k of `ends` set when the groups up to one hold
// k digits, and of `space`, `dash`, `dot`, `slash` when that group is followed by that
// separator and another group (the last group's end is in none). Every candidate of the card,
// SSN, IPv4, date, NHS, SIN and Steuer-ID detectors starts at a digit run's start (their left
// context excludes digits) and is such a sequence of groups. Counts above 63 (longer than any
// candidate) and groups after the 20th are left out. `ipv4`: the first four groups have at
// most three digits each and '.' between them.
struct Groups {
  std::uint64_t ends = 0, space = 0, dash = 0, dot = 0, slash = 0;
  bool ipv4 = false;
};

// `digits`: bit i set when s[p + i] is a digit (BlockMasks::Digits); the groups' ends come
// from it while they lie within its 64 bytes, byte by byte past them.
// Always inlined: the scanner calls it at every grouped digit run, where a call costs it 3 %.
[[gnu::always_inline]] inline Groups ParseGroups(const char* s, std::size_t n, std::size_t p,
                                                 std::size_t q, std::uint64_t digits) {
  Groups g;
  std::size_t count = 0;
  bool ipv4 = true;
  std::size_t begin = p;
  for (int group = 0; group < 20; ++group) {
    count += q - begin;
    if (count > 63) break;
    const std::uint64_t bit = std::uint64_t{1} << count;
    g.ends |= bit;
    const char sep = q + 1 < n && IsDigit(s[q + 1]) ? s[q] : '\0';
    if (group < 4) {
      ipv4 &= q - begin <= 3 && (group == 3 || sep == '.');
      g.ipv4 = group == 3 && ipv4;
    }
    g.space |= sep == ' ' ? bit : 0;
    g.dash |= sep == '-' ? bit : 0;
    g.dot |= sep == '.' ? bit : 0;
    g.slash |= sep == '/' ? bit : 0;
    if (sep != ' ' && sep != '-' && sep != '.' && sep != '/') break;
    begin = q + 1;                           // a digit
    const std::size_t next = begin + 1 - p;  // the group's second byte, relative to p
    q = next < 64 ? p + next + static_cast<std::size_t>(__builtin_ctzll(~(digits >> next)))
                  : p + 64;
    if (q >= p + 64) {  // the mask ends inside the group: on byte by byte
      q = std::max(begin + 1, p + 64);
      while (q < n && IsDigit(s[q])) ++q;
    }
  }
  return g;
}

// Whether the leading groups can make a candidate of `lo` to `hi` digits, split only after
// the digit counts in `splits` (bit k: after k digits) by the separators whose masks make
// `seps`: a group end in range with no group end before it where the candidate cannot go on.
inline bool Splits(const Groups& g, std::uint64_t seps, std::uint64_t splits, int lo, int hi) {
  const std::uint64_t stop = g.ends & ~(splits & seps);  // holds the last end: never 0
  if (!stop) return false;
  const int top = std::min(hi, __builtin_ctzll(stop));
  if (top < lo) return false;
  const std::uint64_t range = ((std::uint64_t{2} << top) - 1) & ~((std::uint64_t{1} << lo) - 1);
  return (g.ends & range) != 0;
}

// The end of the card candidate at the digit run's start p (the left context met) from the
// digit groups from p (ParseGroups), what Shapes::Card answers: its walk goes on through single
// spaces and dashes between digits, 19 digits at most, and the candidate is the longest of 12
// digits or more followed by neither a digit nor a dash, so it ends at a group end. kNoCard
// (shapes::kNone) when there is none; kAskMatcher when the groups do not tell (more than 63
// digits or 20 groups).
inline constexpr std::size_t kNoCard = static_cast<std::size_t>(-1);  // as shapes::kNone
inline constexpr std::size_t kAskMatcher = kNoCard - 1;

inline std::size_t CardEnd(const Groups& g, const char* s, std::size_t n, std::size_t p) {
  const std::uint64_t stop = g.ends & ~(g.space | g.dash);  // where the walk cannot go on
  if (!stop) return kAskMatcher;
  const int last = std::min(__builtin_ctzll(stop), 19);
  std::uint64_t ends =
      g.ends & ~g.dash & ((std::uint64_t{2} << last) - 1) & ~((std::uint64_t{1} << 12) - 1);
  // After k digits, the candidate ends k bytes and one separator per group end before on.
  const auto at = [&](int k) { return p + static_cast<std::size_t>(k + DigitsWithin(g.ends, k)); };
  if ((ends >> last & 1) && at(last) < n && s[at(last)] == '-') ends &= ~(std::uint64_t{1} << last);
  return ends ? at(63 - __builtin_clzll(ends)) : kNoCard;
}

constexpr std::uint64_t After(std::initializer_list<int> counts) {
  std::uint64_t bits = 0;
  for (const int c : counts) bits |= std::uint64_t{1} << c;
  return bits;
}

}  // namespace rd::scan::digit_groups
