#include "core/deadline.h"

namespace rd::core {

const std::vector<DeadlineRule>& DeadlineRules() {
  static const std::vector<DeadlineRule> kRules = {
      {"gdpr", "GDPR (EU/EEA/UK)", 1, 0, 2, 0},
      {"ccpa", "CCPA/CPRA (California)", 0, 45, 0, 45},
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

UnixTime DueAt(const DeadlineRule& rule, UnixTime received) {
  UnixTime due = received;
  if (rule.months != 0) due = AddCalendarMonths(due, rule.months);
  return due + static_cast<UnixTime>(rule.days) * 86400;
}

}  // namespace rd::core
