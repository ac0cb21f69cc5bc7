#include "core/case_service.h"

#include "core/audit_trail.h"
#include "core/data_source.h"
#include "core/deadline.h"
#include "core/free_text.h"
#include "core/json_text.h"
#include "core/outbox.h"
#include "core/status_machine.h"

namespace rd::core {
namespace {

constexpr std::size_t kMaxDuplicates = 20;
// Requests of the identity read to find them: other types are among them too.
constexpr int kIdentityScan = 100;

}  // namespace

CaseService::CaseService(Store& store, const Crypto& crypto, const Clock& clock,
                         const TemplateService& templates, CasePolicy policy)
    : store_(store), crypto_(crypto), clock_(clock), templates_(templates), policy_(policy) {}

Result<PrivacyRequest> CaseService::Extend(const std::string& id, const std::string& reason,
                                           const std::string& actor) {
  if (auto s = CheckFreeText("reason", reason, kMaxCaseReasonBytes); !s) {
    return tl::unexpected(s.error());
  }
  const UnixTime now = clock_.Now();
  PrivacyRequest out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    if (auto next = Apply(q->status, RequestAction::kExtend, Actor::kAgent); !next) {
      return tl::unexpected(next.error());
    }
    if (q->extended_at) {
      return Fail(Errc::kConflict,
                  "the request was already extended once, on " + FormatDate(*q->extended_at));
    }
    // Custom rights follow their jurisdiction's rule too.
    const auto rule = FindDeadlineRule(q->jurisdiction);
    if (!rule) return Fail(Errc::kConflict, "the request's jurisdiction has no deadline rule");
    const auto due = ExtendedDueAt(*rule, q->due_at);
    if (!due) return Fail(Errc::kConflict, "the " + rule->label + " rule allows no extension");
    // GDPR Art. 12(3): the subject must hear of the extension within the first period.
    const UnixTime original = DueAt(*rule, q->received_at);
    if (now > original) {
      return Fail(Errc::kConflict, "the extension had to be announced by the original due date, " +
                                       FormatRfc3339(original) + ", which has passed");
    }
    if (auto s = tx.Requests().SetExtension(id, *due, reason, now); !s) return s;
    const UnixTime previous = q->due_at;
    q->due_at = *due;
    q->extended_at = now;
    q->extension_reason = reason;
    q->updated_at = now;

    TemplateData data = templates_.RequestData(*q);
    data.values["reason"] = reason;
    data.values["previous_due_date"] = FormatDate(previous);
    auto mail = templates_.Render(tx, "extension", data);
    if (!mail) return tl::unexpected(mail.error());
    auto queued = QueueEmail(
        tx, crypto_, {id, q->subject.email, actor, mail->subject, mail->body, "extension"}, now);
    if (!queued) return tl::unexpected(queued.error());
    // The reason stays on the request: it may name people.
    if (auto s = AppendAudit(tx, actor, id, "request.extended",
                             "{\"previous_due_at\":" + JsonString(FormatRfc3339(previous)) +
                                 ",\"due_at\":" + JsonString(FormatRfc3339(*due)) + "}",
                             now);
        !s) {
      return s;
    }
    out = *q;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<PrivacyRequest> CaseService::Hold(const std::string& id, const std::string& reason,
                                         const std::string& actor) {
  if (auto s = CheckFreeText("reason", reason, kMaxCaseReasonBytes); !s) {
    return tl::unexpected(s.error());
  }
  const UnixTime now = clock_.Now();
  PrivacyRequest out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    if (auto next = Apply(q->status, RequestAction::kHold, Actor::kAgent); !next) {
      return tl::unexpected(next.error());
    }
    if (!q->hold_reason.empty()) {
      return Fail(Errc::kConflict, "the request is already on hold since " +
                                       FormatRfc3339(q->held_at.value_or(q->updated_at)));
    }
    if (auto s = tx.Requests().SetHold(id, reason, now); !s) return s;
    if (auto s = AppendAudit(tx, actor, id, "request.held", "{}", now); !s) return s;
    q->hold_reason = reason;
    q->held_at = now;
    q->updated_at = now;
    out = *q;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<PrivacyRequest> CaseService::Release(const std::string& id, const std::string& actor) {
  const UnixTime now = clock_.Now();
  PrivacyRequest out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    if (auto next = Apply(q->status, RequestAction::kRelease, Actor::kAgent); !next) {
      return tl::unexpected(next.error());
    }
    if (q->hold_reason.empty()) return Fail(Errc::kConflict, "the request is not on hold");
    if (auto s = tx.Requests().SetHold(id, "", now); !s) return s;
    const UnixTime held = now - q->held_at.value_or(now);
    if (auto s = AppendAudit(tx, actor, id, "request.released",
                             "{\"held_seconds\":" + std::to_string(held) + "}", now);
        !s) {
      return s;
    }
    q->hold_reason.clear();
    q->held_at.reset();
    q->updated_at = now;
    out = *q;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<std::vector<Message>> CaseService::Messages(const std::string& id) {
  std::vector<Message> out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    if (auto q = tx.Requests().Get(id); !q) return tl::unexpected(q.error());
    auto messages = tx.Messages().ListForRequest(id);
    if (!messages) return tl::unexpected(messages.error());
    out = std::move(*messages);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<Message> CaseService::SendMessage(const std::string& id, const std::string& body,
                                         const std::string& actor) {
  if (auto s = CheckFreeText("body", body, kMaxAgentMessageBytes); !s) {
    return tl::unexpected(s.error());
  }
  const UnixTime now = clock_.Now();
  Message out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    if (!IsOpen(q->status)) {
      return Fail(Errc::kConflict, "the request is closed; its conversation is read-only");
    }
    TemplateData data = templates_.RequestData(*q);
    data.values["message"] = body;
    auto mail = templates_.Render(tx, "agent_message", data);
    if (!mail) return tl::unexpected(mail.error());
    auto queued =
        QueueEmail(tx, crypto_,
                   {id, q->subject.email, actor, mail->subject, mail->body, "agent_message"}, now);
    if (!queued) return tl::unexpected(queued.error());
    out = std::move(*queued);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<CaseReview> CaseService::Review(const PrivacyRequest& q) {
  CaseReview out;
  if (const auto rule = FindDeadlineRule(q.jurisdiction)) {
    out.acknowledge_by = AcknowledgeBy(*rule, q.received_at);
  }
  const std::string type_key = TypeKey(q);
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto same = tx.Requests().ListByIdentity(crypto_.IdentityHash(q.subject.email),
                                             q.received_at - policy_.duplicate_window_seconds,
                                             kIdentityScan);
    if (!same) return tl::unexpected(same.error());
    for (auto& other : *same) {
      if (other.id == q.id || TypeKey(other) != type_key) continue;
      if (out.duplicates.size() < kMaxDuplicates) out.duplicates.push_back(std::move(other));
    }
    auto sources = tx.DataSources().List();
    if (!sources) return tl::unexpected(sources.error());
    for (auto& ds : *sources) {
      if (SourceApplies(ds, type_key)) out.applicable_sources.push_back(std::move(ds));
    }
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
