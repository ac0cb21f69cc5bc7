// Reply & close: the draft from the template, and sending it, which closes the request.
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {

void AddReplyRoutes(Router& router, ApiServices& s) {
  router.Add({"GET", "/api/v1/requests/{id}/reply", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto d = s.replies.Draft(req.params["id"]);
                if (!d) return ErrorResponse(d.error());
                return JsonResponse(200, {{"template_key", d->template_key},
                                          {"outcome", core::OutcomeName(d->outcome)},
                                          {"to", d->to},
                                          {"subject", d->subject},
                                          {"body", d->body}});
              }});
  // The body may hold 50000 bytes of text, which JSON escaping can make longer.
  router.Add({"POST", "/api/v1/requests/{id}/reply", false, core::RoleSet::AgentsAndAdmins(),
              256 * 1024, true, [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto subject = RequiredString(*body, "subject", core::kMaxReplySubjectBytes);
                if (!subject) return ErrorResponse(subject.error());
                auto text = RequiredString(*body, "body", core::kMaxReplyBodyBytes);
                if (!text) return ErrorResponse(text.error());
                auto outcome = OptionalString(*body, "outcome", 32);
                if (!outcome) return ErrorResponse(outcome.error());
                auto sent = s.replies.Send(req.params["id"], *subject, *text, *outcome,
                                           core::AuthService::ActorOf(*p));
                if (!sent) return ErrorResponse(sent.error());
                return JsonResponse(200, {{"id", sent->request.id},
                                          {"status", core::RequestStatusName(sent->request.status)},
                                          {"outcome", core::OutcomeName(*sent->request.outcome)},
                                          {"message_id", sent->message_id}});
              }});
}

}  // namespace rd::http
