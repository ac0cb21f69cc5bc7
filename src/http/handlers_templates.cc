// Email templates: list, read, edit and reset (admins), and preview with a request's data.
#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

nlohmann::json SummaryJson(const core::TemplateSummary& s) {
  return {{"key", s.info.key},
          {"description", s.info.description},
          {"variables", s.info.variables},
          {"customized", s.customized},
          {"updated_at", s.updated_at ? nlohmann::json(core::FormatRfc3339(*s.updated_at))
                                      : nlohmann::json(nullptr)},
          {"updated_by",
           s.updated_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.updated_by)}};
}

HttpResponse DetailResponse(const core::TemplateDetail& d) {
  nlohmann::json out = SummaryJson(d.summary);
  out["subject"] = d.current.subject;
  out["body"] = d.current.body;
  out["default"] = {{"subject", d.default_text.subject}, {"body", d.default_text.body}};
  return JsonResponse(200, out);
}

}  // namespace

void AddTemplateRoutes(Router& router, ApiServices& s) {
  router.Add({"GET", "/api/v1/templates", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest&, const core::Principal*) {
                auto list = s.templates.List();
                if (!list) return ErrorResponse(list.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& t : *list) items.push_back(SummaryJson(t));
                return JsonResponse(200, {{"items", items}});
              }});
  router.Add({"GET", "/api/v1/templates/{key}", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto d = s.templates.Get(req.params["key"]);
                if (!d) return ErrorResponse(d.error());
                return DetailResponse(*d);
              }});
  router.Add({"PUT", "/api/v1/templates/{key}", false, core::RoleSet::AdminsOnly(), kDefaultMaxBody,
              true, [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto subject = OptionalString(*body, "subject", core::kMaxTemplateSubjectBytes);
                if (!subject) return ErrorResponse(subject.error());
                auto text = OptionalString(*body, "body", core::kMaxTemplateBodyBytes);
                if (!text) return ErrorResponse(text.error());
                auto d = s.templates.Put(req.params["key"], subject->value_or(""),
                                         text->value_or(""), core::AuthService::ActorOf(*p));
                if (!d) return ErrorResponse(d.error());
                return DetailResponse(*d);
              }});
  router.Add({"DELETE", "/api/v1/templates/{key}", false, core::RoleSet::AdminsOnly(), 0, false,
              [&s](HttpRequest& req, const core::Principal* p) {
                auto d = s.templates.Reset(req.params["key"], core::AuthService::ActorOf(*p));
                if (!d) return ErrorResponse(d.error());
                return DetailResponse(*d);
              }});
  router.Add({"POST", "/api/v1/templates/{key}/preview", false, core::RoleSet::AgentsAndAdmins(),
              kDefaultMaxBody, true, [&s](HttpRequest& req, const core::Principal*) {
                // An empty body previews the text in force with a sample request.
                nlohmann::json body = nlohmann::json::object();
                if (!req.body.empty()) {
                  auto parsed = ParseJsonObject(req.body);
                  if (!parsed) return ErrorResponse(parsed.error());
                  body = std::move(*parsed);
                }
                auto subject = OptionalString(body, "subject", core::kMaxTemplateSubjectBytes);
                if (!subject) return ErrorResponse(subject.error());
                auto text = OptionalString(body, "body", core::kMaxTemplateBodyBytes);
                if (!text) return ErrorResponse(text.error());
                auto request_id = OptionalString(body, "request_id", 64);
                if (!request_id) return ErrorResponse(request_id.error());
                auto out = s.templates.Preview(req.params["key"], *subject, *text, *request_id);
                if (!out) return ErrorResponse(out.error());
                return JsonResponse(200, {{"subject", out->subject}, {"body", out->body}});
              }});
}

}  // namespace rd::http
