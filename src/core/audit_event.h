#pragma once

#include <optional>
#include <string>

#include "core/clock.h"

namespace rd::core {

// One entry of the append-only audit log. Events form a hash chain: `hash` is
// SHA-256(prev_hash || canonical JSON of {seq, at, actor, request_id, kind, detail}), so that
// any change, removal or reordering of stored events is detected by verification.
struct AuditEvent {
  std::int64_t seq = 0;  // 1, 2, 3 ... without gaps
  UnixTime at = 0;
  std::string actor;                      // "user:usr_..", "token:tok_..", "subject", "system"
  std::optional<std::string> request_id;  // the privacy request it concerns, if any
  std::string kind;                       // "user.created", "auth.login", ...
  std::string detail;                     // a JSON object, as text; never personal data in clear
  std::string prev_hash;                  // hex; 64 zeros for the first event
  std::string hash;                       // hex
};

// What the caller supplies; seq, prev_hash and hash are assigned by the log.
struct NewAuditEvent {
  std::string actor;
  std::optional<std::string> request_id;
  std::string kind;
  std::string detail = "{}";
};

struct AuditVerification {
  bool ok = true;
  std::int64_t events = 0;
  std::optional<std::int64_t> first_bad_event;  // seq of the first event that does not check
  std::string problem;                          // what is wrong with it, for people
};

}  // namespace rd::core
