#include "core/deadline.h"

namespace rd::core {

const std::vector<DeadlineRule>& DeadlineRules() {
  static const std::vector<DeadlineRule> kRules = {
      {"gdpr", "GDPR (EU/EEA/UK)", 1, 0, 2, 0},
      {"ccpa", "CCPA/CPRA (California)", 0, 45, 0, 45, 10, 15},
      {"vcdpa", "VCDPA (Virginia)", 0, 45, 0, 45},
      {"cpa", "CPA (Colorado)", 0, 45, 0, 45},
      {"ctdpa", "CTDPA (Connecticut)", 0, 45, 0, 45},
      {"lgpd", "LGPD (Brazil)", 0, 15, 0, 0},
      {"default", "Other / not specified", 0, 30, 0, 30},
  };
  return kRules;
}

std::optional<DeadlineRule> FindDeadlineRule(std::string_view jurisdiction) {
  for (const auto& rule : DeadlineRules()) {
    if (rule.jurisdiction == jurisdiction) return rule;
  }
  return std::nullopt;
}

UnixTime AddCalendarMonths(UnixTime t, int months) {
  std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  CivilDate d = CivilFromDays(days);
  const int total = d.year * 12 + static_cast<int>(d.month) - 1 + months;
  d.year = total / 12;
  d.month = static_cast<unsigned>(total % 12) + 1;
  const unsigned last = DaysInMonth(d.year, d.month);
  if (d.day > last) d.day = last;
  return DaysFromCivil(d) * 86400 + secs;
}

UnixTime AddBusinessDays(UnixTime t, int days) {
  std::int64_t day = t / 86400;
  if (t % 86400 < 0) --day;
  const UnixTime time_of_day = t - day * 86400;
  // 1970-01-01 was a Thursday: weekday 0 = Monday.
  auto weekday = [](std::int64_t d) { return static_cast<int>(((d + 3) % 7 + 7) % 7); };
  while (weekday(day) >= 5) ++day;  // received on a weekend: count from Monday
  for (int added = 0; added < days;) {
    ++day;
    if (weekday(day) < 5) ++added;
  }
  return day * 86400 + time_of_day;
}

UnixTime DueAtFor(const DeadlineRule& rule, RequestType type, UnixTime received) {
  if (type == RequestType::kDoNotSell && rule.opt_out_business_days > 0) {
    return AddBusinessDays(received, rule.opt_out_business_days);
  }
  return DueAt(rule, received);
}

std::optional<UnixTime> AcknowledgeBy(const DeadlineRule& rule, UnixTime received) {
  if (rule.acknowledge_business_days <= 0) return std::nullopt;
  return AddBusinessDays(received, rule.acknowledge_business_days);
}

std::optional<UnixTime> ExtendedDueAt(const DeadlineRule& rule, UnixTime due) {
  if (rule.extension_months == 0 && rule.extension_days == 0) return std::nullopt;
  UnixTime out = due;
  if (rule.extension_months != 0) out = AddCalendarMonths(out, rule.extension_months);
  return out + static_cast<UnixTime>(rule.extension_days) * 86400;
}

UnixTime DueAt(const DeadlineRule& rule, UnixTime received) {
  UnixTime due = received;
  if (rule.months != 0) due = AddCalendarMonths(due, rule.months);
  return due + static_cast<UnixTime>(rule.days) * 86400;
}

}  // namespace rd::core
