#include "core/intake_service.h"

#include <memory>

#include "core/audit_trail.h"
#include "core/ids.h"
#include "core/json_text.h"
#include "core/links.h"
#include "core/request_service.h"
#include "core/request_type_service.h"
#include "core/settings_version.h"
#include "core/status_machine.h"

namespace rd::core {
namespace {}  // namespace

IntakeService::IntakeService(Store& store, const Crypto& crypto, const Clock& clock,
                             const TemplateService& templates, IntakePolicy policy)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      templates_(templates),
      policy_(std::move(policy)),
      per_address_(policy_.per_address_per_hour, 3600),
      per_identity_(policy_.per_identity_per_day, 86400) {}

std::string IntakeService::NewCode() const {
  // Uniform over 000000..999999: reject the top of the 32-bit range that would bias the modulo.
  for (;;) {
    const std::uint32_t v =
        static_cast<std::uint32_t>(std::stoul(crypto_.RandomHex(4), nullptr, 16));
    if (v >= 4'294'000'000u) continue;
    std::string code = std::to_string(v % 1'000'000);
    return std::string(6 - code.size(), '0') + code;
  }
}

Result<IntakeService::PreparedSubmission> IntakeService::Prepare(const Submission& in) {
  const UnixTime now = clock_.Now();
  NewRequest nr;
  nr.type = in.type;
  nr.subject = in.subject;
  nr.jurisdiction = in.jurisdiction;
  nr.details = in.details;
  nr.corrections = in.corrections;
  nr.requester_type = in.requester_type;
  nr.channel = Channel::kPrivacyCenter;
  auto context = ReadContext(in.type, in.gpc);
  if (!context) return tl::unexpected(context.error());
  auto built = BuildRequest(nr, context->type, crypto_, now);
  if (!built) return tl::unexpected(built.error());
  PrivacyRequest q = std::move(*built);
  const bool opt_out_only = in.gpc && q.type == RequestType::kDoNotSell;
  if (opt_out_only) {
    q.channel = Channel::kGpc;
    q.status = RequestStatus::kReview;
  }
  std::optional<RequestTypeSetting> opt_out_type;
  if (!opt_out_only) opt_out_type = std::move(context->opt_out_type);

  const std::string address_key = "addr:" + in.client_address;
  const std::string identity_key = "id:" + crypto_.IdentityHash(q.subject.email);
  if (per_address_.Blocked(address_key, now) || per_identity_.Blocked(identity_key, now)) {
    return Fail(Errc::kRateLimited, "too many requests; please try again later");
  }
  per_address_.RecordFailure(address_key, now);
  per_identity_.RecordFailure(identity_key, now);

  SubmissionReceipt receipt;
  if (opt_out_type) {
    NewRequest opt_out = nr;
    opt_out.type = RequestTypeName(RequestType::kDoNotSell);
    opt_out.details.clear();
    opt_out.corrections.clear();
    opt_out.channel = Channel::kGpc;
    opt_out.skip_verification = true;
    auto gpc = BuildRequest(opt_out, *opt_out_type, crypto_, now);
    if (!gpc) return tl::unexpected(gpc.error());
    receipt.gpc_request = std::move(*gpc);
  }
  receipt.status_token = StatusToken(crypto_, q.id);
  q.status_token_hash = crypto_.Sha256Hex(receipt.status_token);

  PreparedSubmission out;
  if (opt_out_only) {
    // No challenge and no code: the opt-out is honoured as received, and acknowledged.
    out.write = [this, q, now](Transaction& tx) -> Status {
      if (auto s = InsertRequest(tx, crypto_, q, "subject"); !s) return s;
      return QueueAcknowledgement(tx, templates_, crypto_, q, now);
    };
    receipt.request = std::move(q);
    out.receipt = std::move(receipt);
    return out;
  }

  auto challenge = PrepareChallenge(context->verification, q, now);
  if (!challenge) return tl::unexpected(challenge.error());
  out.write = [this, q, gpc = receipt.gpc_request, c = std::move(*challenge),
               now](Transaction& tx) -> Status {
    if (auto s = InsertRequest(tx, crypto_, q, "subject"); !s) return s;
    if (gpc) {
      if (auto s = InsertRequest(tx, crypto_, *gpc, "subject"); !s) return s;
      if (auto s = QueueAcknowledgement(tx, templates_, crypto_, *gpc, now); !s) return s;
    }
    return StoreChallenge(tx, c, now);
  };
  receipt.request = std::move(q);
  out.receipt = std::move(receipt);
  return out;
}

Result<SubmissionReceipt> IntakeService::Submit(const Submission& in) {
  auto prepared = Prepare(in);
  if (!prepared) return tl::unexpected(prepared.error());
  if (Status st = store_.Write(prepared->write); !st) return tl::unexpected(st.error());
  return std::move(prepared->receipt);
}

void IntakeService::SubmitAsync(const Submission& in,
                                std::function<void(Result<SubmissionReceipt>)> done) {
  auto prepared = Prepare(in);
  if (!prepared) {
    done(tl::unexpected(prepared.error()));
    return;
  }
  auto shared = std::make_shared<PreparedSubmission>(std::move(*prepared));
  store_.WriteAsync(shared->write, [shared, done = std::move(done)](Status st) {
    if (!st) {
      done(tl::unexpected(st.error()));
    } else {
      done(std::move(shared->receipt));
    }
  });
}

Result<IntakeService::IntakeContext> IntakeService::ReadContext(const std::string& type_key,
                                                                bool with_opt_out) const {
  const UnixTime now = clock_.Now();
  const std::uint64_t version = SettingsVersion();
  const auto key = std::make_pair(type_key, with_opt_out);
  {
    std::lock_guard lock(contexts_mu_);
    auto it = contexts_.find(key);
    if (it != contexts_.end() && it->second.version == version &&
        now - it->second.loaded_at < kSettingsTtlSeconds && now >= it->second.loaded_at) {
      return it->second.context;
    }
  }
  // Only what loads is kept (the keys of enabled types: a handful).
  auto loaded = LoadContext(type_key, with_opt_out);
  if (!loaded) return loaded;
  std::lock_guard lock(contexts_mu_);
  contexts_[key] = CachedContext{*loaded, now, version};
  return loaded;
}

Result<IntakeService::IntakeContext> IntakeService::LoadContext(const std::string& type_key,
                                                                bool with_opt_out) const {
  Result<IntakeContext> out = Fail(Errc::kInternal, "");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto type = RequestTypeService::Resolve(tx, type_key);
    if (!type) {
      out = tl::unexpected(type.error());
      return {};
    }
    IntakeContext c;
    c.type = std::move(*type);
    if (with_opt_out) {
      // An admin who switched do_not_sell off gets no opt-outs from GPC either.
      auto t = RequestTypeService::Resolve(tx, RequestTypeName(RequestType::kDoNotSell));
      if (t) {
        c.opt_out_type = std::move(*t);
      } else if (t.error().code != Errc::kInvalidArgument) {
        return tl::unexpected(t.error());
      }
    }
    auto text = templates_.Resolve(tx, "verification");
    if (!text) return tl::unexpected(text.error());
    c.verification = std::move(*text);
    out = std::move(c);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<IntakeService::Challenge> IntakeService::PrepareChallenge(const EmailTemplate& text,
                                                                 const PrivacyRequest& q,
                                                                 UnixTime now) const {
  const std::string code = NewCode();
  const std::string link_token = crypto_.RandomHex(16);
  Challenge c;
  c.verification = {q.id,
                    crypto_.IdentityHash("code:" + q.id + ":" + code),
                    crypto_.IdentityHash("link:" + q.id + ":" + link_token),
                    now + policy_.code_ttl_seconds,
                    0,
                    now};
  TemplateData data = templates_.RequestData(q);
  data.values["code"] = code;
  data.values["expires_minutes"] = std::to_string(policy_.code_ttl_seconds / 60);
  data.values["verify_url"] =
      templates_.org().public_url + "/privacy/requests/" + q.id + "/verify?token=" + link_token;
  auto mail = templates_.RenderText(text, data);
  if (!mail) return tl::unexpected(mail.error());
  c.mail = Message{NewId(crypto_, "msg_"), q.id,       "out", "system",    q.subject.email,
                   mail->subject,          mail->body, now,   std::nullopt};
  return c;
}

Status IntakeService::StoreChallenge(Transaction& tx, const Challenge& c, UnixTime now) const {
  const std::string& request_id = c.verification.request_id;
  if (auto s = tx.Verifications().Put(c.verification); !s) return s;
  if (auto s = tx.Messages().Insert(c.mail); !s) return s;
  if (auto s = tx.Jobs().Enqueue(
          {"", "email.send", "{\"message_id\":" + JsonString(c.mail.id) + "}", now});
      !s) {
    return s;
  }
  if (auto s = tx.Jobs().Enqueue({"", "request.expire",
                                  "{\"request_id\":" + JsonString(request_id) + "}",
                                  now + policy_.unverified_expiry_seconds});
      !s) {
    return s;
  }
  return AppendAudit(tx, "system", request_id, "verification.code_sent",
                     "{\"message_id\":" + JsonString(c.mail.id) + "}", now);
}

Result<PrivacyRequest> IntakeService::CreateUnverified(const NewRequest& in,
                                                       const std::string& actor) {
  const UnixTime now = clock_.Now();
  NewRequest nr = in;
  nr.skip_verification = false;
  auto context = ReadContext(nr.type, false);
  if (!context) return tl::unexpected(context.error());
  auto built = BuildRequest(nr, context->type, crypto_, now);
  if (!built) return built;
  PrivacyRequest q = std::move(*built);
  q.status_token_hash = crypto_.Sha256Hex(StatusToken(crypto_, q.id));
  auto challenge = PrepareChallenge(context->verification, q, now);
  if (!challenge) return tl::unexpected(challenge.error());
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = InsertRequest(tx, crypto_, q, actor); !s) return s;
    return StoreChallenge(tx, *challenge, now);
  });
  if (!st) return tl::unexpected(st.error());
  return q;
}

Result<PrivacyRequest> IntakeService::VerifyCode(const std::string& request_id,
                                                 const std::string& code) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(Errc::kInvalidArgument, "code: the 6 digits from the email");
  }
  return Verify(request_id, code, false);
}

Result<PrivacyRequest> IntakeService::VerifyLink(const std::string& request_id,
                                                 const std::string& token) {
  if (token.empty() || token.size() > 128) {
    return Fail(Errc::kInvalidArgument, "token: the link from the email");
  }
  return Verify(request_id, token, true);
}

Result<PrivacyRequest> IntakeService::Verify(const std::string& request_id,
                                             const std::string& secret, bool by_link) {
  const UnixTime now = clock_.Now();
  Result<PrivacyRequest> out = Fail(Errc::kInternal, "");
  // The attempt is counted in its own transaction, so that a wrong code is remembered even
  // though the call fails.
  Error failure{Errc::kInternal, ""};
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return tl::unexpected(q.error());
    auto next = Apply(q->status, RequestAction::kVerify, Actor::kSubject);
    if (!next) {
      failure = {Errc::kConflict, q->status == RequestStatus::kClosed
                                      ? "this request is closed"
                                      : "this request is already verified"};
      return {};
    }
    auto v = tx.Verifications().Find(request_id);
    if (!v) return tl::unexpected(v.error());
    if (v->attempts >= policy_.max_code_attempts) {
      failure = {Errc::kRateLimited, "too many wrong codes; submit the request again"};
      return {};
    }
    if (now >= v->expires_at) {
      failure = {Errc::kInvalidArgument, "code: the code has expired; submit the request again"};
      return {};
    }
    const std::string expected = by_link ? v->link_token_hash : v->code_hash;
    const std::string given =
        crypto_.IdentityHash((by_link ? "link:" : "code:") + request_id + ":" + secret);
    if (!crypto_.ConstantTimeEquals(given, expected)) {
      const int attempts = v->attempts + 1;
      if (auto s = tx.Verifications().SetAttempts(request_id, attempts); !s) return s;
      if (auto s = AppendAudit(tx, "subject", request_id, "verification.failed",
                               "{\"attempt\":" + std::to_string(attempts) + "}", now);
          !s) {
        return s;
      }
      failure =
          attempts >= policy_.max_code_attempts
              ? Error{Errc::kRateLimited, "too many wrong codes; submit the request again"}
              : Error{Errc::kInvalidArgument,
                      "code: wrong code; " + std::to_string(policy_.max_code_attempts - attempts) +
                          " tries left"};
      return {};
    }
    const std::string method = by_link ? "email_link" : "email_code";
    if (auto s = tx.Requests().Transition(request_id, q->status, next->to, next->outcome, now);
        !s) {
      return s;
    }
    if (auto s = tx.Requests().MarkVerified(request_id, now, method); !s) return s;
    if (auto s = tx.Verifications().Delete(request_id); !s) return s;
    if (auto s = AppendAudit(tx, "subject", request_id, "request.verified",
                             "{\"method\":" + JsonString(method) + "}", now);
        !s) {
      return s;
    }
    q->status = next->to;
    q->verified_at = now;
    q->verification_method = method;
    q->updated_at = now;
    if (auto s = QueueAcknowledgement(tx, templates_, crypto_, *q, now); !s) return s;
    out = *q;
    failure.message.clear();
    return {};
  });
  if (!st) {
    if (st.error().code == Errc::kNotFound) return Fail(Errc::kNotFound, "no such request");
    return tl::unexpected(st.error());
  }
  if (!failure.message.empty()) return tl::unexpected(failure);
  return out;
}

Result<PrivacyRequest> IntakeService::StatusFor(const std::string& request_id,
                                                const std::string& status_token) {
  Result<PrivacyRequest> q = Fail(Errc::kNotFound, "no such request");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    q = tx.Requests().Get(request_id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  if (!q || !IsStatusToken(crypto_, request_id, status_token)) {
    return Fail(Errc::kNotFound, "no such request, or the link is not valid");
  }
  return q;
}

Status IntakeService::ExpireIfUnverified(const std::string& request_id) {
  const UnixTime now = clock_.Now();
  return store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return q.error().code == Errc::kNotFound ? Status{} : tl::unexpected(q.error());
    auto next = Apply(q->status, RequestAction::kExpire, Actor::kSystem);
    if (!next) return {};  // verified, withdrawn or closed meanwhile: nothing to do
    if (auto s = tx.Requests().Transition(request_id, q->status, next->to, next->outcome, now);
        !s) {
      return s;
    }
    if (auto s = tx.Verifications().Delete(request_id); !s) return s;
    return AppendAudit(tx, "system", request_id, "request.expired", "{\"outcome\":\"unverified\"}",
                       now);
  });
}

}  // namespace rd::core
