#pragma once

#include <cstddef>
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

// Whether the letters [w, w + length) are one of kStreetWords, in any case.
bool IsStreetWord(const char* w, std::size_t length);

}  // namespace rd::scan
