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
  // Calls fn for every event in chain order (optionally one request's), without loading the
  // whole log into memory.
  [[nodiscard]] Status Export(const std::optional<std::string>& request_id,
                              const std::function<void(const AuditEvent&)>& fn);

 private:
  Store& store_;
};

}  // namespace rd::core
