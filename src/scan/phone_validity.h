#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace re2 {
class RE2;
}

namespace rd::scan {

// libphonenumber's IsValidNumber without libphonenumber at run time: its compiled-in metadata
// (every region's number types: national-number patterns and possible lengths) compiled once
// into digit automata (DigitAutomaton; RE2 for a pattern they cannot take), and its decision
// procedure redone on them (for a calling code shared by several regions, as NANP +1: the
// first region in libphonenumber's order whose leading digits match or, without leading
// digits, for which the number has a type; then valid when the number has a type there). A
// number has a type in a region when the general description accepts its length and pattern
// and one of fixed line, mobile, toll free, premium rate, shared cost, VoIP, personal number,
// pager, UAN or voicemail does. ICU's regular expressions cost ~90,000 instructions per
// IsValidNumber; RE2 ~150 ns per pattern; an automaton a few nanoseconds.
// phone_validity_test checks the answers against IsValidNumber. Immutable after Create,
// safe to share between threads.
class PhoneValidity {
 public:
  // kInternal when the metadata cannot be read or a pattern does not compile (a bug).
  [[nodiscard]] static core::Result<std::unique_ptr<PhoneValidity>> Create();
  ~PhoneValidity();
  PhoneValidity(const PhoneValidity&) = delete;
  PhoneValidity& operator=(const PhoneValidity&) = delete;

  // Whether the number with this country calling code and national significant number (its
  // digits, leading zeros included, as GetNationalSignificantNumber writes them) is valid:
  // what PhoneNumberUtil::IsValidNumber answers for it.
  bool IsValid(int country_code, std::string_view national) const;

  static constexpr int kMaxLength = 31;  // national numbers longer than this are never valid

  // One metadata pattern: a DigitAutomaton, or RE2 for what that cannot compile.
  struct Pattern;

 private:
  PhoneValidity() = default;
  struct Region {
    std::shared_ptr<const Pattern> leading;  // leading digits, matched at the start; may be null
    std::shared_ptr<const Pattern> general;  // general description; null when it has no pattern
    std::uint64_t general_lengths = 0;       // bit L: length L possible (all bits: no list)
    // Per length, the union of the number types' patterns that allow it; null: none.
    std::array<std::shared_ptr<const Pattern>, kMaxLength + 1> types;
    bool HasType(std::string_view national) const;
  };
  std::array<std::vector<Region>, 1000> by_code_;
};

}  // namespace rd::scan
