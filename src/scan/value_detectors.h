#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

struct hs_database;
struct hs_scratch;

namespace re2 {
class RE2;
}

namespace rd::scan {

struct ScanContext;
class PhoneValidity;

// What a value detector recognises. Each is a pattern (found by Vectorscan) confirmed by an
// RE2 extraction and a validator (validators.h).
enum class Detector : std::uint8_t {
  kEmail,
  kPhone,
  kCard,
  kIban,
  kSsn,
  kIpv4,
  kIpv6,
  kDate,
  kNhs,
  kSin,
  kNifNie,
  kSteuerId,
  kPostalCode,
  kStreet,
};
inline constexpr int kDetectorCount = 14;
const char* DetectorName(Detector d);

// One confirmed occurrence: [begin, end) byte offsets into the scanned text.
struct Finding {
  Detector detector;
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct DetectorOptions {
  // Region libphonenumber assumes for numbers written without a country code (ISO 3166).
  std::string default_region = "US";
};

// One detector's prefilter pattern, exactly as compiled into the Vectorscan databases
// (PCRE syntax with ASCII semantics: \d, \b and [A-Z] are bytes, \xNN is a byte). For tools
// that must search with the same patterns (bench/rg_compare writes them for ripgrep).
struct PrefilterPattern {
  Detector detector;
  std::string_view pattern;
  bool caseless = false;
};
std::vector<PrefilterPattern> PrefilterPatterns();
// One detector's RE2 extract pattern, "(?:^|LEFT)(CANDIDATE)(?:$|RIGHT)" (group 1 is the
// candidate; RE2 in Latin-1 mode). The specification the hand-written matchers follow.
std::string_view ExtractPattern(Detector d);

// Detectors of one value, summarised: bit (1 << d) set in `whole` when the trimmed value is
// exactly one confirmed finding of d, in `contains` when it contains one.
struct ValueMatch {
  std::uint32_t whole = 0;
  std::uint32_t contains = 0;
  bool Whole(Detector d) const { return whole & (1u << static_cast<int>(d)); }
  bool Contains(Detector d) const { return contains & (1u << static_cast<int>(d)); }
};

// Every detector, compiled once into two Vectorscan databases (block mode, no start-of-match
// flags, so the automaton stays small and fast): one reporting every match end (for text of
// any length) and one with HS_FLAG_SINGLEMATCH (for short column values, where one report per
// detector is enough because RE2 then reads the whole value). A match end only says "look
// here": RE2 re-reads a small window around it to extract the candidate, and the validator
// confirms it. Immutable after Create and safe to share between threads; each thread scans
// with its own Scratch.
class ValueDetectors {
 public:
  // Compiles the databases and the RE2 patterns. kInvalidArgument for a region libphonenumber
  // does not know; kInternal when a pattern does not compile (a bug).
  [[nodiscard]] static core::Result<std::unique_ptr<ValueDetectors>> Create(
      const DetectorOptions& options);
  ~ValueDetectors();
  ValueDetectors(const ValueDetectors&) = delete;
  ValueDetectors& operator=(const ValueDetectors&) = delete;

  // Per-thread working memory for scanning. Not thread-safe; cheap to keep, costly to make.
  class Scratch {
   public:
    ~Scratch();
    Scratch(Scratch&& other) noexcept;
    Scratch& operator=(Scratch&&) = delete;

   private:
    friend class ValueDetectors;
    Scratch(hs_scratch* text, hs_scratch* value) : text_(text), value_(value) {}
    hs_scratch* text_;
    hs_scratch* value_;
  };
  [[nodiscard]] core::Result<Scratch> NewScratch() const;

  // Appends every confirmed finding in `text` to `out`, ordered by detector then offset.
  // The single-pass text scanner (text_scanner.cc): no Vectorscan; it skips to the bytes every
  // candidate contains (digits, '@', ':'), decides from the bytes around them which detectors
  // can have a valid candidate there, and runs only those detectors' extraction (hand-written
  // matchers that give RE2's answers, shape_match.h), over the run of bytes a candidate can
  // consist of. The findings are exactly FindWithoutPrefilter's.
  void Find(std::string_view text, Scratch& scratch, std::vector<Finding>& out) const;
  // The previous text path, kept as the reference for tests and the benchmark's baseline:
  // the Vectorscan all-matches prefilter, RE2 in a window around each match end, validators.
  // MatchValue (the column path) uses it.
  void FindReference(std::string_view text, Scratch& scratch, std::vector<Finding>& out) const;
  // The same result without the Vectorscan prefilter: every RE2 pattern over the whole text.
  // The baseline the benchmark compares with.
  void FindWithoutPrefilter(std::string_view text, std::vector<Finding>& out) const;
  // Only the Vectorscan pass of Find over `text` (the all-matches text database, nothing
  // confirmed): the number of match ends reported. For the benchmark.
  std::size_t CountPrefilterMatches(std::string_view text, Scratch& scratch) const;
  // Classifies one column value (leading and trailing blanks ignored).
  ValueMatch MatchValue(std::string_view value, Scratch& scratch) const;
  // The phone detector's validator alone, for a candidate as extracted (e.g. "+1 415 555 2671"):
  // shape checks, then libphonenumber for the default region. For tests.
  bool ValidatePhone(std::string_view candidate) const;

 private:
  explicit ValueDetectors(const DetectorOptions& options);
  friend struct ScanContext;

 public:
  // Internal: the Vectorscan match callback's entry (a match of `d` ends at `to`).
  void ConfirmWindow(Detector d, ScanContext& ctx, std::size_t to) const;

 private:
  // What Confirm remembers of one detector between the windows of one text.
  struct ConfirmState {
    std::size_t last_end = 0;  // end of the last finding: candidates before it are skipped
    // The last candidates the validator refused, [begin, end): overlapping windows extract
    // them again, and the answer for the same bytes is the same.
    std::array<std::pair<std::size_t, std::size_t>, 8> refused{};
    unsigned next_refused = 0;
  };
  void Confirm(Detector d, std::string_view text, std::size_t begin, std::size_t end,
               std::vector<Finding>& out, ConfirmState& state) const;
  bool Validate(Detector d, std::string_view candidate) const;
  // The reference semantics of one detector over [from, to) (read with the whole text as
  // context): RE2 matches left to right, each candidate validated, the next search starting at
  // the candidate's end. Returns where the next search would start. With `shapes`, the
  // candidates come from MatchShape (shape_match.h; every detector but IPv6), RE2's answers
  // without RE2; FindWithoutPrefilter, the specification, asks RE2.
  std::size_t ConfirmRange(Detector d, std::string_view text, std::size_t from, std::size_t to,
                           std::vector<Finding>& out, bool shapes = false) const;

  DetectorOptions options_;
  bool nanp_default_ = false;  // default region US or CA: country code 1, prefixes 1 and 011
  std::unique_ptr<PhoneValidity> phones_;  // IsValidNumber without ICU (phone_validity.h)
  hs_database* text_db_ = nullptr;
  hs_database* value_db_ = nullptr;
  std::array<std::unique_ptr<re2::RE2>, kDetectorCount> extract_;
  // Per detector, the bytes of the extract pattern's left and right context groups.
  std::array<std::bitset<256>, kDetectorCount> left_context_, right_context_;
};

}  // namespace rd::scan
