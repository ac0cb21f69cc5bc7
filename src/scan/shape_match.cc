// MatchShape: the hand-written matchers (shape_matchers.h, which says how they answer as RE2
// does) run over a search range, leftmost-first.
#include "scan/shape_match.h"

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "scan/shape_matchers.h"
#include "scan/street_check.h"

namespace rd::scan {

using shapes::kNone;
using shapes::Shapes;

bool HasShapeMatcher(Detector d) {
  switch (d) {
    case Detector::kIpv6:
      return false;
    default:
      return true;
  }
}

namespace {

// MatchShape for one detector: End and Left inlined with their detector known.
template <Detector D>
bool MatchOne(std::string_view text, std::size_t pos, std::size_t to, std::size_t& begin,
              std::size_t& end) {
  const Shapes shapes(text, to);
  const char* s = text.data();
  std::size_t m = pos;
  if (m == 0 && m < to) {
    if (const std::size_t e = shapes.End(D, 0); e != kNone) {
      begin = 0;
      end = e;
      return true;
    }
  }
  for (; m + 1 < to; ++m) {
    if (shapes.Left(D, s[m])) {
      if (const std::size_t e = shapes.End(D, m + 1); e != kNone) {
        begin = m + 1;
        end = e;
        return true;
      }
    }
  }
  return false;
}

// The street pattern has no context groups: a match, and its candidate, can start anywhere.
bool MatchStreet(std::string_view text, std::size_t pos, std::size_t to, std::size_t& begin,
                 std::size_t& end) {
  const Shapes shapes(text, to);
  const char* s = text.data();
  for (std::size_t m = pos; m < to; ++m) {
    // A match starts with a house number's digit or a German street's capital.
    if (shapes::IsDigit(s[m])) {
      // In a run of digits, a house number starts five digits before its end at the earliest,
      // and whatever follows it is the same from every digit after that: one try.
      std::size_t r = m + 1;
      while (r < to && shapes::IsDigit(s[r])) ++r;
      m = std::max(m, r - std::min<std::size_t>(r, 5));
      // The mask-based check (street_check.h) refuses most numbers before the words are parsed.
      if (!street::HouseNumberEndsAt(s, text.size(), to, r)) {
        m = r - 1;
        continue;
      }
      if (const std::size_t e = shapes.Street(m); e != kNone) {
        begin = m;
        end = e;
        return true;
      }
      m = r - 1;
      continue;
    }
    if (!shapes::IsUpper(s[m])) continue;
    if (const std::size_t e = shapes.Street(m); e != kNone) {
      begin = m;
      end = e;
      return true;
    }
  }
  return false;
}

}  // namespace

bool MatchShape(Detector d, std::string_view text, std::size_t pos, std::size_t to,
                std::size_t& begin, std::size_t& end) {
  switch (d) {
    case Detector::kEmail:
      return MatchOne<Detector::kEmail>(text, pos, to, begin, end);
    case Detector::kPhone:
      return MatchOne<Detector::kPhone>(text, pos, to, begin, end);
    case Detector::kCard:
      return MatchOne<Detector::kCard>(text, pos, to, begin, end);
    case Detector::kIban:
      return MatchOne<Detector::kIban>(text, pos, to, begin, end);
    case Detector::kSsn:
      return MatchOne<Detector::kSsn>(text, pos, to, begin, end);
    case Detector::kIpv4:
      return MatchOne<Detector::kIpv4>(text, pos, to, begin, end);
    case Detector::kDate:
      return MatchOne<Detector::kDate>(text, pos, to, begin, end);
    case Detector::kNhs:
      return MatchOne<Detector::kNhs>(text, pos, to, begin, end);
    case Detector::kSin:
      return MatchOne<Detector::kSin>(text, pos, to, begin, end);
    case Detector::kNifNie:
      return MatchOne<Detector::kNifNie>(text, pos, to, begin, end);
    case Detector::kSteuerId:
      return MatchOne<Detector::kSteuerId>(text, pos, to, begin, end);
    case Detector::kPostalCode:
      return MatchOne<Detector::kPostalCode>(text, pos, to, begin, end);
    case Detector::kStreet:
      return MatchStreet(text, pos, to, begin, end);
    case Detector::kIpv6:
      break;
  }
  return false;
}

}  // namespace rd::scan
