#pragma once

#include <cstdint>
#include <string>

namespace rd::core {

// Seconds since the Unix epoch, UTC. The store keeps every time in this form; the API
// renders it as RFC 3339.
using UnixTime = std::int64_t;

// The source of "now". Injected so that tests control time (deadlines, expiry, lockouts).
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixTime Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixTime Now() const override;
};

// "2026-11-29T03:43:11Z".
std::string FormatRfc3339(UnixTime t);
// "29 November 2026" (UTC), as emails to people show dates.
std::string FormatDate(UnixTime t);
// Parses "YYYY-MM-DDTHH:MM:SSZ" (fractional seconds and numeric offsets accepted);
// returns false for anything else.
bool ParseRfc3339(const std::string& text, UnixTime* out);

// Civil-date helpers (proleptic Gregorian, UTC), used by the deadline rules.
struct CivilDate {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};
std::int64_t DaysFromCivil(CivilDate d);
CivilDate CivilFromDays(std::int64_t days);
unsigned DaysInMonth(int year, unsigned month);

}  // namespace rd::core
