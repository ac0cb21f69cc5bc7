#pragma once

// The text scanner's view of the text (text_scanner.cc): bit masks of its 64-byte blocks.
#include <emmintrin.h>

#include <cstddef>
#include <cstdint>

#include "scan/ascii.h"

namespace rd::scan {

// Per byte of v, 0xff when it lies in ['0', '0' + top] (top 9: a digit; 10: a digit or ':').
inline __m128i BytesFromZero(__m128i v, char top) {
  const __m128i t = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(top)), t);
}

// Per byte of the 16 from at, bit k set when at[k] is a digit.
inline std::uint32_t DigitMask16(const char* at) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(BytesFromZero(v, 9)));
}

// Bit masks of the text's aligned 64-byte blocks, for the block holding the scan position and
// the next one: digits, and anchors (digits, ':' and '@'). Each block is classified once, with
// SSE2, and the scanner then finds the next anchor, a digit run's end and the digits ahead of
// a position with bit operations. Bytes past the text's end are neither.
class BlockMasks {
 public:
  BlockMasks(const char* s, std::size_t n) : s_(s), n_(n) { Load(0); }

  // The next anchor at or after p (n when none). Positions only move forward.
  std::size_t NextAnchor(std::size_t p) {
    while (p < n_) {
      Reach(p);
      const std::uint64_t m = anchors_[0] & (~std::uint64_t{0} << (p - base_));
      if (m) return base_ + static_cast<std::size_t>(__builtin_ctzll(m));
      p = base_ + 64;
    }
    return n_;
  }
  // Bit i set when s[p + i] is a digit, for i < 64 (p in the current block).
  std::uint64_t Digits(std::size_t p) const {
    const unsigned off = static_cast<unsigned>(p - base_);
    return off == 0 ? digits_[0] : (digits_[0] >> off) | (digits_[1] << (64 - off));
  }
  // The end of the run of digits from p (p in the current block).
  std::size_t DigitRunEnd(std::size_t p) const {
    const std::uint64_t rest = ~Digits(p);
    if (rest) return p + static_cast<std::size_t>(__builtin_ctzll(rest));
    std::size_t q = p + 64;
    while (q < n_ && ascii::IsDigit(s_[q])) ++q;
    return q;
  }

 private:
  void Reach(std::size_t p) {
    if (p >= base_ + 128) {
      Load(p & ~std::size_t{63});
    } else if (p >= base_ + 64) {
      base_ += 64;
      anchors_[0] = anchors_[1];
      digits_[0] = digits_[1];
      Classify(base_ + 64, anchors_[1], digits_[1]);
    }
  }
  void Load(std::size_t base) {
    base_ = base;
    Classify(base_, anchors_[0], digits_[0]);
    Classify(base_ + 64, anchors_[1], digits_[1]);
  }
  void Classify(std::size_t at, std::uint64_t& anchors, std::uint64_t& digits) const {
    anchors = digits = 0;
    if (at + 64 <= n_) {
      const __m128i at_sign = _mm_set1_epi8('@');
      for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_ + at + 16 * k));
        const __m128i digit = BytesFromZero(v, 9);
        const __m128i digit_or_colon = BytesFromZero(v, 10);  // '0' + 10 == ':'
        const __m128i anchor = _mm_or_si128(digit_or_colon, _mm_cmpeq_epi8(v, at_sign));
        digits |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(digit)))
                  << (16 * k);
        anchors |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(anchor)))
                   << (16 * k);
      }
      return;
    }
    for (std::size_t i = 0; i < 64 && at + i < n_; ++i) {
      const char c = s_[at + i];
      if (ascii::IsDigit(c)) digits |= std::uint64_t{1} << i;
      if (ascii::IsDigit(c) || c == ':' || c == '@') anchors |= std::uint64_t{1} << i;
    }
  }

  const char* s_;
  std::size_t n_;
  std::size_t base_ = 0;
  std::uint64_t anchors_[2] = {0, 0};
  std::uint64_t digits_[2] = {0, 0};
};

}  // namespace rd::scan
