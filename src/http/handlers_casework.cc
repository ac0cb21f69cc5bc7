// Casework on an open request: the one extension, holds, the conversation with the subject,
// and the review details of the single-request view.
#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/json_writer.h"

namespace rd::http {
namespace {

HttpResponse JsonText(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.Header("Content-Type", "application/json");
  return r;
}

void WriteMessage(JsonWriter& w, const core::Message& m) {
  w.BeginObject();
  w.Key("id").String(m.id);
  w.Key("direction").String(m.direction);
  w.Key("sender").String(m.sender);
  w.Key("recipient").StringOrNull(m.recipient);
  w.Key("subject").String(m.subject);
  w.Key("body").String(m.body);
  w.Key("created_at").String(core::FormatRfc3339(m.created_at));
  w.Key("sent_at");
  if (m.sent_at) {
    w.String(core::FormatRfc3339(*m.sent_at));
  } else {
    w.Null();
  }
  w.EndObject();
}

// `reason` of a hold or extension body. The length and characters are checked by the service;
// the parser's cap only keeps absurd bodies out.
core::Result<std::string> ReasonOf(const std::string& text) {
  auto body = ParseJsonObject(text);
  if (!body) return tl::unexpected(body.error());
  auto reason = OptionalString(*body, "reason", kDefaultMaxBody);
  if (!reason) return tl::unexpected(reason.error());
  return reason->value_or("");
}

}  // namespace

void WriteReviewDetails(JsonWriter& w, const core::CaseReview& review) {
  w.Key("duplicates").BeginArray();
  for (const auto& d : review.duplicates) {
    w.BeginObject();
    w.Key("id").String(d.id);
    w.Key("reference").String(d.reference);
    w.Key("type").String(core::TypeKey(d));
    w.Key("status").String(core::RequestStatusName(d.status));
    w.Key("received_at").String(core::FormatRfc3339(d.received_at));
    w.EndObject();
  }
  w.EndArray();
  w.Key("applicable_sources").BeginArray();
  for (const auto& ds : review.applicable_sources) {
    w.BeginObject();
    w.Key("id").String(ds.id);
    w.Key("name").String(ds.name);
    w.Key("process").String(ds.process);
    w.EndObject();
  }
  w.EndArray();
  w.Key("acknowledge_by");
  if (review.acknowledge_by) {
    w.String(core::FormatRfc3339(*review.acknowledge_by));
  } else {
    w.Null();
  }
}

void AddCaseworkRoutes(Router& router, ApiServices& s) {
  router.Add({"POST", "/api/v1/requests/{id}/extend", false, core::RoleSet::AgentsAndAdmins(),
              16 * 1024, true, [&s](HttpRequest& req, const core::Principal* p) {
                auto reason = ReasonOf(req.body);
                if (!reason) return ErrorResponse(reason.error());
                auto q = s.cases.Extend(req.params["id"], *reason, core::AuthService::ActorOf(*p));
                if (!q) return ErrorResponse(q.error());
                return RequestJsonResponse(200, *q, s.clock.Now());
              }});
  router.Add({"POST", "/api/v1/requests/{id}/hold", false, core::RoleSet::AgentsAndAdmins(),
              16 * 1024, true, [&s](HttpRequest& req, const core::Principal* p) {
                auto reason = ReasonOf(req.body);
                if (!reason) return ErrorResponse(reason.error());
                auto q = s.cases.Hold(req.params["id"], *reason, core::AuthService::ActorOf(*p));
                if (!q) return ErrorResponse(q.error());
                return RequestJsonResponse(200, *q, s.clock.Now());
              }});
  router.Add({"POST", "/api/v1/requests/{id}/release", false, core::RoleSet::AgentsAndAdmins(),
              4096, true, [&s](HttpRequest& req, const core::Principal* p) {
                // Nothing to say: an empty body is as good as {}.
                if (!req.body.empty()) {
                  if (auto body = ParseJsonObject(req.body); !body) {
                    return ErrorResponse(body.error());
                  }
                }
                auto q = s.cases.Release(req.params["id"], core::AuthService::ActorOf(*p));
                if (!q) return ErrorResponse(q.error());
                return RequestJsonResponse(200, *q, s.clock.Now());
              }});
  router.Add({"GET", "/api/v1/requests/{id}/messages", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto messages = s.cases.Messages(req.params["id"]);
                if (!messages) return ErrorResponse(messages.error());
                JsonWriter w;
                w.BeginObject().Key("items").BeginArray();
                for (const auto& m : *messages) WriteMessage(w, m);
                w.EndArray().EndObject();
                return JsonText(200, w.Take());
              }});
  router.Add({"POST", "/api/v1/requests/{id}/messages", false, core::RoleSet::AgentsAndAdmins(),
              kDefaultMaxBody, true, [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto text = OptionalString(*body, "body", kDefaultMaxBody);
                if (!text) return ErrorResponse(text.error());
                auto m = s.cases.SendMessage(req.params["id"], text->value_or(""),
                                             core::AuthService::ActorOf(*p));
                if (!m) return ErrorResponse(m.error());
                JsonWriter w;
                WriteMessage(w, *m);
                return JsonText(201, w.Take());
              }});
}

}  // namespace rd::http
