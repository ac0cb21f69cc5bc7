// The webhook connector's callback: a company's system reports the outcome of a job it
// accepted with 202. Public (no session, no CSRF): the signature under the data source's
// secret is the authentication (docs/connectors.md).
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {

void AddWebhookRoutes(Router& router, ApiServices& s) {
  router.Add({"POST",
              "/api/v1/webhooks/tasks/{task_id}",
              true,
              {},
              std::size_t{1} << 20,
              true,
              [&s](HttpRequest& req, const core::Principal*) {
                if (!s.integrations) {
                  return ErrorResponse(core::Errc::kUnavailable, "integrations are not running");
                }
                core::CallbackMessage msg{req.Header("rightsdesk-timestamp"),
                                          req.Header("rightsdesk-signature"), req.body};
                auto out = s.integrations->Callback(req.params["task_id"], msg);
                if (!out) return ErrorResponse(out.error());
                return JsonResponse(
                    200, {{"task_id", out->task_id},
                          {"status", core::TaskStatusName(out->status)},
                          {"request_status", core::RequestStatusName(out->request_status)}});
              }});
}

}  // namespace rd::http
