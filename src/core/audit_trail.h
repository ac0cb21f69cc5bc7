#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/audit_event.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

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
