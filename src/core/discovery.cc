#include "core/discovery.h"

#include <algorithm>
#include <cctype>

namespace rd::core {

const char* FindingSourceName(FindingSource s) {
  switch (s) {
    case FindingSource::kMailbox:
      return "mailbox";
    case FindingSource::kSso:
      return "sso";
    case FindingSource::kDns:
      return "dns";
  }
  return "mailbox";
}

const char* FindingStatusName(FindingStatus s) {
  switch (s) {
    case FindingStatus::kNew:
      return "new";
    case FindingStatus::kAccepted:
      return "accepted";
    case FindingStatus::kDismissed:
      return "dismissed";
  }
  return "new";
}

std::optional<FindingStatus> ParseFindingStatus(std::string_view s) {
  for (auto st : {FindingStatus::kNew, FindingStatus::kAccepted, FindingStatus::kDismissed}) {
    if (s == FindingStatusName(st)) return st;
  }
  return std::nullopt;
}

std::string FindingMatchKey(const DiscoveredSystem& s) {
  if (!s.domain.empty()) return s.domain;
  std::string key = "app:";
  for (char c : s.name)
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

void MergeInto(const DiscoveredSystem& seen, DiscoveryFinding& f) {
  f.messages += seen.messages;
  f.recipients = std::max(f.recipients, seen.recipients);
  if (seen.first_seen && (!f.first_seen || *seen.first_seen < *f.first_seen)) {
    f.first_seen = seen.first_seen;
  }
  if (seen.last_seen && (!f.last_seen || *seen.last_seen > *f.last_seen)) {
    f.last_seen = seen.last_seen;
  }
  for (const auto& sig : seen.signals) {
    if (std::find(f.signals.begin(), f.signals.end(), sig) == f.signals.end()) {
      f.signals.push_back(sig);
    }
  }
  if (!seen.catalog_id.empty()) {
    f.catalog_id = seen.catalog_id;
    f.name = seen.name;
  } else if (f.name.empty()) {
    f.name = seen.name;
  }
  if (f.domain.empty()) f.domain = seen.domain;
}

}  // namespace rd::core
