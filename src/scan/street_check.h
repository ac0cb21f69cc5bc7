#pragma once

// The street check of the text scanner (text_scanner.cc) and of the street line search
// (shape_match.cc): whether a street candidate can go through a number, read from the bytes
// around it before the street pattern is matched.
// Both tests are necessary conditions of a match of the street pattern (value_detectors.cc):
// a house number followed by words and a street word, or a German street word before a number.
#include <emmintrin.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string_view>

#include "scan/ascii.h"
#include "scan/shape_match.h"

namespace rd::scan::street {

using ascii::IsDigit;
using ascii::IsLetter;

// Whether a street candidate's word can begin with c: [A-Za-z'.].
inline bool IsWordStartByte(char c) { return IsLetter(c) || c == '\'' || c == '.'; }

inline bool IsWordByte(char c) { return IsLetter(c) || IsDigit(c) || c == '_'; }

// After a house number's "12[a] ": whether one of the next words (up to five, of letters,
// apostrophes and dots, single spaces between) after the first begins with a street word
// followed by a word boundary. A street word followed by a letter has no boundary, so it is
// the word's whole run of letters.
// Starts at word number `word` (0: the first).
inline bool StreetWordFollowsScalar(const char* s, std::size_t n, std::size_t i, int word = 0) {
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

// Per byte of s[i, i + 16): bit k set when s[i + k] is a letter (`letters`), a letter, an
// apostrophe or a dot (`wordish`: the bytes of a word), or a space.
struct WordMasks {
  std::uint32_t letters = 0, wordish = 0, spaces = 0;
};

inline WordMasks WordMasksAt(const char* s) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
  const __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l);
  const __m128i mark =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
  const auto bits = [](__m128i x) { return static_cast<std::uint32_t>(_mm_movemask_epi8(x)); };
  return {bits(letter), bits(_mm_or_si128(letter, mark)),
          bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))};
}

// The first k >= from with bit k of `mask` clear (64 when none).
inline int FirstClear(std::uint64_t mask, int from) {
  const std::uint64_t rest = ~mask >> from;
  return rest ? from + __builtin_ctzll(rest) : 64;
}

// StreetWordFollowsScalar on the bit masks of the 64 bytes from i (the words of most checks
// end within them; four 16-byte loads cost less than walking word by word): the letters give
// each word's run of letters, the word bytes and spaces where the words end. Words that go on
// past the 64 bytes are read by StreetWordFollowsScalar from the last one begun. Always
// inlined: the scanner asks it after most numbers, where a call costs it 2-3 %.
[[gnu::always_inline]] inline bool StreetWordFollows(const char* s, std::size_t n, std::size_t i) {
  constexpr int kWindow = 64;
  // The window and the 8 bytes IsStreetWordBefore8 can read past it.
  if (i + kWindow + 8 > n) return StreetWordFollowsScalar(s, n, i);
  const char* w = s + i;
  std::uint64_t letters = 0, wordish = 0, spaces = 0;
  for (int k = 0; k < kWindow / 16; ++k) {
    const WordMasks m = WordMasksAt(w + 16 * k);
    letters |= std::uint64_t{m.letters} << (16 * k);
    wordish |= std::uint64_t{m.wordish} << (16 * k);
    spaces |= std::uint64_t{m.spaces} << (16 * k);
  }
  // The words go on up to z, the first byte neither a word byte nor a space (kWindow: past the
  // window); a word starts after each space before it. The word at i (number 0) is not tested.
  const int z = FirstClear(wordish | spaces, 0);
  std::uint64_t starts = (z < kWindow ? spaces & ((std::uint64_t{1} << z) - 1) : spaces) << 1;
  int last = 0, last_word = 0;  // the last word begun, and its number
  for (int word = 1; starts; starts &= starts - 1, ++word) {
    last = __builtin_ctzll(starts);
    last_word = word;
    const int end = FirstClear(letters, last);
    if (end >= kWindow) break;  // its letters go on past the window
    if (!IsDigit(w[end]) && w[end] != '_' &&
        IsStreetWordBefore8(w + last, static_cast<std::size_t>(end - last))) {
      return true;
    }
    if (word == 4) return false;
  }
  if (z < kWindow && !starts) return false;  // the words end at z, inside the window
  return StreetWordFollowsScalar(s, n, i + static_cast<std::size_t>(last), last_word);
}

// Whether a street candidate's house number can end at q (< n, the bytes' end): an optional
// letter, a space, and words one of which, after the first, is a street word. Bytes from `to`
// on are left out (the text's end for the scanner, a search range's for MatchStreet).
[[gnu::always_inline]] inline bool HouseNumberEndsAt(const char* s, std::size_t n, std::size_t to,
                                                     std::size_t q) {
  const std::size_t k = q + (q < to && IsLetter(s[q]) ? 1 : 0);
  return k + 2 < to && ((s[k] == ' ') & IsWordStartByte(s[k + 1])) &&
         StreetWordFollows(s, n, k + 1);
}

// kGermanWords' bytes, each in the high bytes of a 64-bit word (little endian): the last eight
// bytes before a position, loaded at once, end with a word when their high bytes equal it.
inline constexpr std::array<std::uint64_t, std::size(kGermanWords)> kGermanWordsHigh = [] {
  std::array<std::uint64_t, std::size(kGermanWords)> t{};
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::string_view w = kGermanWords[i];
    if (w.size() > 8) throw "a German street word longer than eight bytes";
    for (std::size_t k = 0; k < w.size(); ++k) {
      t[i] |= static_cast<std::uint64_t>(static_cast<unsigned char>(w[k]))
              << (8 * (8 - w.size() + k));
    }
  }
  return t;
}();

// Whether the bytes before s[end] end with a German street word, one byte at least before it.
inline bool GermanWordBefore(const char* s, std::size_t end) {
  if (end == 0 || (s[end - 1] != 'e' && s[end - 1] != 'g' && s[end - 1] != 'z')) return false;
  if (end < 9) {
    for (const std::string_view w : kGermanWords) {
      if (end > w.size() && std::memcmp(s + end - w.size(), w.data(), w.size()) == 0) return true;
    }
    return false;
  }
  std::uint64_t v;
  std::memcpy(&v, s + end - 8, 8);
  bool found = false;
  for (std::size_t i = 0; i < kGermanWordsHigh.size(); ++i) {
    const std::size_t drop = 8 * (8 - kGermanWords[i].size());
    found |= (v >> drop << drop) == kGermanWordsHigh[i];
  }
  return found;
}

}  // namespace rd::scan::street
