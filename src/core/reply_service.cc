#include "core/reply_service.h"

#include "core/free_text.h"
#include "core/json_text.h"
#include "core/outbox.h"
#include "core/package_service.h"
#include "core/status_machine.h"

namespace rd::core {
namespace {

// What the request's history says the outcome is.
Outcome DecideOutcome(const PrivacyRequest& q, const std::vector<Task>& tasks) {
  if (q.outcome == Outcome::kRejected) return Outcome::kRejected;
  for (const Task& t : tasks) {
    if (t.status != TaskStatus::kDone) return Outcome::kPartiallyFulfilled;
  }
  return Outcome::kFulfilled;
}

std::string TemplateKeyFor(const PrivacyRequest& q, Outcome outcome) {
  return ReplyTemplateKey(TypeKey(q), q.type == RequestType::kCustom, OutcomeName(outcome),
                          q.rejection_reason);
}

Status RequireReplyStatus(const PrivacyRequest& q) {
  if (q.status == RequestStatus::kReply) return {};
  return Fail(Errc::kConflict, std::string("the request is ") + RequestStatusName(q.status) +
                                   ": a reply is sent only in status reply");
}

Status ValidateReply(const std::string& subject, const std::string& body) {
  if (subject.empty() || subject.size() > kMaxReplySubjectBytes) {
    return Fail(Errc::kInvalidArgument, "subject: required, at most 300 bytes");
  }
  if (HasControlCharacters(subject, false)) {
    return Fail(Errc::kInvalidArgument, "subject: one line, no control characters");
  }
  if (body.empty() || body.size() > kMaxReplyBodyBytes) {
    return Fail(Errc::kInvalidArgument, "body: required, at most 50000 bytes");
  }
  if (HasControlCharacters(body, true)) {
    return Fail(Errc::kInvalidArgument, "body: no control characters but line breaks and tabs");
  }
  return {};
}

}  // namespace

ReplyService::ReplyService(Store& store, const TemplateService& templates, const Crypto& crypto,
                           const Clock& clock)
    : store_(store), templates_(templates), crypto_(crypto), clock_(clock) {}

Result<ReplyDraft> ReplyService::Draft(const std::string& id) {
  ReplyDraft out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    if (auto s = RequireReplyStatus(*q); !s) return s;
    auto tasks = tx.Tasks().ListForRequest(id);
    if (!tasks) return tl::unexpected(tasks.error());
    out.outcome = DecideOutcome(*q, *tasks);
    out.template_key = TemplateKeyFor(*q, out.outcome);
    out.to = q->subject.email;
    TemplateData data = templates_.ReplyData(*q, *tasks);
    // A copy's package link, once the package is ready.
    auto package = tx.Packages().FindByRequest(id);
    if (!package && package.error().code != Errc::kNotFound) {
      return tl::unexpected(package.error());
    }
    if (package && package->status == "ready") {
      const std::string token = PackageService::DownloadToken(crypto_, *package);
      if (!token.empty()) {
        data.values["package_url"] = templates_.org().public_url + "/api/v1/packages/" + token;
        data.values["package_expires"] = FormatDate(package->expires_at);
      }
    }
    auto text = templates_.Render(tx, out.template_key, data);
    if (!text) return tl::unexpected(text.error());
    out.subject = std::move(text->subject);
    out.body = std::move(text->body);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<ReplySent> ReplyService::Send(const std::string& id, const std::string& subject,
                                     const std::string& body,
                                     const std::optional<std::string>& outcome,
                                     const std::string& actor) {
  if (auto s = ValidateReply(subject, body); !s) return tl::unexpected(s.error());
  std::optional<Outcome> chosen;
  if (outcome) {
    chosen = ParseOutcome(*outcome);
    if (chosen != Outcome::kFulfilled && chosen != Outcome::kPartiallyFulfilled) {
      return Fail(Errc::kInvalidArgument, "outcome: fulfilled or partially_fulfilled");
    }
  }
  const UnixTime now = clock_.Now();
  ReplySent out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    if (auto s = RequireReplyStatus(*q); !s) return s;
    if (!q->hold_reason.empty()) {
      return Fail(Errc::kConflict, "the request is on hold: release it first");
    }
    auto next = Apply(q->status, RequestAction::kClose, Actor::kAgent);
    if (!next) return tl::unexpected(next.error());
    auto package = tx.Packages().FindByRequest(id);
    if (!package && package.error().code != Errc::kNotFound) {
      return tl::unexpected(package.error());
    }
    if (package && package->status == "building") {
      return Fail(Errc::kConflict,
                  "the copy package is still being built: send the reply once it is ready, so "
                  "that it carries the download link");
    }
    auto tasks = tx.Tasks().ListForRequest(id);
    if (!tasks) return tl::unexpected(tasks.error());
    Outcome decided = DecideOutcome(*q, *tasks);
    if (chosen) {
      if (decided == Outcome::kRejected) {
        return Fail(Errc::kInvalidArgument,
                    "outcome: the request was rejected; a rejection cannot be changed");
      }
      decided = *chosen;
    }
    out.template_key = TemplateKeyFor(*q, decided);
    if (auto s = tx.Requests().Transition(id, q->status, next->to, decided, now); !s) return s;
    auto msg = QueueEmail(tx, crypto_, {id, q->subject.email, actor, subject, body, "reply"}, now);
    if (!msg) return tl::unexpected(msg.error());
    out.message_id = msg->id;
    const std::string outcome_json = JsonString(OutcomeName(decided));
    for (const NewAuditEvent& ev :
         {NewAuditEvent{actor, id, "request.replied",
                        "{\"message_id\":" + JsonString(msg->id) + ",\"outcome\":" + outcome_json +
                            ",\"template_key\":" + JsonString(out.template_key) + "}"},
          NewAuditEvent{actor, id, "request.closed", "{\"outcome\":" + outcome_json + "}"}}) {
      if (auto e = tx.Audit().Append(ev, now); !e) return tl::unexpected(e.error());
    }
    out.request = *q;
    out.request.status = next->to;
    out.request.outcome = decided;
    out.request.updated_at = now;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
