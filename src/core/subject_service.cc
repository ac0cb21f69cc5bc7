#include "core/subject_service.h"

#include <set>

#include "core/audit_trail.h"
#include "core/free_text.h"
#include "core/ids.h"
#include "core/json_text.h"
#include "core/links.h"
#include "core/outbox.h"
#include "core/status_machine.h"

namespace rd::core {
namespace {

constexpr const char* kNoSuchRequest = "no such request, or the link is not valid";
constexpr const char* kWithdrawnNote = "withdrawn by the subject";

// The ids of the verification emails of a request, from its "verification.code_sent" events.
Result<std::set<std::string>> VerificationMessageIds(Transaction& tx, const std::string& id) {
  std::set<std::string> out;
  static constexpr std::string_view kKey = "\"message_id\":\"";
  Status st = tx.Audit().ForEach(id, 0, 0, [&](const AuditEvent& e) {
    if (e.kind != "verification.code_sent") return;
    const auto at = e.detail.find(kKey);
    if (at == std::string::npos) return;
    const auto start = at + kKey.size();
    const auto end = e.detail.find('"', start);
    if (end != std::string::npos) out.insert(e.detail.substr(start, end - start));
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace

SubjectService::SubjectService(Store& store, const Crypto& crypto, const Clock& clock,
                               const TemplateService& templates, SubjectPolicy policy)
    : store_(store), crypto_(crypto), clock_(clock), templates_(templates), policy_(policy) {}

Result<PrivacyRequest> SubjectService::Authenticate(Transaction& tx, const std::string& id,
                                                    const std::string& token) const {
  if (token.empty() || !IsStatusToken(crypto_, id, token)) {
    return Fail(Errc::kNotFound, kNoSuchRequest);
  }
  auto q = tx.Requests().Get(id);
  if (!q && q.error().code == Errc::kNotFound) return Fail(Errc::kNotFound, kNoSuchRequest);
  return q;
}

Result<SubjectView> SubjectService::StatusPage(const std::string& id, const std::string& token) {
  SubjectView out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto q = Authenticate(tx, id, token);
    if (!q) return tl::unexpected(q.error());
    auto hidden = VerificationMessageIds(tx, id);
    if (!hidden) return tl::unexpected(hidden.error());
    auto messages = tx.Messages().ListForRequest(id);
    if (!messages) return tl::unexpected(messages.error());
    for (auto& m : *messages) {
      const bool to_subject =
          m.direction == "out" && m.recipient == q->subject.email && hidden->count(m.id) == 0;
      const bool from_subject = m.direction == "in" && m.sender == "subject";
      if (!to_subject && !from_subject) continue;
      out.messages.push_back({m.direction, std::move(m.subject), std::move(m.body), m.created_at});
    }
    out.can_withdraw = IsOpen(q->status);
    out.request = std::move(*q);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<SubjectMessage> SubjectService::PostMessage(const std::string& id, const std::string& token,
                                                   const std::string& body) {
  const UnixTime now = clock_.Now();
  SubjectMessage out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = Authenticate(tx, id, token);
    if (!q) return tl::unexpected(q.error());
    if (auto s = CheckFreeText("body", body, kMaxSubjectMessageBytes); !s) return s;
    if (!IsOpen(q->status)) {
      return Fail(Errc::kConflict, "this request is closed; make a new request to write to us");
    }
    if (q->status == RequestStatus::kUnverified) {
      return Fail(Errc::kConflict, "confirm your email address first, with the code we sent");
    }
    // Counted in the database, so the limit holds across server processes.
    auto messages = tx.Messages().ListForRequest(id);
    if (!messages) return tl::unexpected(messages.error());
    int recent = 0;
    for (const auto& m : *messages) {
      if (m.direction == "in" && m.sender == "subject" && m.created_at > now - 3600) ++recent;
    }
    if (policy_.max_messages_per_hour > 0 && recent >= policy_.max_messages_per_hour) {
      return Fail(Errc::kRateLimited, "too many messages on this request; try again in an hour");
    }
    Message m{NewId(crypto_, "msg_"),         id,   "in", "subject",   "",
              "Message from the status page", body, now,  std::nullopt};
    if (auto s = tx.Messages().Insert(m); !s) return s;
    if (auto s = AppendAudit(tx, "subject", id, "message.received",
                             "{\"message_id\":" + JsonString(m.id) + "}", now);
        !s) {
      return s;
    }
    out = {m.direction, m.subject, m.body, m.created_at};
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<PrivacyRequest> SubjectService::Withdraw(const std::string& id, const std::string& token) {
  const UnixTime now = clock_.Now();
  PrivacyRequest out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = Authenticate(tx, id, token);
    if (!q) return tl::unexpected(q.error());
    auto next = Apply(q->status, RequestAction::kWithdraw, Actor::kSubject);
    if (!next) return Fail(Errc::kConflict, "this request is already closed");
    if (auto s = tx.Requests().Transition(id, q->status, next->to, next->outcome, now); !s) {
      return s;
    }
    auto tasks = tx.Tasks().ListForRequest(id);
    if (!tasks) return tl::unexpected(tasks.error());
    int skipped = 0;
    for (auto& t : *tasks) {
      if (t.status != TaskStatus::kPending && t.status != TaskStatus::kWaiting) continue;
      const TaskStatus was = t.status;
      t.status = TaskStatus::kSkipped;
      t.note = kWithdrawnNote;
      t.completed_by = "subject";
      t.completed_at = now;
      t.updated_at = now;
      if (auto s = tx.Tasks().Update(t, was); !s) return s;
      ++skipped;
    }
    const bool was_held = !q->hold_reason.empty();
    if (was_held) {
      if (auto s = tx.Requests().SetHold(id, "", now); !s) return s;
    }
    if (q->status == RequestStatus::kUnverified) {
      if (auto s = tx.Verifications().Delete(id); !s) return s;
    }
    q->status = next->to;
    q->outcome = next->outcome;
    q->hold_reason.clear();
    q->held_at.reset();
    q->updated_at = now;

    auto mail = templates_.Render(tx, "withdrawal", templates_.RequestData(*q));
    if (!mail) return tl::unexpected(mail.error());
    auto queued =
        QueueEmail(tx, crypto_,
                   {id, q->subject.email, "system", mail->subject, mail->body, "withdrawal"}, now);
    if (!queued) return tl::unexpected(queued.error());
    if (auto s = AppendAudit(tx, "subject", id, "request.withdrawn",
                             "{\"tasks_skipped\":" + std::to_string(skipped) +
                                 ",\"hold_ended\":" + (was_held ? "true" : "false") + "}",
                             now);
        !s) {
      return s;
    }
    out = std::move(*q);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
