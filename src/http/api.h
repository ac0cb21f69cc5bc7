#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/audit_trail.h"
#include "core/auth_service.h"
#include "core/case_service.h"
#include "core/catalog.h"
#include "core/data_category.h"
#include "core/data_source_service.h"
#include "core/discovery_service.h"
#include "core/intake_service.h"
#include "core/integration_service.h"
#include "core/package_service.h"
#include "core/proof_service.h"
#include "core/reply_service.h"
#include "core/request_service.h"
#include "core/request_type_service.h"
#include "core/store.h"
#include "core/subject_service.h"
#include "core/template_service.h"
#include "core/workflow_service.h"
#include "http/json_writer.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "log/json_log.h"
#include "scan/source_scan_service.h"

namespace rd::http {

struct ApiOptions {
  bool secure_cookies = false;  // add "Secure" to cookies (set when served over TLS)
  int session_ttl_seconds = 12 * 3600;
  std::string web_dir;  // built web assets; empty: none
  // What the Privacy Center shows (GET /api/v1/privacy-center/settings).
  std::string org_name = "Rightsdesk";
  std::string primary_color = "#1f4e79";
};

// The services the handlers call. Not owned; all outlive the Api.
struct ApiServices {
  core::AuthService& auth;
  core::RequestService& requests;
  core::IntakeService& intake;
  core::AuditTrail& audit;
  core::TemplateService& templates;
  core::ReplyService& replies;
  core::Store& store;
  const core::Clock& clock;
  log::Logger& logger;
  Metrics& metrics;
  core::RequestTypeService& request_types;
  core::CaseService& cases;        // extension, holds, messages, review details
  core::SubjectService& subjects;  // the subject's status page, messages and withdrawal
  core::DataSourceService& data_sources;
  core::WorkflowService& workflow;
  core::DiscoveryService& discovery;                  // system discovery findings
  const core::Catalog& catalog;                       // loaded once at startup
  const core::DataCategoryTaxonomy& data_categories;  // the fideslang taxonomy
  // Pre-scan results for the request view; none when null.
  core::IntegrationService* integrations = nullptr;
  // Personal-data scans of data sources; null: the scan routes answer 503.
  scan::SourceScanService* scans = nullptr;
  // Authorized agents' proofs of authority; null: the proof routes answer 503.
  core::ProofService* proofs = nullptr;
  // Copy packages: download, preview and redaction; null: those routes answer 503.
  core::PackageService* packages = nullptr;
};

// The whole HTTP surface: routes, authentication and role checks, CSRF, body limits, JSON
// errors for every failure, metrics, access logs and static assets. Thread-safe.
class Api {
 public:
  Api(ApiServices services, ApiOptions options);
  // Answers through `respond`: at once for most routes; later, from the thread that completed
  // the work, for routes with an asynchronous handler (Privacy Center submissions on SQLite).
  void HandleAsync(HttpRequest& req, Responder respond);
  // The same, waiting for the answer.
  HttpResponse Handle(HttpRequest& req);
  const Router& router() const { return router_; }

 private:
  // The response, or nothing when an asynchronous handler took the request and will answer
  // through `respond` (with the route set).
  std::optional<HttpResponse> Dispatch(HttpRequest& req, Responder& respond);
  // Security headers, HEAD, metrics and the access log: what every answer goes through.
  void Finish(const std::string& method, const std::string& path,
              std::chrono::steady_clock::time_point start, HttpResponse& resp);
  HttpResponse Authorize(HttpRequest& req, const Route& route, core::Principal* principal);

  ApiServices services_;
  ApiOptions options_;
  Router router_;
  StaticFiles static_files_;
};

// Route registration, one function per handler file.
void AddSystemRoutes(Router& router, ApiServices& services);
void AddAuthRoutes(Router& router, ApiServices& services, const ApiOptions& options);
void AddRequestRoutes(Router& router, ApiServices& services);
void AddPrivacyCenterRoutes(Router& router, ApiServices& services);
// GET /api/v1/privacy-center/settings: the organisation's name, colour and jurisdictions.
void AddPrivacyCenterSettingsRoute(Router& router, const ApiOptions& options);
void AddRequestTypeRoutes(Router& router, ApiServices& services);
void AddCaseworkRoutes(Router& router, ApiServices& services);

// A privacy request as the console API shows it (handlers_requests.cc). `more` writes extra
// keys into the object before it closes (the single-request view adds review details).
void WriteRequestJson(JsonWriter& w, const core::PrivacyRequest& q, core::UnixTime now,
                      const std::function<void(JsonWriter&)>& more = {});
HttpResponse RequestJsonResponse(int status, const core::PrivacyRequest& q, core::UnixTime now);
// Review's extra keys of the single-request view: duplicates, applicable_sources and
// acknowledge_by (handlers_casework.cc).
void WriteReviewDetails(JsonWriter& w, const core::CaseReview& review);
void AddDataSourceRoutes(Router& router, ApiServices& services);
// The catalog of known systems and the data category taxonomy (handlers_catalog.cc).
void AddCatalogRoutes(Router& router, ApiServices& services);
void AddTaskRoutes(Router& router, ApiServices& services);
// POST/GET /api/v1/data-sources/{id}/scan (handlers_scans.cc).
void AddScanRoutes(Router& router, ApiServices& services);
// The vendor's confirmation page (HTML, outside /api): GET /vendor/tasks/{task_id} and the
// form's POST /vendor/tasks/{task_id}/confirm.
void AddVendorPageRoutes(Router& router, ApiServices& services);
void AddTemplateRoutes(Router& router, ApiServices& services);
// POST /api/v1/webhooks/tasks/{task_id}: a webhook source's signed callback
// (handlers_webhooks.cc).
void AddWebhookRoutes(Router& router, ApiServices& services);
void AddReplyRoutes(Router& router, ApiServices& services);
void AddDiscoveryRoutes(Router& router, ApiServices& services);
// The proof of authority: POST /api/v1/privacy-center/requests/{id}/proof (public, with the
// status token) and GET /api/v1/requests/{id}/proof (agents, admins) (handlers_proofs.cc).
void AddProofRoutes(Router& router, ApiServices& services);
// A proof's metadata as the request view shows it.
nlohmann::json ProofJson(const core::ProofInfo& p);
// Copy packages (handlers_packages.cc): the public download by token, an agent's preview and
// redaction.
void AddPackageRoutes(Router& router, ApiServices& services);
// A data source as the API shows it (handlers_data_sources.cc); discovery's accept answers it.
nlohmann::json DataSourceJson(const core::DataSource& ds);

// The session cookie's name.
inline constexpr const char* kSessionCookie = "rd_session";

}  // namespace rd::http
