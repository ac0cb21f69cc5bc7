#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/privacy_request.h"
#include "core/result.h"
#include "core/store.h"
#include "core/template_service.h"

namespace rd::core {

// Limits on what agents type, in bytes.
inline constexpr std::size_t kMaxCaseReasonBytes = 2000;     // extension and hold reasons
inline constexpr std::size_t kMaxAgentMessageBytes = 20000;  // a message to the subject

struct CasePolicy {
  // Review shows requests of the same identity and type received this long before (or at any
  // time after) the request (review.duplicate_window).
  int duplicate_window_seconds = 90 * 86400;
};

// What review shows beside the request itself (PRODUCT.md §1, review).
struct CaseReview {
  // Other requests of the same subject email and type, newest first, at most 20.
  std::vector<PrivacyRequest> duplicates;
  // The data sources a continue would pre-select (SourceApplies), by name.
  std::vector<DataSource> applicable_sources;
  // When receipt must be acknowledged under the request's rule, if it has such a clock.
  std::optional<UnixTime> acknowledge_by;
};

// An agent's work on an open request that keeps its status: the one extension of the due
// date, holds, the conversation with the subject, and the details review needs. Every change
// is one transaction with its audit event and the emails it causes (QueueEmail).
// Thread-safe (the services it holds are).
class CaseService {
 public:
  CaseService(Store& store, const Crypto& crypto, const Clock& clock,
              const TemplateService& templates, CasePolicy policy);

  // Moves the due date by the extension of the request's deadline rule and emails the subject
  // the "extension" template (with the reason). Errors: kInvalidArgument for a reason that is
  // empty, longer than 2000 bytes or has control characters; kConflict when the request is
  // closed, was extended before, its rule allows no extension, or its original due date has
  // passed (the notice must come within the first period); kNotFound.
  [[nodiscard]] Result<PrivacyRequest> Extend(const std::string& id, const std::string& reason,
                                              const std::string& actor);

  // Puts a request in review, process or reply on hold with a reason (1..2000 bytes).
  // kConflict when it is on hold already or in another status; kInvalidArgument; kNotFound.
  [[nodiscard]] Result<PrivacyRequest> Hold(const std::string& id, const std::string& reason,
                                            const std::string& actor);
  // Takes the request off hold. kConflict when it is not on hold; kNotFound.
  [[nodiscard]] Result<PrivacyRequest> Release(const std::string& id, const std::string& actor);

  // The whole conversation of the request (emails to the subject and vendors, messages from the
  // subject), oldest first. kNotFound.
  [[nodiscard]] Result<std::vector<Message>> Messages(const std::string& id);
  // Emails `body` (1..20000 bytes) to the subject through the "agent_message" template.
  // kInvalidArgument; kConflict when the request is closed; kNotFound.
  [[nodiscard]] Result<Message> SendMessage(const std::string& id, const std::string& body,
                                            const std::string& actor);

  // Duplicates, applicable data sources and the acknowledgement clock of `q`.
  [[nodiscard]] Result<CaseReview> Review(const PrivacyRequest& q);

 private:
  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const TemplateService& templates_;
  CasePolicy policy_;
};

}  // namespace rd::core
