#pragma once

#include <cstddef>
#include <string_view>

#include "scan/value_detectors.h"

namespace rd::scan {

// Hand-written extraction for the detectors of a fixed shape (phone, card, SSN, IPv4, date,
// NHS, SIN, NIF/NIE, Steuer-ID, postal code, IBAN, email): what RE2 answers for the detector's
// extract pattern
// "(?:^|LEFT)(CANDIDATE)(?:$|RIGHT)" (value_detectors.cc) searched over [pos, to) of `text`
// with the whole text as context, without RE2's per-call cost, which dominates on the short
// runs the text scanner hands over. Leftmost-first as RE2: the leftmost match start, and from
// it the first end in the pattern's priority order (greedy quantifiers: the longest) with a
// right context. shape_match_test compares it with RE2 on random strings.

// Whether `d` has a hand-written matcher (the others: IPv6, street).
bool HasShapeMatcher(Detector d);

// The candidate [begin, end) of the leftmost-first match of d's extract pattern in [pos, to),
// false when there is none. Requires HasShapeMatcher(d), pos <= to <= text.size().
bool MatchShape(Detector d, std::string_view text, std::size_t pos, std::size_t to,
                std::size_t& begin, std::size_t& end);

}  // namespace rd::scan
