#include "core/deadline.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace rd::core {
namespace {

UnixTime At(const std::string& rfc3339) {
  UnixTime t = 0;
  EXPECT_TRUE(ParseRfc3339(rfc3339, &t)) << rfc3339;
  return t;
}

constexpr UnixTime kDay = 86400;

DeadlineRule Rule(const std::string& key) {
  const auto rule = FindDeadlineRule(key);
  EXPECT_TRUE(rule.has_value()) << key;
  return rule.value_or(DeadlineRule{});
}

TEST(CalendarMonths, EndOfJanuaryBecomesEndOfFebruary) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-01-31T10:00:00Z"), 1)),
            "2026-02-28T10:00:00Z");
}

TEST(CalendarMonths, EndOfJanuaryInLeapYearBecomesLeapDay) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2024-01-31T10:00:00Z"), 1)),
            "2024-02-29T10:00:00Z");
}

TEST(CalendarMonths, ThirtyFirstOfMarchBecomesThirtiethOfApril) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-03-31T08:15:00Z"), 1)),
            "2026-04-30T08:15:00Z");
}

TEST(CalendarMonths, DecemberRollsIntoNextYear) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-12-15T12:00:00Z"), 1)),
            "2027-01-15T12:00:00Z");
}

TEST(CalendarMonths, KeepsTimeOfDay) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-05-17T23:59:59Z"), 1)),
            "2026-06-17T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-05-17T00:00:00Z"), 1)),
            "2026-06-17T00:00:00Z");
}

TEST(CalendarMonths, ThreeMonthsAcrossYearEnd) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-11-30T23:59:59Z"), 3)),
            "2027-02-28T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-10-15T06:00:00Z"), 3)),
            "2027-01-15T06:00:00Z");
}

TEST(CalendarMonths, TwelveMonthsIsOneYear) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2026-07-04T09:30:00Z"), 12)),
            "2027-07-04T09:30:00Z");
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("2024-02-29T09:30:00Z"), 12)),
            "2025-02-28T09:30:00Z");
}

TEST(CalendarMonths, ZeroMonthsChangesNothing) {
  const UnixTime t = At("2026-01-31T10:00:00Z");
  EXPECT_EQ(AddCalendarMonths(t, 0), t);
}

TEST(CalendarMonths, WorksBeforeTheEpoch) {
  EXPECT_EQ(FormatRfc3339(AddCalendarMonths(At("1969-12-31T12:00:00Z"), 2)),
            "1970-02-28T12:00:00Z");
}

TEST(DeadlineRules, GdprIsOneCalendarMonth) {
  const DeadlineRule gdpr = Rule("gdpr");
  EXPECT_EQ(FormatRfc3339(DueAt(gdpr, At("2026-01-31T10:00:00Z"))), "2026-02-28T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(DueAt(gdpr, At("2024-01-31T10:00:00Z"))), "2024-02-29T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(DueAt(gdpr, At("2026-12-15T10:00:00Z"))), "2027-01-15T10:00:00Z");
}

TEST(DeadlineRules, GdprExtendsByTwoMonths) {
  const DeadlineRule gdpr = Rule("gdpr");
  EXPECT_EQ(gdpr.extension_months, 2);
  EXPECT_EQ(gdpr.extension_days, 0);
}

TEST(DeadlineRules, CcpaIsFortyFiveDays) {
  const UnixTime received = At("2026-11-29T03:43:11Z");
  EXPECT_EQ(DueAt(Rule("ccpa"), received), received + 45 * kDay);
  EXPECT_EQ(FormatRfc3339(DueAt(Rule("ccpa"), received)), "2027-01-13T03:43:11Z");
}

TEST(DeadlineRules, OtherUsStatesAreFortyFiveDays) {
  const UnixTime received = At("2026-03-01T00:00:00Z");
  for (const char* key : {"vcdpa", "cpa", "ctdpa"}) {
    EXPECT_EQ(DueAt(Rule(key), received), received + 45 * kDay) << key;
  }
}

TEST(DeadlineRules, LgpdIsFifteenDays) {
  const UnixTime received = At("2026-02-20T16:00:00Z");
  EXPECT_EQ(FormatRfc3339(DueAt(Rule("lgpd"), received)), "2026-03-07T16:00:00Z");
}

TEST(DeadlineRules, DefaultIsThirtyDays) {
  const UnixTime received = At("2026-02-01T00:00:00Z");
  EXPECT_EQ(DueAt(Rule("default"), received), received + 30 * kDay);
  EXPECT_EQ(FormatRfc3339(DueAt(Rule("default"), received)), "2026-03-03T00:00:00Z");
}

TEST(DeadlineRules, EveryBuiltInRuleIsFoundByItsKey) {
  std::set<std::string> keys;
  for (const auto& rule : DeadlineRules()) {
    keys.insert(rule.jurisdiction);
    const auto found = FindDeadlineRule(rule.jurisdiction);
    ASSERT_TRUE(found.has_value()) << rule.jurisdiction;
    EXPECT_EQ(found->label, rule.label);
    EXPECT_FALSE(rule.label.empty()) << rule.jurisdiction;
  }
  EXPECT_EQ(keys,
            (std::set<std::string>{"gdpr", "ccpa", "vcdpa", "cpa", "ctdpa", "lgpd", "default"}));
}

TEST(DeadlineRules, UnknownJurisdictionIsNotFound) {
  EXPECT_FALSE(FindDeadlineRule("atlantis").has_value());
  EXPECT_FALSE(FindDeadlineRule("").has_value());
  EXPECT_FALSE(FindDeadlineRule("gdpr ").has_value());
}

TEST(BusinessDays, SkipWeekends) {
  // 2026-11-27 is a Friday.
  EXPECT_EQ(FormatRfc3339(AddBusinessDays(At("2026-11-27T10:00:00Z"), 1)), "2026-11-30T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(AddBusinessDays(At("2026-11-27T10:00:00Z"), 10)), "2026-12-11T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(AddBusinessDays(At("2026-11-23T00:00:00Z"), 5)), "2026-11-30T00:00:00Z");
  EXPECT_EQ(AddBusinessDays(At("2026-11-25T09:00:00Z"), 0), At("2026-11-25T09:00:00Z"));
}

TEST(BusinessDays, AWeekendStartCountsFromMonday) {
  // Saturday 2026-11-28 + 1 business day = Tuesday (Monday is day zero).
  EXPECT_EQ(FormatRfc3339(AddBusinessDays(At("2026-11-28T15:00:00Z"), 1)), "2026-12-01T15:00:00Z");
  EXPECT_EQ(FormatRfc3339(AddBusinessDays(At("2026-11-29T15:00:00Z"), 10)), "2026-12-14T15:00:00Z");
}

TEST(DeadlineRules, CcpaAcknowledgesInTenAndOptsOutInFifteenBusinessDays) {
  const auto ccpa = *FindDeadlineRule("ccpa");
  const UnixTime received = At("2026-11-27T10:00:00Z");  // a Friday
  EXPECT_EQ(FormatRfc3339(*AcknowledgeBy(ccpa, received)), "2026-12-11T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(DueAtFor(ccpa, RequestType::kDoNotSell, received)),
            "2026-12-18T10:00:00Z");
  EXPECT_EQ(DueAtFor(ccpa, RequestType::kDeletion, received), received + 45 * 86400);
  const auto gdpr = *FindDeadlineRule("gdpr");
  EXPECT_FALSE(AcknowledgeBy(gdpr, received));
  EXPECT_EQ(DueAtFor(gdpr, RequestType::kDoNotSell, received), DueAt(gdpr, received));
}

TEST(DeadlineRules, ExtensionsFollowTheRule) {
  const UnixTime due = At("2026-01-31T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(*ExtendedDueAt(*FindDeadlineRule("gdpr"), due)),
            "2026-03-31T10:00:00Z");  // two calendar months
  EXPECT_EQ(*ExtendedDueAt(*FindDeadlineRule("ccpa"), due), due + 45 * 86400);
  EXPECT_FALSE(ExtendedDueAt(*FindDeadlineRule("lgpd"), due));
}

}  // namespace
}  // namespace rd::core
