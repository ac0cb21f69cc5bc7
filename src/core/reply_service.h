#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/privacy_request.h"
#include "core/result.h"
#include "core/store.h"
#include "core/template_service.h"

namespace rd::core {

// Limits on the reply an agent sends, in bytes.
inline constexpr std::size_t kMaxReplySubjectBytes = 300;
inline constexpr std::size_t kMaxReplyBodyBytes = 50000;

// The reply pre-filled from the template for the request's type and outcome.
struct ReplyDraft {
  std::string template_key;  // e.g. "reply.deletion.fulfilled", "reply.rejected.no_match"
  Outcome outcome = Outcome::kFulfilled;
  std::string to;  // the subject's email address
  std::string subject;
  std::string body;
};

struct ReplySent {
  PrivacyRequest request;  // now closed, with its outcome
  std::string message_id;  // the queued email
  std::string template_key;
};

// "Reply & close" (PRODUCT.md §1): the last step of a request in status reply. The outcome is
// decided from what happened: rejected when an agent rejected it; otherwise fulfilled when
// every task is done (or there are none), partially fulfilled when any was skipped or failed.
class ReplyService {
 public:
  ReplyService(Store& store, const TemplateService& templates, const Crypto& crypto,
               const Clock& clock);

  // The draft for `id`, rendered from the template in force with the request's data, the
  // rejection note ("note") and the tasks ("tasks": source_name, status, note). Errors:
  // kNotFound; kConflict when the request is not in status reply (the message says its status).
  [[nodiscard]] Result<ReplyDraft> Draft(const std::string& id);

  // Emails `subject`/`body` to the subject (purpose "reply", sender `actor`) and closes the
  // request with the decided outcome, or with `outcome` ("fulfilled" or "partially_fulfilled")
  // when the agent overrides it; a rejection cannot be overridden. Audits "request.replied"
  // and "request.closed". Everything commits in one transaction. Errors: kInvalidArgument
  // naming the field (subject: 1..300 bytes, one line; body: 1..50000 bytes; outcome);
  // kNotFound; kConflict when the request is not in reply (e.g. already closed) or is on hold.
  [[nodiscard]] Result<ReplySent> Send(const std::string& id, const std::string& subject,
                                       const std::string& body,
                                       const std::optional<std::string>& outcome,
                                       const std::string& actor);

 private:
  Store& store_;
  const TemplateService& templates_;
  const Crypto& crypto_;
  const Clock& clock_;
};

}  // namespace rd::core
