#pragma once

#include <memory>
#include <string>

#include "app/catalog_files.h"
#include "app/config.h"
#include "core/audit_trail.h"
#include "core/auth_service.h"
#include "core/case_service.h"
#include "core/catalog.h"
#include "core/clock.h"
#include "core/connector.h"
#include "core/data_source_service.h"
#include "core/discovery_service.h"
#include "core/intake_service.h"
#include "core/integration_service.h"
#include "core/mailer.h"
#include "core/package_service.h"
#include "core/proof_service.h"
#include "core/reply_service.h"
#include "core/request_service.h"
#include "core/request_type_service.h"
#include "core/result.h"
#include "core/subject_service.h"
#include "core/template_renderer.h"
#include "core/template_service.h"
#include "core/workflow_service.h"
#include "log/json_log.h"
#include "scan/source_scan_service.h"
#include "scan/value_detectors.h"

namespace rd::crypto {
class SodiumCrypto;
}
namespace rd::store {
class Database;
class SqlStore;
}  // namespace rd::store
namespace rd::engine {
class WorkerPool;
class JobHandler;
}  // namespace rd::engine

namespace rd::app {

// The composition root: the only place that knows every concrete type. Open() connects to the
// database, applies migrations, loads (or creates) the master key and wires the services;
// every CLI command starts here, so each works on a fresh data directory.
class Application {
 public:
  [[nodiscard]] static core::Result<std::unique_ptr<Application>> Open(const Config& config,
                                                                       log::Logger& logger);
  ~Application();

  // Serves HTTP until SIGTERM or SIGINT, then stops accepting, finishes the requests in
  // flight and returns. On an empty user table, first creates an admin and prints its
  // one-time password to stdout.
  [[nodiscard]] core::Status Serve();

  // Runs background jobs (worker.threads threads) until SIGTERM or SIGINT, letting the jobs
  // in progress finish. For deployments with several processes on one PostgreSQL.
  [[nodiscard]] core::Status Work();

  const Config& config() const { return config_; }
  core::AuthService& auth() { return *auth_; }
  core::RequestService& requests() { return *requests_; }
  core::AuditTrail& audit() { return *audit_; }
  core::IntakeService& intake() { return *intake_; }
  core::DataSourceService& data_sources() { return *data_sources_; }
  core::WorkflowService& workflow() { return *workflow_; }
  core::DiscoveryService& discovery() { return *discovery_; }
  core::TemplateService& templates() { return *templates_; }
  core::ReplyService& replies() { return *replies_; }
  core::Store& store();
  const core::Clock& clock() const { return clock_; }
  // The bundled catalog extended by catalog.local, and the data category taxonomy; loaded once.
  const core::Catalog& catalog() const { return catalog_.catalog; }
  const core::DataCategoryTaxonomy& data_categories() const { return catalog_.taxonomy; }

 private:
  Application(Config config, log::Logger& logger);
  [[nodiscard]] core::Status BootstrapAdmin(bool has_console);
  // Starts the background workers (none when worker.threads is 0).
  void StartWorkers();
  // Blocks until SIGTERM or SIGINT (blocked in every thread by the caller before it started
  // any); returns the signal's name.
  static const char* WaitForStopSignal();

  Config config_;
  log::Logger& logger_;
  core::SystemClock clock_;
  LoadedCatalog catalog_;
  std::unique_ptr<crypto::SodiumCrypto> crypto_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::SqlStore> store_;
  std::unique_ptr<core::AuthService> auth_;
  std::unique_ptr<core::TemplateRenderer> renderer_;
  std::unique_ptr<core::TemplateService> templates_;
  std::unique_ptr<core::RequestService> requests_;
  std::unique_ptr<core::AuditTrail> audit_;
  std::unique_ptr<core::Mailer> mailer_;
  std::unique_ptr<core::IntakeService> intake_;
  std::unique_ptr<core::RequestTypeService> request_types_;
  std::unique_ptr<core::CaseService> cases_;
  std::unique_ptr<core::SubjectService> subjects_;
  std::unique_ptr<core::ProofService> proofs_;
  std::unique_ptr<core::ConnectorRegistry> connectors_;
  std::unique_ptr<core::DataSourceService> data_sources_;
  std::unique_ptr<core::IntegrationService> integrations_;
  std::unique_ptr<core::WorkflowService> workflow_;
  std::unique_ptr<core::SystemReader> discovery_reader_;
  std::unique_ptr<core::DiscoveryService> discovery_;
  std::unique_ptr<scan::ValueDetectors> detectors_;  // compiled once, shared by every scan
  std::unique_ptr<scan::SourceScanService> scans_;
  std::unique_ptr<core::ArchiveWriter> zip_;
  std::unique_ptr<core::PackageService> packages_;
  std::unique_ptr<core::ReplyService> replies_;
  std::vector<std::unique_ptr<engine::JobHandler>> handlers_;
  std::unique_ptr<engine::WorkerPool> workers_;
};

}  // namespace rd::app
