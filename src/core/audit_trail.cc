#include "core/audit_trail.h"

namespace rd::core {

Result<AuditVerification> AuditTrail::Verify() {
  AuditVerification out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto v = tx.Audit().Verify();
    if (!v) return tl::unexpected(v.error());
    out = *v;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Status AuditTrail::Export(const std::optional<std::string>& request_id,
                          const std::function<void(const AuditEvent&)>& fn) {
  return store_.Read([&](Transaction& tx) { return tx.Audit().ForEach(request_id, fn); });
}

}  // namespace rd::core
