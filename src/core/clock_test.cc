#include "core/clock.h"

#include <gtest/gtest.h>

#include <string>

namespace rd::core {
namespace {

// Parses `text`, failing the test (not crashing) when it is rejected.
UnixTime Parsed(const std::string& text) {
  UnixTime t = -1;
  EXPECT_TRUE(ParseRfc3339(text, &t)) << text;
  return t;
}

bool Accepts(const std::string& text) {
  UnixTime t = 0;
  return ParseRfc3339(text, &t);
}

TEST(Rfc3339, FormatsKnownInstants) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1795923791), "2026-11-29T03:43:11Z");
  EXPECT_EQ(FormatRfc3339(1709208000), "2024-02-29T12:00:00Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(-14182940), "1969-07-20T20:17:40Z");
}

TEST(Rfc3339, ParsesKnownInstants) {
  EXPECT_EQ(Parsed("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Parsed("2026-11-29T03:43:11Z"), 1795923791);
  EXPECT_EQ(Parsed("1969-07-20T20:17:40Z"), -14182940);
  EXPECT_EQ(Parsed("2026-11-29T03:43:11z"), 1795923791);
}

TEST(Rfc3339, RoundTripsOverManyInstants) {
  // Every ~11.6 days for 200 years on both sides of the epoch, at varying times of day.
  for (UnixTime t = -6'000'000'000; t <= 6'000'000'000; t += 1'000'003) {
    const std::string text = FormatRfc3339(t);
    UnixTime back = 0;
    ASSERT_TRUE(ParseRfc3339(text, &back)) << text;
    ASSERT_EQ(back, t) << text;
  }
}

TEST(Rfc3339, AppliesNumericOffsets) {
  const UnixTime utc = Parsed("2026-11-29T03:43:11Z");
  EXPECT_EQ(Parsed("2026-11-29T05:43:11+02:00"), utc);
  EXPECT_EQ(Parsed("2026-11-28T22:13:11-05:30"), utc);
  EXPECT_EQ(Parsed("2026-11-29T03:43:11+00:00"), utc);
  EXPECT_EQ(Parsed("2026-11-29T03:43:11-00:00"), utc);
}

TEST(Rfc3339, OffsetCrossesYearEnd) {
  EXPECT_EQ(Parsed("2027-01-01T01:00:00+02:00"), Parsed("2026-12-31T23:00:00Z"));
}

TEST(Rfc3339, IgnoresFractionalSeconds) {
  const UnixTime utc = Parsed("2026-11-29T03:43:11Z");
  EXPECT_EQ(Parsed("2026-11-29T03:43:11.5Z"), utc);
  EXPECT_EQ(Parsed("2026-11-29T03:43:11.999999999Z"), utc);
  EXPECT_EQ(Parsed("2026-11-29T05:43:11.123+02:00"), utc);
}

TEST(Rfc3339, AcceptsLeapDayOnlyInLeapYears) {
  EXPECT_TRUE(Accepts("2024-02-29T00:00:00Z"));
  EXPECT_TRUE(Accepts("2000-02-29T00:00:00Z"));
  EXPECT_FALSE(Accepts("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(Accepts("1900-02-29T00:00:00Z"));
}

TEST(Rfc3339, RejectsImpossibleDates) {
  EXPECT_FALSE(Accepts("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(Accepts("2026-04-31T00:00:00Z"));
  EXPECT_FALSE(Accepts("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(Accepts("2026-00-10T00:00:00Z"));
  EXPECT_FALSE(Accepts("2026-01-00T00:00:00Z"));
  EXPECT_FALSE(Accepts("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(Accepts("2026-01-01T00:60:00Z"));
  EXPECT_FALSE(Accepts("2026-01-01T00:00:61Z"));
}

TEST(Rfc3339, RejectsMissingZoneDesignator) {
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11"));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11.25"));
  EXPECT_FALSE(Accepts("2026-11-29"));
}

TEST(Rfc3339, RejectsTrailingJunk) {
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11Zjunk"));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11Z "));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11+02:00x"));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11+02"));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11+0200"));
}

TEST(Rfc3339, RejectsOtherShapes) {
  EXPECT_FALSE(Accepts(""));
  EXPECT_FALSE(Accepts("2026-11-29 03:43:11Z"));
  EXPECT_FALSE(Accepts("2026-1-29T03:43:11Z"));
  EXPECT_FALSE(Accepts("26-11-29T03:43:11Z"));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11+25:00"));
  EXPECT_FALSE(Accepts("yesterday"));
}

TEST(Rfc3339, LeavesOutputUntouchedOnRejection) {
  UnixTime t = 42;
  EXPECT_FALSE(ParseRfc3339("2026-02-30T00:00:00Z", &t));
  EXPECT_EQ(t, 42);
}

// Found as a bug in the first version: sscanf's %2d/%4d accept a sign and only upper bounds
// were checked, so "T-1:43:11Z" parsed as one hour before midnight.
TEST(Rfc3339, RejectsSignedFields) {
  EXPECT_FALSE(Accepts("2026-11-29T-1:43:11Z"));
  EXPECT_FALSE(Accepts("2026-11-29T03:-1:11Z"));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:+1Z"));
  EXPECT_FALSE(Accepts("+026-11-29T03:43:11Z"));
  EXPECT_FALSE(Accepts("2026-11-29T03:43:11+-1:00"));
}

TEST(CivilDates, KnownDays) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({2024, 2, 29}), 19782);
  const CivilDate d = CivilFromDays(19782);
  EXPECT_EQ(d.year, 2024);
  EXPECT_EQ(d.month, 2u);
  EXPECT_EQ(d.day, 29u);
}

TEST(CivilDates, RoundTripOverManyDaysIncludingNegative) {
  // About 2,700 years on each side of the epoch, every day.
  CivilDate prev_date = CivilFromDays(-1'000'001);
  for (std::int64_t days = -1'000'000; days <= 1'000'000; ++days) {
    const CivilDate d = CivilFromDays(days);
    ASSERT_GE(d.month, 1u) << days;
    ASSERT_LE(d.month, 12u) << days;
    ASSERT_GE(d.day, 1u) << days;
    ASSERT_LE(d.day, DaysInMonth(d.year, d.month)) << days;
    ASSERT_EQ(DaysFromCivil(d), days) << d.year << "-" << d.month << "-" << d.day;
    // Consecutive days are consecutive dates.
    const bool next_day =
        d.year == prev_date.year && d.month == prev_date.month && d.day == prev_date.day + 1;
    const bool next_month =
        d.day == 1 && prev_date.day == DaysInMonth(prev_date.year, prev_date.month);
    ASSERT_TRUE(next_day || next_month) << days;
    prev_date = d;
  }
}

TEST(CivilDates, DaysInMonthFollowsGregorianLeapYears) {
  EXPECT_EQ(DaysInMonth(1900, 2), 28u);
  EXPECT_EQ(DaysInMonth(2000, 2), 29u);
  EXPECT_EQ(DaysInMonth(2024, 2), 29u);
  EXPECT_EQ(DaysInMonth(2026, 2), 28u);
  EXPECT_EQ(DaysInMonth(2100, 2), 28u);
  EXPECT_EQ(DaysInMonth(2026, 1), 31u);
  EXPECT_EQ(DaysInMonth(2026, 4), 30u);
  EXPECT_EQ(DaysInMonth(2026, 12), 31u);
}

TEST(CivilDates, YearLengthsAddUp) {
  for (int year : {1600, 1900, 1999, 2000, 2023, 2024, 2100}) {
    unsigned total = 0;
    for (unsigned m = 1; m <= 12; ++m) total += DaysInMonth(year, m);
    EXPECT_EQ(DaysFromCivil({year + 1, 1, 1}) - DaysFromCivil({year, 1, 1}), total) << year;
  }
}

}  // namespace
}  // namespace rd::core
