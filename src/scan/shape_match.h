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

// The street words packed as lower-case bytes in a 64-bit word (the first eight letters:
// only "boulevard" has a ninth), by length.
constexpr std::uint64_t PackedStreetWord(std::string_view word) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < word.size() && k < 8; ++k) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(word[k])) << (8 * k);
  }
  return v;
}
struct StreetWordTable {
  std::array<std::array<std::uint64_t, 8>, 10> packed{};
  std::array<int, 10> count{};
};
inline constexpr StreetWordTable kStreetWordTable = [] {
  StreetWordTable t;
  for (const std::string_view word : kStreetWords) {
    t.packed[word.size()][static_cast<std::size_t>(t.count[word.size()]++)] =
        PackedStreetWord(word);
  }
  return t;
}();

// Per length, the first letters of the street words of that length: most words end here.
inline constexpr std::array<std::uint32_t, 10> kStreetFirstLetters = [] {
  std::array<std::uint32_t, 10> bits{};
  for (const std::string_view word : kStreetWords) bits[word.size()] |= 1u << (word[0] - 'a');
  return bits;
}();

// Whether the letters [w, w + length), packed as lower-case bytes in `v` (the first eight),
// are one of kStreetWords.
inline bool IsPackedStreetWord(std::uint64_t v, const char* w, std::size_t length) {
  if (length == 9 && (w[8] | 0x20) != 'd') return false;  // boulevard
  const auto& packed = kStreetWordTable.packed[length];
  for (int k = 0; k < kStreetWordTable.count[length]; ++k) {
    if (packed[static_cast<std::size_t>(k)] == v) return true;
  }
  return false;
}

// Whether the word of `length` letters at w can be a street word, from its length and first
// letter.
inline bool MayBeStreetWord(const char* w, std::size_t length) {
  if (length < 2 || length > 9) return false;
  const unsigned letter = static_cast<unsigned>((w[0] | 0x20) - 'a');
  return letter < 26 && (kStreetFirstLetters[length] >> letter & 1);
}

// Whether the letters [w, w + length) are one of kStreetWords, in any case (inline: the
// text scanner asks for most words after a number).
inline bool IsStreetWord(const char* w, std::size_t length) {
  if (!MayBeStreetWord(w, length)) return false;
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < length && k < 8; ++k) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(w[k] | 0x20)) << (8 * k);
  }
  return IsPackedStreetWord(v, w, length);
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

// IsStreetWord when the eight bytes from w can be read: one load packs the letters (little
// endian, as PackedStreetWord) and one slot of the perfect hash holds the only word it can
// be, without a branch on the text.
static_assert(std::endian::native == std::endian::little, "IsStreetWordBefore8 packs by loading");
inline bool IsStreetWordBefore8(const char* w, std::size_t length) {
  std::uint64_t v;
  std::memcpy(&v, w, 8);
  const std::size_t bytes = length < 1 ? 1 : length > 8 ? 8 : length;
  v = (v | 0x2020202020202020ull) & (~std::uint64_t{0} >> (64 - 8 * bytes));
  const StreetSlot& slot = kStreetSlots[(v * kStreetHash) >> 58];
  return (slot.value == v) & (slot.length == length) &
         (length != 9 || (w[8] | 0x20) == 'd');  // boulevard's ninth letter
}

}  // namespace rd::scan
