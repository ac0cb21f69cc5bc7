// Privacy requests: create (agents), read and list.
#include <cmath>
#include <map>
#include <optional>

#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/json_writer.h"
#include "http/task_json.h"

namespace rd::http {
namespace {

// One request as the API shows it. Written with JsonWriter: the inbox lists 50 at a time
// and this is its hot path. `type_names` (from TypeNames) adds "type_name" when given; `more`
// writes extra keys before the object closes (the single-request view's details).
void WriteRequest(JsonWriter& w, const core::PrivacyRequest& q, core::UnixTime now,
                  const std::map<std::string, std::string>* type_names = nullptr,
                  const std::function<void(JsonWriter&)>& more = {}) {
  w.BeginObject();
  w.Key("id").String(q.id);
  w.Key("reference").String(q.reference);
  w.Key("type").String(core::TypeKey(q));
  if (type_names) {
    const auto it = type_names->find(core::TypeKey(q));
    w.Key("type_name").String(it == type_names->end() ? core::TypeKey(q) : it->second);
  }
  w.Key("status").String(core::RequestStatusName(q.status));
  w.Key("outcome");
  if (q.outcome) {
    w.String(core::OutcomeName(*q.outcome));
  } else {
    w.Null();
  }
  w.Key("channel").String(core::ChannelName(q.channel));
  w.Key("jurisdiction").String(q.jurisdiction);
  w.Key("subject").BeginObject();
  w.Key("email").String(q.subject.email);
  w.Key("name").StringOrNull(q.subject.name);
  w.Key("phone").StringOrNull(q.subject.phone);
  w.EndObject();
  w.Key("details").String(q.details);
  w.Key("received_at").String(core::FormatRfc3339(q.received_at));
  w.Key("due_at").String(core::FormatRfc3339(q.due_at));
  w.Key("assignee").StringOrNull(q.assignee);
  w.Key("updated_at").String(core::FormatRfc3339(q.updated_at));
  w.Key("requester_type").String(core::RequesterTypeName(q.requester_type));
  w.Key("corrections").StringOrNull(q.corrections);
  w.Key("verification").BeginObject();
  w.Key("verified_at");
  if (q.verified_at) {
    w.String(core::FormatRfc3339(*q.verified_at));
  } else {
    w.Null();
  }
  w.Key("method").StringOrNull(q.verification_method);
  w.EndObject();
  w.Key("rejection").BeginObject();
  w.Key("reason").StringOrNull(q.rejection_reason);
  w.Key("note").StringOrNull(q.rejection_note);
  w.EndObject();
  // Whole days left (negative when overdue), as inbox badges show them.
  const core::UnixTime left = q.due_at - now;
  w.Key("days_left").Int(left >= 0 ? left / 86400 : -((-left + 86399) / 86400));
  w.Key("hold");
  if (!q.hold_reason.empty()) {
    w.BeginObject();
    w.Key("reason").String(q.hold_reason);
    w.Key("since").String(core::FormatRfc3339(q.held_at.value_or(q.updated_at)));
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("extension");
  if (q.extended_at) {
    w.BeginObject();
    w.Key("extended_at").String(core::FormatRfc3339(*q.extended_at));
    w.Key("reason").String(q.extension_reason);
    w.EndObject();
  } else {
    w.Null();
  }
  if (more) more(w);
  w.EndObject();
}

HttpResponse JsonText(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.Header("Content-Type", "application/json");
  return r;
}

HttpResponse RequestResponse(int status, const core::PrivacyRequest& q, core::UnixTime now) {
  JsonWriter w;
  WriteRequest(w, q, now);
  return JsonText(status, w.Take());
}

// The configured type names ("Delete my data", a custom right's name), read once per response.
// Best effort: without them the response simply lacks "type_name".
std::optional<std::map<std::string, std::string>> TypeNames(ApiServices& s) {
  auto names = s.request_types.Names();
  if (!names) return std::nullopt;
  return std::move(*names);
}

// A request with its "type_name", as the console's request page and the inbox show it.
HttpResponse NamedRequestResponse(ApiServices& s, int status, const core::PrivacyRequest& q,
                                  core::UnixTime now) {
  const auto names = TypeNames(s);
  JsonWriter w;
  WriteRequest(w, q, now, names ? &*names : nullptr);
  return JsonText(status, w.Take());
}

core::Result<core::RequestQuery> ParseListQuery(const HttpRequest& req) {
  core::RequestQuery q;
  if (const auto& v = req.Query("status"); !v.empty()) {
    q.status = core::ParseRequestStatus(v);
    if (!q.status) {
      return core::Fail(core::Errc::kInvalidArgument,
                        "status: must be one of unverified, review, process, reply, closed");
    }
  }
  q.type = req.Query("type");
  if (q.type.size() > 64) return core::Fail(core::Errc::kInvalidArgument, "type: unknown type");
  q.jurisdiction = req.Query("jurisdiction");
  q.assignee = req.Query("assignee");
  if (const auto& v = req.Query("channel"); !v.empty()) {
    q.channel = core::ParseChannel(v);
    if (!q.channel) {
      return core::Fail(
          core::Errc::kInvalidArgument,
          "channel: must be one of privacy_center, manual, api, authorized_agent, gpc");
    }
  }
  if (const auto& v = req.Query("overdue"); !v.empty()) {
    if (v != "true" && v != "false") {
      return core::Fail(core::Errc::kInvalidArgument, "overdue: must be true or false");
    }
    q.overdue_only = v == "true";
  }
  if (const auto& v = req.Query("limit"); !v.empty()) {
    char* end = nullptr;
    const long n = std::strtol(v.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 200) {
      return core::Fail(core::Errc::kInvalidArgument, "limit: a whole number from 1 to 200");
    }
    q.limit = static_cast<int>(n);
  }
  q.cursor = req.Query("cursor");
  return q;
}

}  // namespace

void WriteRequestJson(JsonWriter& w, const core::PrivacyRequest& q, core::UnixTime now,
                      const std::function<void(JsonWriter&)>& more) {
  WriteRequest(w, q, now, nullptr, more);
}

HttpResponse RequestJsonResponse(int status, const core::PrivacyRequest& q, core::UnixTime now) {
  return RequestResponse(status, q, now);
}

void AddRequestRoutes(Router& router, ApiServices& s) {
  router.Add({"POST", "/api/v1/requests/{id}/reject", false, core::RoleSet::AgentsAndAdmins(),
              16 * 1024, true, [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto reason = RequiredString(*body, "reason", 64);
                if (!reason) return ErrorResponse(reason.error());
                auto note = OptionalString(*body, "note", core::kMaxNoteBytes);
                if (!note) return ErrorResponse(note.error());
                auto q = s.requests.Reject(req.params["id"], *reason, note->value_or(""),
                                           core::AuthService::ActorOf(*p));
                if (!q) return ErrorResponse(q.error());
                return RequestResponse(200, *q, s.clock.Now());
              }});
  router.Add({"POST", "/api/v1/requests/{id}/assign", false, core::RoleSet::AgentsAndAdmins(), 4096,
              true, [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto assignee = OptionalString(*body, "assignee", 64);
                if (!assignee) return ErrorResponse(assignee.error());
                auto q = s.requests.Assign(req.params["id"], assignee->value_or(""),
                                           core::AuthService::ActorOf(*p));
                if (!q) return ErrorResponse(q.error());
                return RequestResponse(200, *q, s.clock.Now());
              }});
  router.Add({"GET", "/api/v1/requests/{id}/history", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto events = s.requests.History(req.params["id"]);
                if (!events) return ErrorResponse(events.error());
                JsonWriter w;
                w.BeginObject().Key("events").BeginArray();
                for (const auto& e : *events) {
                  w.BeginObject();
                  w.Key("seq").Int(e.seq);
                  w.Key("at").String(core::FormatRfc3339(e.at));
                  w.Key("actor").String(e.actor);
                  w.Key("kind").String(e.kind);
                  w.Key("detail");
                  // Written by us as JSON; a row edited behind our back is shown as text.
                  if (nlohmann::json::accept(e.detail)) {
                    w.Raw(e.detail);
                  } else {
                    w.String(e.detail);
                  }
                  w.EndObject();
                }
                w.EndArray().EndObject();
                return JsonText(200, w.Take());
              }});
  router.Add({"GET", "/api/v1/dashboard", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest&, const core::Principal*) {
                auto counts = s.requests.Counts();
                if (!counts) return ErrorResponse(counts.error());
                nlohmann::json by_status = nlohmann::json::object();
                for (const auto& [status, n] : counts->by_status) by_status[status] = n;
                nlohmann::json median = nlohmann::json::object();
                for (const auto& [type, days] : counts->median_days_to_close) {
                  median[type] = std::round(days * 10.0) / 10.0;  // one decimal
                }
                return JsonResponse(200, {{"by_status", by_status},
                                          {"median_days_to_close", median},
                                          {"open", counts->open},
                                          {"overdue", counts->overdue},
                                          {"due_this_week", counts->due_this_week}});
              }});
  router.Add({"GET", "/api/v1/requests", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto query = ParseListQuery(req);
                if (!query) return ErrorResponse(query.error());
                auto page = s.requests.List(*query, req.Query("q"));
                if (!page) return ErrorResponse(page.error());
                const core::UnixTime now = s.clock.Now();
                const auto names = TypeNames(s);
                JsonWriter w;
                w.BeginObject().Key("items").BeginArray();
                for (const auto& q : page->items)
                  WriteRequest(w, q, now, names ? &*names : nullptr);
                w.EndArray().Key("next_cursor").StringOrNull(page->next_cursor).EndObject();
                return JsonText(200, w.Take());
              }});
  router.Add(
      {"POST", "/api/v1/requests", false, core::RoleSet::AgentsAndAdmins(), kDefaultMaxBody, true,
       [&s](HttpRequest& req, const core::Principal* p) {
         auto body = ParseJsonObject(req.body);
         if (!body) return ErrorResponse(body.error());
         core::NewRequest in;
         // Entered by an agent in the console (mail, phone) or sent by automation.
         in.channel = p->via_cookie ? core::Channel::kManual : core::Channel::kApi;
         auto type = RequiredString(*body, "type", 64);
         if (!type) return ErrorResponse(type.error());
         in.type = *type;
         const auto subject = body->find("subject");
         if (subject == body->end() || !subject->is_object()) {
           return ErrorResponse(core::Errc::kInvalidArgument,
                                "subject: required, an object with at least email");
         }
         auto email = RequiredString(*subject, "email", 320);
         if (!email) {
           return ErrorResponse(core::Errc::kInvalidArgument, "subject." + email.error().message);
         }
         in.subject.email = *email;
         for (auto [field, target, max] :
              {std::tuple{"name", &in.subject.name, core::kMaxNameBytes},
               std::tuple{"phone", &in.subject.phone, core::kMaxPhoneBytes}}) {
           auto v = OptionalString(*subject, field, max);
           if (!v) {
             return ErrorResponse(core::Errc::kInvalidArgument, "subject." + v.error().message);
           }
           *target = v->value_or("");
         }
         auto jurisdiction = OptionalString(*body, "jurisdiction", 32);
         if (!jurisdiction) return ErrorResponse(jurisdiction.error());
         in.jurisdiction = jurisdiction->value_or("");
         auto details = OptionalString(*body, "details", core::kMaxDetailsBytes);
         if (!details) return ErrorResponse(details.error());
         in.details = details->value_or("");
         auto skip = OptionalBool(*body, "skip_verification");
         if (!skip) return ErrorResponse(skip.error());
         // Requests an agent enters have been received by mail or phone; they skip
         // email verification unless the agent asks for it explicitly. Then the subject is
         // emailed the code and link, as from the Privacy Center.
         in.skip_verification = skip->value_or(true);
         const std::string actor = core::AuthService::ActorOf(*p);
         auto created = in.skip_verification ? s.requests.Create(in, actor)
                                             : s.intake.CreateUnverified(in, actor);
         if (!created) return ErrorResponse(created.error());
         return NamedRequestResponse(s, 201, *created, created->received_at);
       }});
  router.Add({"GET", "/api/v1/requests/{id}", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto q = s.requests.Get(req.params["id"]);
                if (!q) return ErrorResponse(q.error());
                auto review = s.cases.Review(*q);
                if (!review) return ErrorResponse(review.error());
                auto tasks = s.workflow.Tasks(q->id);
                if (!tasks) return ErrorResponse(tasks.error());
                std::vector<core::PrescanEntry> prescan;
                if (s.integrations != nullptr) {
                  auto found = s.integrations->PrescanOf(q->id);
                  if (!found) return ErrorResponse(found.error());
                  prescan = std::move(*found);
                }
                std::optional<core::ProofInfo> proof;
                if (s.proofs != nullptr &&
                    q->requester_type == core::RequesterType::kAuthorizedAgent) {
                  auto found = s.proofs->Info(q->id);
                  if (!found) return ErrorResponse(found.error());
                  proof = std::move(*found);
                }
                const auto names = TypeNames(s);
                JsonWriter w;
                WriteRequest(w, *q, s.clock.Now(), names ? &*names : nullptr, [&](JsonWriter& out) {
                  WriteReviewDetails(out, *review);
                  WriteProcessDetail(out, *tasks, prescan);
                  // An authorized agent's proof of authority (metadata only), or null.
                  out.Key("proof");
                  if (proof) {
                    out.Raw(ProofJson(*proof).dump());
                  } else {
                    out.Null();
                  }
                });
                return JsonText(200, w.Take());
              }});
}

}  // namespace rd::http
