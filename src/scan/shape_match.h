#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "scan/value_detectors.h"

namespace rd::scan {

// Hand-written extraction for the detectors of a fixed shape (phone, card, SSN, IPv4, date,
// NHS, SIN, NIF/NIE, Steuer-ID, postal code, IBAN, email, street): what RE2 answers for the
// detector's extract pattern
// "(?:^|LEFT)(CANDIDATE)(?:$|RIGHT)" (value_detectors.cc) searched over [pos, to) of `text`
// with the whole text as context, without RE2's per-call cost, which dominates on the short
// runs the text scanner hands over. Leftmost-first as RE2: the leftmost match start, and from
// it the first end in the pattern's priority order (greedy quantifiers: the longest) with a
// right context. shape_match_test compares it with RE2 on random strings.

// Whether `d` has a hand-written matcher (all but IPv6, rare in text and read by RE2).
bool HasShapeMatcher(Detector d);

// The candidate [begin, end) of the leftmost-first match of d's extract pattern in [pos, to),
// false when there is none. Requires HasShapeMatcher(d), pos <= to <= text.size().
bool MatchShape(Detector d, std::string_view text, std::size_t pos, std::size_t to,
                std::size_t& begin, std::size_t& end);

// The street words of the street pattern's first alternative (case-insensitive there), in
// the pattern's order.
inline constexpr std::string_view kStreetWords[] = {
    "street", "st",      "avenue", "ave",   "road",     "rd",      "boulevard", "blvd", "lane",
    "ln",     "drive",   "dr",     "way",   "court",    "ct",      "place",     "pl",   "terrace",
    "circle", "parkway", "square", "close", "crescent", "highway", "hwy"};
// The German street words of the second alternative (case-sensitive), as bytes.
inline constexpr std::string_view kGermanWords[] = {
    "stra\xc3\x9f"
    "e",
    "strasse",
    "weg",
    "platz",
    "allee",
    "gasse",
    "ring"};

// A word's letters packed as lower-case bytes in a 64-bit word (the first eight: only
// "boulevard" has a ninth), little endian: the first letter in the lowest byte.
constexpr std::uint64_t PackedStreetWord(std::string_view word) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < word.size() && k < 8; ++k) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(word[k] | 0x20)) << (8 * k);
  }
  return v;
}

// A perfect hash of the street words' packed values: (value * kStreetHash) >> 58 differs
// for each (kStreetSlots refuses to compile otherwise).
inline constexpr std::uint64_t kStreetHash = 0x7d99ffe77ebcb315ull;
struct StreetSlot {
  std::uint64_t value = 0;
  std::size_t length = 0;
};
inline constexpr std::array<StreetSlot, 64> kStreetSlots = [] {
  std::array<StreetSlot, 64> t{};
  for (const std::string_view word : kStreetWords) {
    StreetSlot& slot = t[(PackedStreetWord(word) * kStreetHash) >> 58];
    if (slot.length != 0) throw "kStreetHash is not a perfect hash of the street words";
    slot = {PackedStreetWord(word), word.size()};
  }
  return t;
}();

// Whether the word of `length` letters at w, its first eight packed in `v`, is one of
// kStreetWords: the one slot its value hashes to holds it (no branch on the text).
inline bool StreetSlotHolds(std::uint64_t v, const char* w, std::size_t length) {
  const StreetSlot& slot = kStreetSlots[(v * kStreetHash) >> 58];
  return (slot.value == v) & (slot.length == length) &
         (length != 9 || (w[8] | 0x20) == 'd');  // boulevard's ninth letter
}

// Whether the letters [w, w + length) are one of kStreetWords, in any case.
inline bool IsStreetWord(const char* w, std::size_t length) {
  if (length < 2 || length > 9) return false;
  return StreetSlotHolds(PackedStreetWord(std::string_view(w, length)), w, length);
}

// IsStreetWord when the eight bytes from w can be read (inline: the text scanner asks for
// most words after a number): one load packs the letters.
static_assert(std::endian::native == std::endian::little, "IsStreetWordBefore8 packs by loading");
inline bool IsStreetWordBefore8(const char* w, std::size_t length) {
  std::uint64_t v;
  std::memcpy(&v, w, 8);
  const std::size_t bytes = length < 1 ? 1 : length > 8 ? 8 : length;
  v = (v | 0x2020202020202020ull) & (~std::uint64_t{0} >> (64 - 8 * bytes));
  return StreetSlotHolds(v, w, length);
}

}  // namespace rd::scan
