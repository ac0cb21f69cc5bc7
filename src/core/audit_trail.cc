#include "core/audit_trail.h"

namespace rd::core {

Status AppendAudit(Transaction& tx, const std::string& actor, const std::string& request_id,
                   const std::string& kind, const std::string& detail, UnixTime at) {
  return tx.Audit()
      .Append(NewAuditEvent{actor, request_id, kind, detail}, at)
      .map([](const AuditEvent&) {});
}

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

Status AuditTrail::Export(const std::optional<std::string>& request_id, std::int64_t after_seq,
                          std::int64_t limit, const std::function<void(const AuditEvent&)>& fn) {
  return store_.Read(
      [&](Transaction& tx) { return tx.Audit().ForEach(request_id, after_seq, limit, fn); });
}

}  // namespace rd::core
