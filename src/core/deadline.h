#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/privacy_request.h"

namespace rd::core {

// How long a jurisdiction gives to answer a request, counted from receipt.
struct DeadlineRule {
  std::string jurisdiction;  // key used in the API: "gdpr", "ccpa", ...
  std::string label;         // "GDPR (EU/EEA/UK)"
  int months = 0;            // calendar months (GDPR), or 0
  int days = 0;              // calendar days, or 0
  int extension_months = 0;  // one extension allowed, with notice
  int extension_days = 0;
  int acknowledge_business_days = 0;  // acknowledge receipt within (CCPA: 10), or 0
  int opt_out_business_days = 0;      // do_not_sell answered within (CCPA: 15), or 0
};

// The built-in rules of PRODUCT.md §1: gdpr, ccpa, vcdpa, cpa, ctdpa, lgpd and "default".
const std::vector<DeadlineRule>& DeadlineRules();

// The rule for a jurisdiction key, or nullopt if the key is unknown.
std::optional<DeadlineRule> FindDeadlineRule(std::string_view jurisdiction);

// Adds calendar months the way GDPR Art. 12(3) and Regulation 1182/71 count them: the same
// day-of-month in the target month, or its last day when the month is shorter
// (31 January + 1 month = 28/29 February). Time of day is kept.
UnixTime AddCalendarMonths(UnixTime t, int months);

// Adds business days (Monday to Friday, UTC), the way the CCPA regulations count the
// acknowledgement and opt-out clocks. A start on a weekend counts from the next Monday.
// Public holidays are not skipped (they differ by state and year); the result errs early.
UnixTime AddBusinessDays(UnixTime t, int days);

// The due time of a request received at `received` under `rule`.
UnixTime DueAt(const DeadlineRule& rule, UnixTime received);

// The due time for a request of `type`: DueAt, except that an opt-out of sale under a rule
// with an opt-out clock is due within that many business days.
UnixTime DueAtFor(const DeadlineRule& rule, RequestType type, UnixTime received);

// When receipt must be acknowledged, if the rule has such a clock.
std::optional<UnixTime> AcknowledgeBy(const DeadlineRule& rule, UnixTime received);

// The due time after the one extension the rule allows, or nullopt if it allows none.
std::optional<UnixTime> ExtendedDueAt(const DeadlineRule& rule, UnixTime due);

}  // namespace rd::core
