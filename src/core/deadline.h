#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace rd::core {

// How long a jurisdiction gives to answer a request, counted from receipt.
struct DeadlineRule {
  std::string jurisdiction;  // key used in the API: "gdpr", "ccpa", ...
  std::string label;         // "GDPR (EU/EEA/UK)"
  int months = 0;            // calendar months (GDPR), or 0
  int days = 0;              // calendar days, or 0
  int extension_months = 0;  // one extension allowed, with notice
  int extension_days = 0;
};

// The built-in rules of PRODUCT.md §1: gdpr, ccpa, vcdpa, cpa, ctdpa, lgpd and "default".
const std::vector<DeadlineRule>& DeadlineRules();

// The rule for a jurisdiction key, or nullopt if the key is unknown.
std::optional<DeadlineRule> FindDeadlineRule(std::string_view jurisdiction);

// Adds calendar months the way GDPR Art. 12(3) and Regulation 1182/71 count them: the same
// day-of-month in the target month, or its last day when the month is shorter
// (31 January + 1 month = 28/29 February). Time of day is kept.
UnixTime AddCalendarMonths(UnixTime t, int months);

// The due time of a request received at `received` under `rule`.
UnixTime DueAt(const DeadlineRule& rule, UnixTime received);

}  // namespace rd::core
