// Personal-data scans of data sources: an admin starts one, every role reads the result
// (column names and categories, never sampled values).
#include "core/auth_service.h"
#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

HttpResponse ScansUnavailable() {
  return ErrorResponse(
      core::Error{core::Errc::kUnavailable, "scan: scanning is not configured in this process"});
}

nlohmann::json ScanJson(const core::SourceScan& scan) {
  auto columns = nlohmann::json::parse(scan.columns_json, nullptr, false);
  if (columns.is_discarded()) columns = nlohmann::json::array();
  const double progress =
      scan.status == "done"
          ? 1.0
          : (scan.progress_total > 0 ? static_cast<double>(scan.progress_done) / scan.progress_total
                                     : 0.0);
  return {
      {"data_source_id", scan.data_source_id},
      {"job_id", scan.job_id},
      {"status", scan.status},
      {"progress", progress},
      {"steps", {{"done", scan.progress_done}, {"total", scan.progress_total}}},
      {"columns", columns},
      {"dataset", scan.dataset.empty() ? nlohmann::json(nullptr) : nlohmann::json(scan.dataset)},
      {"error", scan.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(scan.error)},
      {"requested_at", core::FormatRfc3339(scan.created_at)},
      {"updated_at", core::FormatRfc3339(scan.updated_at)}};
}

}  // namespace

void AddScanRoutes(Router& router, ApiServices& s) {
  router.Add({"POST", "/api/v1/data-sources/{id}/scan", false, core::RoleSet::AdminsOnly(), 0, true,
              [&s](HttpRequest& req, const core::Principal* p) {
                if (!s.scans) return ScansUnavailable();
                auto job = s.scans->Request(req.params["id"], core::AuthService::ActorOf(*p));
                if (!job) return ErrorResponse(job.error());
                return JsonResponse(202, {{"job_id", *job}, {"status", "queued"}});
              }});
  router.Add({"GET", "/api/v1/data-sources/{id}/scan", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                if (!s.scans) return ScansUnavailable();
                auto scan = s.scans->Get(req.params["id"]);
                if (!scan) return ErrorResponse(scan.error());
                return JsonResponse(200, ScanJson(*scan));
              }});
}

}  // namespace rd::http
