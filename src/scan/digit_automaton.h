#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rd::scan {

// A deterministic automaton over the digits, built from a regular expression of the syntax
// libphonenumber's metadata patterns use (digits, \d, classes of digits, (?:) groups, |, ?, *,
// + and {n,m}). Matching walks one table row per digit: no per-call setup, unlike RE2, whose
// calls cost ~150 ns each on these 10-digit strings. phone_validity.cc uses it in place of
// RE2 where a pattern compiles; digit_automaton_test checks it against RE2 on every pattern of
// the metadata. Immutable after Compile, safe to share between threads.
class DigitAutomaton {
 public:
  // kInvalidArgument for syntax outside that subset, or more than `max_states` states.
  [[nodiscard]] static core::Result<DigitAutomaton> Compile(std::string_view pattern,
                                                            std::size_t max_states = 4096);

  // Whether the whole of `s` matches (false when it has a byte other than a digit).
  bool FullMatch(std::string_view s) const;
  // Whether some prefix of `s` matches (RE2::Match anchored at the start only).
  bool PrefixMatch(std::string_view s) const;
  std::size_t states() const { return next_.size(); }

 private:
  static constexpr std::int32_t kDead = -1;
  std::vector<std::array<std::int32_t, 10>> next_;  // per state and digit; state 0 starts
  std::vector<bool> accepting_;
};

}  // namespace rd::scan
