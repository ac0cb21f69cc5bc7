#pragma once

#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/privacy_request.h"
#include "core/result.h"
#include "core/status_machine.h"
#include "core/store.h"
#include "core/template_service.h"

namespace rd::core {

// What an agent or an API client supplies to open a request.
struct NewRequest {
  std::string type;          // a type key: built-in ("deletion", ...) or a custom right's
  Subject subject;           // email required
  std::string jurisdiction;  // a deadline rule key; empty means "default"
  std::string details;
  bool skip_verification = false;
  Channel channel = Channel::kManual;
  std::string requester_type;  // empty: consumer
  std::string corrections;     // right_to_edit: JSON text of what is wrong
};

// Limits on free text, in bytes.
inline constexpr std::size_t kMaxNameBytes = 200;
inline constexpr std::size_t kMaxPhoneBytes = 40;
inline constexpr std::size_t kMaxDetailsBytes = 10000;
inline constexpr std::size_t kMaxCorrectionsBytes = 10000;
inline constexpr std::size_t kMaxNoteBytes = 5000;

// Validates `in` and builds the request it describes (id, reference, due date, status) without
// storing anything. `type` is the setting of in.type, from RequestTypeService::Resolve (which
// refuses unknown and switched-off types): a custom right gives kCustom with custom_type set,
// due after its deadline_days when set, else under the jurisdiction's rule.
// Errors: kInvalidArgument naming the field.
[[nodiscard]] Result<PrivacyRequest> BuildRequest(const NewRequest& in,
                                                  const RequestTypeSetting& type,
                                                  const Crypto& crypto, UnixTime now);

// Stores a built request with its identity hash and its "request.received" audit event.
[[nodiscard]] Status InsertRequest(Transaction& tx, const Crypto& crypto, const PrivacyRequest& q,
                                   const std::string& actor);

// Queues the "acknowledgement" email (PRODUCT.md: "an acknowledgement email goes out on
// receipt") of a request that has just reached review, and the "request.prescan" job that
// searches the integration sources for its subject, in the caller's transaction.
[[nodiscard]] Status QueueAcknowledgement(Transaction& tx, const TemplateService& templates,
                                          const Crypto& crypto, const PrivacyRequest& q,
                                          UnixTime now);

// Opens, reads and lists privacy requests. Validation happens here, before anything is
// stored; a request and its "request.received" audit event commit together.
class RequestService {
 public:
  RequestService(Store& store, const Crypto& crypto, const Clock& clock,
                 const TemplateService& templates);

  // A request created in review (verification skipped) is acknowledged by email in the same
  // transaction. One created unverified gets no challenge here: a subject who must confirm is
  // sent the code by IntakeService::CreateUnverified instead. Errors: kInvalidArgument naming the
  // field ("subject.email: ..."; "type: ..." for an unknown type or one an admin switched off).
  [[nodiscard]] Result<PrivacyRequest> Create(const NewRequest& in, const std::string& actor);
  // kNotFound when there is no such request.
  [[nodiscard]] Result<PrivacyRequest> Get(const std::string& id);
  // `q` may hold a reference ("RD-...") or an email address in `search`; other filters as in
  // RequestQuery. limit is clamped to 1..200.
  [[nodiscard]] Result<RequestPage> List(RequestQuery query, const std::string& search);
  // Requests per status (every status present, 0 when none), open, overdue and due within the
  // next 7 days, as of the clock's now.
  [[nodiscard]] Result<RequestCounts> Counts();

  // Review: reject with a reason code (RejectionReasons()) and a note; the request goes to
  // reply with outcome rejected. kInvalidArgument for an unknown reason, kConflict when the
  // request is not in review, kNotFound.
  [[nodiscard]] Result<PrivacyRequest> Reject(const std::string& id, const std::string& reason,
                                              const std::string& note, const std::string& actor);
  // Gives the request to `user_id` (an agent or admin), or takes it back when empty.
  // kInvalidArgument when the user does not exist or is a viewer; kConflict when closed.
  [[nodiscard]] Result<PrivacyRequest> Assign(const std::string& id, const std::string& user_id,
                                              const std::string& actor);
  // Every audit event of the request, oldest first. kNotFound when there is no such request.
  [[nodiscard]] Result<std::vector<AuditEvent>> History(const std::string& id);

 private:
  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const TemplateService& templates_;
};

}  // namespace rd::core
