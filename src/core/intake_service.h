#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "core/attempt_limiter.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/privacy_request.h"
#include "core/request_service.h"
#include "core/result.h"
#include "core/store.h"
#include "core/template_service.h"

namespace rd::core {

// A request as the Privacy Center submits it.
struct Submission {
  std::string type;
  Subject subject;
  std::string jurisdiction;  // empty: "default"
  std::string details;
  std::string corrections;     // right_to_edit: JSON text of what is wrong, or ""
  std::string requester_type;  // empty: "consumer"
  std::string client_address;  // for rate limits; never stored
  // The browser sent Global Privacy Control (Sec-GPC: 1). An opt-out of sale needs no
  // verification: a do_not_sell submission goes straight to review (channel gpc), and any
  // other submission also records a do_not_sell request for the same email, unless an admin
  // switched do_not_sell off (then GPC records nothing extra).
  bool gpc = false;
};

struct SubmissionReceipt {
  PrivacyRequest request;
  std::string status_token;                   // the secret of the subject's status link; shown once
  std::optional<PrivacyRequest> gpc_request;  // the opt-out recorded beside it, if any
};

// The organisation's name and the links' base URL come from TemplateService::org().
struct IntakePolicy {
  int code_ttl_seconds = 30 * 60;
  int max_code_attempts = 5;
  int unverified_expiry_seconds = 7 * 86400;
  int per_address_per_hour = 20;  // submissions from one client address (0: no limit)
  int per_identity_per_day = 5;   // submissions for one email address (0: no limit)
};

// The public side of intake: Privacy Center submissions, email verification and the subject's
// status page. A submission, its challenge, the email carrying the code (as a message plus an
// "email.send" job) and the expiry job commit in one transaction. The request type and the
// verification template in force are read, and the email rendered, before that transaction,
// so that it only inserts rows (SQLite runs write transactions one at a time). A request that
// reaches review (verified, or a Global Privacy Control opt-out) is acknowledged by email.
class IntakeService {
 public:
  IntakeService(Store& store, const Crypto& crypto, const Clock& clock,
                const TemplateService& templates, IntakePolicy policy);

  // How long the request type settings and the verification template read for a submission
  // are reused (a change made in this process applies at once).
  static constexpr UnixTime kSettingsTtlSeconds = 5;

  // Errors: kInvalidArgument naming the field ("type: ..." for an unknown type or one an admin
  // switched off: nothing is stored); kRateLimited past the limits.
  [[nodiscard]] Result<SubmissionReceipt> Submit(const Submission& in);
  // The same without waiting for the commit: `done` gets the receipt or the error, on this
  // thread for an error found before the write, else on the store's writing thread
  // (Store::WriteAsync), so it must be short.
  void SubmitAsync(const Submission& in, std::function<void(Result<SubmissionReceipt>)> done);

  // A request an agent enters for a subject who must still confirm the email address
  // (POST /api/v1/requests with skip_verification false): stored unverified, with the same
  // challenge, verification email and expiry as a Privacy Center submission, in one
  // transaction; `request.received` names `actor`. No submission limits apply. Errors as
  // BuildRequest's (kInvalidArgument naming the field; nothing is stored).
  [[nodiscard]] Result<PrivacyRequest> CreateUnverified(const NewRequest& in,
                                                        const std::string& actor);

  // Checks the 6-digit code. Errors: kInvalidArgument for a wrong or expired code (the attempt
  // is counted), kRateLimited after the last allowed attempt, kNotFound for an unknown
  // request, kConflict when the request is not waiting for verification.
  [[nodiscard]] Result<PrivacyRequest> VerifyCode(const std::string& request_id,
                                                  const std::string& code);
  // The same through the link's token.
  [[nodiscard]] Result<PrivacyRequest> VerifyLink(const std::string& request_id,
                                                  const std::string& token);

  // The request, when `status_token` is its status-link secret; kNotFound otherwise (the same
  // answer for a wrong token and an unknown id).
  [[nodiscard]] Result<PrivacyRequest> StatusFor(const std::string& request_id,
                                                 const std::string& status_token);

  // Closes `request_id` with outcome unverified if it is still unverified ("request.expire"
  // jobs). Idempotent.
  [[nodiscard]] Status ExpireIfUnverified(const std::string& request_id);

 private:
  // A submission checked and built, with the write that stores it (its own copies of all it
  // needs, so that it can run later on another thread).
  struct PreparedSubmission {
    SubmissionReceipt receipt;
    std::function<Status(Transaction&)> write;
  };
  [[nodiscard]] Result<PreparedSubmission> Prepare(const Submission& in);
  [[nodiscard]] Result<PrivacyRequest> Verify(const std::string& request_id,
                                              const std::string& secret, bool by_link);
  // The challenge of an unverified request, ready to store: its code and link (as keyed
  // hashes) and the verification email rendered from `text`.
  struct Challenge {
    Verification verification;
    Message mail;
  };
  // What a new request needs from the store before its write: the setting of `type_key`
  // (and of do_not_sell when `with_opt_out`: absent when an admin switched it off) and the
  // verification template in force, in one read transaction.
  struct IntakeContext {
    RequestTypeSetting type;
    std::optional<RequestTypeSetting> opt_out_type;
    EmailTemplate verification;
  };
  // Kept for kSettingsTtlSeconds, or until a setting changes in this process.
  [[nodiscard]] Result<IntakeContext> ReadContext(const std::string& type_key,
                                                  bool with_opt_out) const;
  [[nodiscard]] Result<IntakeContext> LoadContext(const std::string& type_key,
                                                  bool with_opt_out) const;
  [[nodiscard]] Result<Challenge> PrepareChallenge(const EmailTemplate& text,
                                                   const PrivacyRequest& q, UnixTime now) const;
  // Stores the challenge, the verification email with its send job, the expiry job and the
  // `verification.code_sent` event.
  [[nodiscard]] Status StoreChallenge(Transaction& tx, const Challenge& c, UnixTime now) const;
  std::string NewCode() const;

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const TemplateService& templates_;
  IntakePolicy policy_;
  AttemptLimiter per_address_;
  AttemptLimiter per_identity_;

  struct CachedContext {
    IntakeContext context;
    UnixTime loaded_at = 0;
    std::uint64_t version = 0;
  };
  mutable std::mutex contexts_mu_;
  mutable std::map<std::pair<std::string, bool>, CachedContext> contexts_;  // by type, opt-out
};

}  // namespace rd::core
