#include "core/request_service.h"

#include <cctype>

#include "core/deadline.h"
#include "core/free_text.h"
#include "core/ids.h"
#include "core/json_text.h"
#include "core/outbox.h"
#include "core/request_type_service.h"

namespace rd::core {
namespace {

// A phone number as people write it: digits with spaces, dashes, dots, parentheses and an
// optional leading '+'; 6 to 15 digits.
bool PlausiblePhone(std::string_view s) {
  int digits = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' ||
                 (c == '+' && i == 0))) {
      return false;
    }
  }
  return digits >= 6 && digits <= 15;
}

std::string NewReference(const Crypto& crypto) {
  // Crockford-style alphabet: no I, L, O, U, so references read back unambiguously.
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const std::string hex = crypto.RandomHex(8);
  std::string out = "RD-";
  for (std::size_t i = 0; i < 8; ++i) {
    const int v = std::stoi(hex.substr(i * 2, 2), nullptr, 16);
    out.push_back(kAlphabet[v % 32]);
    if (i == 3) out.push_back('-');
  }
  return out;
}

}  // namespace

RequestService::RequestService(Store& store, const Crypto& crypto, const Clock& clock,
                               const TemplateService& templates)
    : store_(store), crypto_(crypto), clock_(clock), templates_(templates) {}

Result<PrivacyRequest> BuildRequest(const NewRequest& in, const RequestTypeSetting& setting,
                                    const Crypto& crypto, UnixTime now) {
  const auto builtin = ParseRequestType(setting.key);
  const RequestType type = builtin ? *builtin : RequestType::kCustom;
  const auto email = NormalizeEmail(in.subject.email);
  if (!email) return Fail(Errc::kInvalidArgument, "subject.email: not a valid email address");
  if (in.subject.name.size() > kMaxNameBytes || HasControlCharacters(in.subject.name, false)) {
    return Fail(Errc::kInvalidArgument,
                "subject.name: at most 200 characters, no control characters");
  }
  if (!in.subject.phone.empty() && !PlausiblePhone(in.subject.phone)) {
    return Fail(Errc::kInvalidArgument,
                "subject.phone: digits with optional +, spaces, dashes or parentheses");
  }
  const std::string jurisdiction = in.jurisdiction.empty() ? "default" : in.jurisdiction;
  const auto rule = FindDeadlineRule(jurisdiction);
  if (!rule) {
    std::string known;
    for (const auto& r : DeadlineRules()) known += (known.empty() ? "" : ", ") + r.jurisdiction;
    return Fail(Errc::kInvalidArgument, "jurisdiction: must be one of " + known);
  }
  if (in.details.size() > kMaxDetailsBytes || HasControlCharacters(in.details, true)) {
    return Fail(Errc::kInvalidArgument, "details: at most 10000 characters, no control characters");
  }
  const auto requester =
      ParseRequesterType(in.requester_type.empty() ? "consumer" : in.requester_type);
  if (!requester) {
    return Fail(Errc::kInvalidArgument,
                "requester_type: must be consumer, employee, applicant or authorized_agent");
  }
  if (in.corrections.size() > kMaxCorrectionsBytes) {
    return Fail(Errc::kInvalidArgument, "corrections: at most 10000 characters");
  }
  if (!in.corrections.empty() && type != RequestType::kRightToEdit) {
    return Fail(Errc::kInvalidArgument, "corrections: only for right_to_edit requests");
  }

  PrivacyRequest q;
  q.id = NewId(crypto, "req_");
  q.reference = NewReference(crypto);
  q.type = type;
  if (type == RequestType::kCustom) q.custom_type = setting.key;
  q.status = in.skip_verification ? RequestStatus::kReview : RequestStatus::kUnverified;
  q.channel = in.channel;
  q.jurisdiction = jurisdiction;
  q.subject = Subject{*email, in.subject.name, in.subject.phone};
  q.details = in.details;
  q.requester_type = *requester;
  q.corrections = in.corrections;
  q.received_at = now;
  // Only custom rights carry their own deadline; built-in types follow the jurisdiction.
  q.due_at = type == RequestType::kCustom && setting.deadline_days > 0
                 ? q.received_at + static_cast<UnixTime>(setting.deadline_days) * 86400
                 : DueAtFor(*rule, q.type, q.received_at);
  q.updated_at = q.received_at;
  return q;
}

Status InsertRequest(Transaction& tx, const Crypto& crypto, const PrivacyRequest& q,
                     const std::string& actor) {
  if (auto s = tx.Requests().Insert(q, crypto.IdentityHash(q.subject.email)); !s) return s;
  // Keys in sorted order: the audit chain then hashes the text as it is (CanonicalAuditJson).
  NewAuditEvent ev{actor, q.id, "request.received",
                   "{\"channel\":" + JsonString(ChannelName(q.channel)) +
                       ",\"jurisdiction\":" + JsonString(q.jurisdiction) +
                       ",\"requester_type\":" + JsonString(RequesterTypeName(q.requester_type)) +
                       ",\"status\":" + JsonString(RequestStatusName(q.status)) +
                       ",\"type\":" + JsonString(TypeKey(q)) + "}"};
  return tx.Audit().Append(ev, q.received_at).map([](const AuditEvent&) {});
}

Status QueueAcknowledgement(Transaction& tx, const TemplateService& templates, const Crypto& crypto,
                            const PrivacyRequest& q, UnixTime now) {
  auto text = templates.Render(tx, "acknowledgement", templates.RequestData(q));
  if (!text) return tl::unexpected(text.error());
  auto msg = QueueEmail(
      tx, crypto, {q.id, q.subject.email, "system", text->subject, text->body, "acknowledgement"},
      now);
  if (!msg) return tl::unexpected(msg.error());
  // Review shows where the identity was found: the integrations' pre-scan runs in a worker.
  return tx.Jobs().Enqueue(
      {"", "request.prescan", "{\"request_id\":" + JsonString(q.id) + "}", now});
}

Result<PrivacyRequest> RequestService::Create(const NewRequest& in, const std::string& actor) {
  auto type = RequestTypeService::Resolve(store_, in.type);
  if (!type) return tl::unexpected(type.error());
  auto q = BuildRequest(in, *type, crypto_, clock_.Now());
  if (!q) return q;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = InsertRequest(tx, crypto_, *q, actor); !s) return s;
    if (q->status != RequestStatus::kReview) return {};
    return QueueAcknowledgement(tx, templates_, crypto_, *q, q->received_at);
  });
  if (!st) return tl::unexpected(st.error());
  return q;
}

Result<PrivacyRequest> RequestService::Reject(const std::string& id, const std::string& reason,
                                              const std::string& note, const std::string& actor) {
  if (!IsRejectionReason(reason)) {
    return Fail(Errc::kInvalidArgument,
                std::string("reason: must be one of ") + RejectionReasons());
  }
  if (note.size() > kMaxNoteBytes || HasControlCharacters(note, true)) {
    return Fail(Errc::kInvalidArgument, "note: at most 5000 characters, no control characters");
  }
  const UnixTime now = clock_.Now();
  PrivacyRequest out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    auto next = Apply(q->status, RequestAction::kReject, Actor::kAgent);
    if (!next) return tl::unexpected(next.error());
    if (!q->hold_reason.empty()) {
      return Fail(Errc::kConflict, "the request is on hold: release it first");
    }
    if (auto s = tx.Requests().Transition(id, q->status, next->to, next->outcome, now); !s) {
      return s;
    }
    if (auto s = tx.Requests().SetRejection(id, reason, note); !s) return s;
    NewAuditEvent ev{actor, id, "request.rejected",
                     "{\"reason\":" + JsonString(reason) + "}"};  // the note may name people
    if (auto e = tx.Audit().Append(ev, now); !e) return tl::unexpected(e.error());
    out = *q;
    out.status = next->to;
    out.outcome = next->outcome;
    out.rejection_reason = reason;
    out.rejection_note = note;
    out.updated_at = now;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<PrivacyRequest> RequestService::Assign(const std::string& id, const std::string& user_id,
                                              const std::string& actor) {
  const UnixTime now = clock_.Now();
  PrivacyRequest out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(id);
    if (!q) return tl::unexpected(q.error());
    if (auto next = Apply(q->status, RequestAction::kAssign, Actor::kAgent); !next) {
      return tl::unexpected(next.error());
    }
    if (!user_id.empty()) {
      auto user = tx.Users().FindById(user_id);
      if (!user || user->disabled || user->role == Role::kViewer) {
        return Fail(Errc::kInvalidArgument, "assignee: not an agent or admin of this desk");
      }
    }
    if (auto s = tx.Requests().SetAssignee(id, user_id, now); !s) return s;
    NewAuditEvent ev{actor, id, user_id.empty() ? "request.unassigned" : "request.assigned",
                     "{\"assignee\":" + JsonString(user_id) + "}"};
    if (auto e = tx.Audit().Append(ev, now); !e) return tl::unexpected(e.error());
    out = *q;
    out.assignee = user_id;
    out.updated_at = now;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<std::vector<AuditEvent>> RequestService::History(const std::string& id) {
  std::vector<AuditEvent> out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    if (auto q = tx.Requests().Get(id); !q) return tl::unexpected(q.error());
    return tx.Audit().ForEach(id, 0, 0, [&](const AuditEvent& e) { out.push_back(e); });
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<PrivacyRequest> RequestService::Get(const std::string& id) {
  Result<PrivacyRequest> out = Fail(Errc::kNotFound, "no such request");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.Requests().Get(id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<RequestCounts> RequestService::Counts() {
  const UnixTime now = clock_.Now();
  Result<RequestCounts> out = RequestCounts{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.Requests().Counts(now, now + 7 * 86400);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  if (!out) return out;
  for (const RequestStatus s :
       {RequestStatus::kUnverified, RequestStatus::kReview, RequestStatus::kProcess,
        RequestStatus::kReply, RequestStatus::kClosed}) {
    out->by_status.try_emplace(RequestStatusName(s), 0);
  }
  return out;
}

Result<RequestPage> RequestService::List(RequestQuery query, const std::string& search) {
  if (query.limit < 1) query.limit = 1;
  if (query.limit > 200) query.limit = 200;
  query.now = clock_.Now();
  if (!search.empty()) {
    if (search.rfind("RD-", 0) == 0 || search.rfind("rd-", 0) == 0) {
      query.reference = search;
      for (auto& c : query.reference) c = static_cast<char>(std::toupper(c));
    } else if (auto email = NormalizeEmail(search)) {
      query.identity_hash = crypto_.IdentityHash(*email);
    } else {
      return Fail(Errc::kInvalidArgument, "q: search by a reference (RD-...) or an email address");
    }
  }
  Result<RequestPage> out = RequestPage{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    if (!query.type.empty() && !ParseRequestType(query.type)) {
      auto custom = tx.RequestTypes().Find(query.type);
      if (!custom) return tl::unexpected(custom.error());
      if (!*custom || (*custom)->builtin) {
        return Fail(Errc::kInvalidArgument, "type: not a request type of this desk");
      }
    }
    out = tx.Requests().List(query);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
