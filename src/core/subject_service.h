#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/privacy_request.h"
#include "core/result.h"
#include "core/store.h"
#include "core/template_service.h"

namespace rd::core {

// Longest message a subject may write on the status page, in bytes.
inline constexpr std::size_t kMaxSubjectMessageBytes = 5000;

struct SubjectPolicy {
  int max_messages_per_hour = 20;  // per request; the count lives in the database
};

// One message of the subject's conversation, as the status page shows it.
struct SubjectMessage {
  std::string direction;  // "out": from us to the subject; "in": from the subject
  std::string subject;
  std::string body;
  UnixTime at = 0;
};

// What the subject's status page shows.
struct SubjectView {
  PrivacyRequest request;
  std::vector<SubjectMessage> messages;  // oldest first
  bool can_withdraw = false;             // the request is still open
};

// The subject's side of a request, reached through the status link (links.h): reading the
// status and the conversation, writing to the privacy team, and withdrawing. Every call first
// checks the link's token; a wrong or missing token gets the same kNotFound as an unknown
// request, so the link's secret cannot be probed. Thread-safe.
class SubjectService {
 public:
  SubjectService(Store& store, const Crypto& crypto, const Clock& clock,
                 const TemplateService& templates, SubjectPolicy policy);

  // The request with the subject's conversation: emails we sent to the subject's address
  // (never the verification email: its code would let whoever holds the link verify) and the
  // subject's own messages. kNotFound.
  [[nodiscard]] Result<SubjectView> StatusPage(const std::string& id, const std::string& token);

  // Stores `body` (1..5000 bytes) as a message from the subject (no email is sent) with a
  // "message.received" audit event. Errors: kNotFound; kInvalidArgument for the body;
  // kConflict when the request is closed or its email not yet verified; kRateLimited past
  // max_messages_per_hour for the request.
  [[nodiscard]] Result<SubjectMessage> PostMessage(const std::string& id, const std::string& token,
                                                   const std::string& body);

  // Closes the request with outcome withdrawn: its pending and waiting tasks are skipped, a
  // hold ends, and the subject is emailed the "withdrawal" template. kConflict when it is
  // already closed; kNotFound.
  [[nodiscard]] Result<PrivacyRequest> Withdraw(const std::string& id, const std::string& token);

 private:
  // The request when `token` is its status token; kNotFound otherwise.
  [[nodiscard]] Result<PrivacyRequest> Authenticate(Transaction& tx, const std::string& id,
                                                    const std::string& token) const;

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const TemplateService& templates_;
  SubjectPolicy policy_;
};

}  // namespace rd::core
