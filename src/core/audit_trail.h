#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/audit_event.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// Appends one event about `request_id` in the caller's transaction (the write side of the log,
// used by every service that changes a request).
[[nodiscard]] Status AppendAudit(Transaction& tx, const std::string& actor,
                                 const std::string& request_id, const std::string& kind,
                                 const std::string& detail, UnixTime at);

// Read side of the audit log: verification and export. Writing happens inside the services'
// transactions (AuditRepository::Append).
class AuditTrail {
 public:
  explicit AuditTrail(Store& store) : store_(store) {}
  [[nodiscard]] Result<AuditVerification> Verify();
  // Calls fn for the events after `after_seq` in chain order (optionally one request's), at
  // most `limit` of them (0: all), without loading the log into memory.
  [[nodiscard]] Status Export(const std::optional<std::string>& request_id, std::int64_t after_seq,
                              std::int64_t limit, const std::function<void(const AuditEvent&)>& fn);

 private:
  Store& store_;
};

}  // namespace rd::core
