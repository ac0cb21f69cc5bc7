// The public Privacy Center routes: submit, verify, and the subject's status page with its
// messages and withdrawal.
#include "core/clock.h"
#include "core/deadline.h"
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

nlohmann::json PublicRequestJson(const core::PrivacyRequest& q) {
  return {{"id", q.id},
          {"reference", q.reference},
          {"type", core::TypeKey(q)},
          {"status", core::RequestStatusName(q.status)},
          {"outcome", q.outcome ? nlohmann::json(core::OutcomeName(*q.outcome)) : nullptr},
          {"received_at", core::FormatRfc3339(q.received_at)},
          {"due_at", core::FormatRfc3339(q.due_at)},
          {"verified", q.verified_at.has_value()}};
}

nlohmann::json SubjectMessageJson(const core::SubjectMessage& m) {
  return {{"direction", m.direction},
          {"subject", m.subject},
          {"body", m.body},
          {"at", core::FormatRfc3339(m.at)}};
}

// `corrections` may be free text or an object of field → corrected value; stored as JSON text.
core::Result<std::string> CorrectionsText(const nlohmann::json& body) {
  const auto it = body.find("corrections");
  if (it == body.end() || it->is_null()) return std::string();
  if (it->is_string()) return nlohmann::json(it->get<std::string>()).dump();
  if (it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) {
        return core::Fail(core::Errc::kInvalidArgument,
                          "corrections." + k + ": must be a string (the corrected value)");
      }
    }
    return it->dump();
  }
  return core::Fail(core::Errc::kInvalidArgument,
                    "corrections: a text, or an object of field: corrected value");
}

// A submission as the Privacy Center's form sends it, every field checked.
core::Result<core::Submission> ReadSubmission(const HttpRequest& req) {
  auto body = ParseJsonObject(req.body);
  if (!body) return tl::unexpected(body.error());
  core::Submission in;
  in.client_address = req.remote_address;
  in.gpc = req.Header("sec-gpc") == "1";
  auto type = RequiredString(*body, "type", 64);
  if (!type) return tl::unexpected(type.error());
  in.type = *type;
  auto email = RequiredString(*body, "email", 320);
  if (!email) return tl::unexpected(email.error());
  in.subject.email = *email;
  for (auto [field, target, max] :
       {std::tuple{"name", &in.subject.name, core::kMaxNameBytes},
        std::tuple{"phone", &in.subject.phone, core::kMaxPhoneBytes},
        std::tuple{"jurisdiction", &in.jurisdiction, std::size_t{32}},
        std::tuple{"details", &in.details, core::kMaxDetailsBytes},
        std::tuple{"requester_type", &in.requester_type, std::size_t{32}}}) {
    auto v = OptionalString(*body, field, max);
    if (!v) return tl::unexpected(v.error());
    *target = v->value_or("");
  }
  auto corrections = CorrectionsText(*body);
  if (!corrections) return tl::unexpected(corrections.error());
  in.corrections = *corrections;
  return in;
}

HttpResponse ReceiptResponse(const core::Result<core::SubmissionReceipt>& receipt) {
  if (!receipt) return ErrorResponse(receipt.error());
  nlohmann::json out = {{"id", receipt->request.id},
                        {"reference", receipt->request.reference},
                        {"status", core::RequestStatusName(receipt->request.status)},
                        {"status_token", receipt->status_token}};
  if (receipt->gpc_request) {
    out["gpc_request"] = {{"id", receipt->gpc_request->id},
                          {"reference", receipt->gpc_request->reference}};
  }
  return JsonResponse(202, out);
}

}  // namespace

void AddPrivacyCenterRoutes(Router& router, ApiServices& s) {
  // Answered after the commit that stores the submission, without holding a server thread
  // while it waits for it.
  router.Add({"POST",
              "/api/v1/privacy-center/requests",
              true,
              {},
              kDefaultMaxBody,
              true,
              nullptr,
              [&s](HttpRequest& req, const core::Principal*, Responder respond) {
                auto in = ReadSubmission(req);
                if (!in) {
                  respond(ErrorResponse(in.error()));
                  return;
                }
                s.intake.SubmitAsync(*in, [respond = std::move(respond)](
                                              core::Result<core::SubmissionReceipt> receipt) {
                  respond(ReceiptResponse(receipt));
                });
              }});
  router.Add(
      {"POST",
       "/api/v1/privacy-center/requests/{id}/verify",
       true,
       {},
       4096,
       true,
       [&s](HttpRequest& req, const core::Principal*) {
         auto body = ParseJsonObject(req.body);
         if (!body) return ErrorResponse(body.error());
         auto code = OptionalString(*body, "code", 16);
         if (!code) return ErrorResponse(code.error());
         auto token = OptionalString(*body, "token", 128);
         if (!token) return ErrorResponse(token.error());
         core::Result<core::PrivacyRequest> q =
             *code    ? s.intake.VerifyCode(req.params["id"], **code)
             : *token ? s.intake.VerifyLink(req.params["id"], **token)
                      : core::Fail(core::Errc::kInvalidArgument,
                                   "code: required (the 6 digits from the email)");
         if (!q) return ErrorResponse(q.error());
         return JsonResponse(200, {{"id", q->id}, {"status", core::RequestStatusName(q->status)}});
       }});
  router.Add({"GET",
              "/api/v1/privacy-center/requests/{id}",
              true,
              {},
              0,
              false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto view = s.subjects.StatusPage(req.params["id"], req.Query("token"));
                if (!view) return ErrorResponse(view.error());
                nlohmann::json out = PublicRequestJson(view->request);
                out["can_withdraw"] = view->can_withdraw;
                out["requester_type"] = core::RequesterTypeName(view->request.requester_type);
                out["proof"] = nullptr;
                if (s.proofs != nullptr &&
                    view->request.requester_type == core::RequesterType::kAuthorizedAgent) {
                  auto proof = s.proofs->Info(view->request.id);
                  if (!proof) return ErrorResponse(proof.error());
                  if (*proof) {
                    out["proof"] = {{"file_name", (*proof)->file_name},
                                    {"size", (*proof)->size},
                                    {"uploaded_at", core::FormatRfc3339((*proof)->uploaded_at)}};
                  }
                }
                out["messages"] = nlohmann::json::array();
                for (const auto& m : view->messages)
                  out["messages"].push_back(SubjectMessageJson(m));
                HttpResponse r = JsonResponse(200, out);
                r.Header("Cache-Control", "no-store");
                return r;
              }});
  router.Add({"POST",
              "/api/v1/privacy-center/requests/{id}/messages",
              true,
              {},
              kDefaultMaxBody,
              true,
              [&s](HttpRequest& req, const core::Principal*) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto token = OptionalString(*body, "token", 128);
                if (!token) return ErrorResponse(token.error());
                auto text = OptionalString(*body, "body", kDefaultMaxBody);
                if (!text) return ErrorResponse(text.error());
                auto m = s.subjects.PostMessage(req.params["id"], token->value_or(""),
                                                text->value_or(""));
                if (!m) return ErrorResponse(m.error());
                return JsonResponse(201, SubjectMessageJson(*m));
              }});
  router.Add({"POST",
              "/api/v1/privacy-center/requests/{id}/withdraw",
              true,
              {},
              4096,
              true,
              [&s](HttpRequest& req, const core::Principal*) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto token = OptionalString(*body, "token", 128);
                if (!token) return ErrorResponse(token.error());
                auto q = s.subjects.Withdraw(req.params["id"], token->value_or(""));
                if (!q) return ErrorResponse(q.error());
                nlohmann::json out = PublicRequestJson(*q);
                out["can_withdraw"] = false;
                return JsonResponse(200, out);
              }});
}

void AddPrivacyCenterSettingsRoute(Router& router, const ApiOptions& options) {
  router.Add({"GET",
              "/api/v1/privacy-center/settings",
              true,
              {},
              0,
              false,
              [&options](HttpRequest&, const core::Principal*) {
                nlohmann::json jurisdictions = nlohmann::json::array();
                for (const auto& rule : core::DeadlineRules()) {
                  jurisdictions.push_back({{"key", rule.jurisdiction}, {"name", rule.label}});
                }
                HttpResponse r = JsonResponse(200, {{"org_name", options.org_name},
                                                    {"primary_color", options.primary_color},
                                                    {"jurisdictions", jurisdictions}});
                r.Header("Cache-Control", "public, max-age=60");
                return r;
              }});
}

}  // namespace rd::http
