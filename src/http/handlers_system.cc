// Probes, metrics, the OpenAPI document and the audit chain.
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {

const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedOpenApi();

namespace {

nlohmann::json AuditEventJson(const core::AuditEvent& e) {
  nlohmann::json detail = nlohmann::json::parse(e.detail, nullptr, false);
  if (detail.is_discarded()) detail = e.detail;
  return {{"seq", e.seq},
          {"at", core::FormatRfc3339(e.at)},
          {"actor", e.actor},
          {"request_id", e.request_id ? nlohmann::json(*e.request_id) : nlohmann::json(nullptr)},
          {"kind", e.kind},
          {"detail", detail},
          {"hash", e.hash}};
}

}  // namespace

void AddSystemRoutes(Router& router, ApiServices& s) {
  router.Add({"GET", "/healthz", true, {}, 0, false, [](HttpRequest&, const core::Principal*) {
                return JsonResponse(200, {{"status", "ok"}});
              }});
  router.Add({"GET", "/readyz", true, {}, 0, false, [&s](HttpRequest&, const core::Principal*) {
                if (!s.store.Ping()) {
                  return ErrorResponse(core::Errc::kUnavailable, "the database does not answer");
                }
                return JsonResponse(200, {{"status", "ready"}});
              }});
  router.Add({"GET", "/metrics", true, {}, 0, false, [&s](HttpRequest&, const core::Principal*) {
                std::ostringstream extra;
                extra << "# HELP rightsdesk_jobs Jobs in the queue by status.\n"
                         "# TYPE rightsdesk_jobs gauge\n";
                core::Status st = s.store.Read([&](core::Transaction& tx) -> core::Status {
                  auto counts = tx.Jobs().CountByStatus();
                  if (!counts) return tl::unexpected(counts.error());
                  for (const char* status : {"queued", "running", "done", "failed"}) {
                    const auto it = counts->find(status);
                    extra << "rightsdesk_jobs{status=\"" << status << "\"} "
                          << (it == counts->end() ? 0 : it->second) << "\n";
                  }
                  return {};
                });
                extra << "# HELP rightsdesk_database_up Whether the database answered.\n"
                         "# TYPE rightsdesk_database_up gauge\n"
                      << "rightsdesk_database_up " << (st ? 1 : 0) << "\n";
                HttpResponse r;
                r.body = s.metrics.Render(extra.str());
                r.Header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                return r;
              }});
  router.Add(
      {"GET", "/api/v1/openapi.json", true, {}, 0, false, [](HttpRequest&, const core::Principal*) {
         HttpResponse r;
         r.body = std::string(EmbeddedOpenApi().front().second);
         r.Header("Content-Type", "application/json");
         return r;
       }});
  router.Add({"GET", "/api/v1/audit/verify", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest&, const core::Principal*) {
                auto v = s.audit.Verify();
                if (!v) return ErrorResponse(v.error());
                nlohmann::json body = {{"ok", v->ok}, {"events", v->events}};
                body["first_bad_event"] =
                    v->first_bad_event ? nlohmann::json(*v->first_bad_event) : nullptr;
                if (!v->ok) body["problem"] = v->problem;
                return JsonResponse(200, body);
              }});
  router.Add({"GET", "/api/v1/audit/events", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                std::optional<std::string> request_id;
                if (!req.Query("request_id").empty()) request_id = req.Query("request_id");
                long long after = 0;
                long long limit = 1000;
                for (auto [name, target, max] : {std::tuple{"after", &after, 1LL << 62},
                                                 std::tuple{"limit", &limit, 10000LL}}) {
                  const std::string& v = req.Query(name);
                  if (v.empty()) continue;
                  char* end = nullptr;
                  const long long n = std::strtoll(v.c_str(), &end, 10);
                  if (*end != '\0' || n < (std::string(name) == "limit" ? 1 : 0) || n > max) {
                    return ErrorResponse(core::Errc::kInvalidArgument,
                                         std::string(name) + ": a whole number from " +
                                             (std::string(name) == "limit" ? "1" : "0") + " to " +
                                             std::to_string(max));
                  }
                  *target = n;
                }
                nlohmann::json events = nlohmann::json::array();
                std::int64_t last = 0;
                auto st = s.audit.Export(request_id, after, limit, [&](const core::AuditEvent& e) {
                  events.push_back(AuditEventJson(e));
                  last = e.seq;
                });
                if (!st) return ErrorResponse(st.error());
                const bool more = static_cast<long long>(events.size()) == limit;
                return JsonResponse(200, {{"events", events},
                                          {"next_after", more ? nlohmann::json(last) : nullptr}});
              }});
}

}  // namespace rd::http
