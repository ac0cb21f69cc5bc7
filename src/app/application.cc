#include "app/application.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "connectors/registry.h"
#include "crypto/sodium_crypto.h"
#include "discovery/discoverer.h"
#include "engine/email_delivery.h"
#include "engine/integration_jobs.h"
#include "engine/vendor_reminder.h"
#include "engine/worker_pool.h"
#include "http/api.h"
#include "http/server.h"
#include "mail/mustache_renderer.h"
#include "mail/pickup_mailer.h"
#include "mail/smtp_mailer.h"
#include "package/zip_writer.h"
#include "store/database.h"
#include "store/migrator.h"
#include "store/sql_store.h"

namespace rd::app {
namespace {

// web/dist beside the binary's checkout (build/rightsdesk → web/dist), or beside the
// installed binary (bin/rightsdesk → share/rightsdesk/web).
std::string DefaultWebDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const fs::path& candidate :
       {exe.parent_path().parent_path() / "web" / "dist",
        exe.parent_path().parent_path() / "share" / "rightsdesk" / "web"}) {
    if (fs::is_directory(candidate, ec)) return candidate.string();
  }
  return {};
}

// Used when smtp.host is empty: every send fails (and is retried), saying what to configure.
class UnconfiguredMailer final : public core::Mailer {
 public:
  core::Status Send(const core::OutgoingEmail&) override {
    return core::Fail(core::Errc::kUnavailable, "smtp.host is not set: no email can be sent");
  }
};

// Runs `source.scan` jobs: a data source's personal-data scan.
class SourceScanJob final : public engine::JobHandler {
 public:
  explicit SourceScanJob(scan::SourceScanService& scans) : scans_(scans) {}
  core::Status Run(const core::Job& job) override { return scans_.Run(job); }

 private:
  scan::SourceScanService& scans_;
};

// SIGTERM and SIGINT: the signals that stop serve and worker gracefully.
const sigset_t& StopSignals() {
  static const sigset_t kSet = [] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
  }();
  return kSet;
}

// The process's name in job claims: host and pid.
std::string WorkerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

Application::Application(Config config, log::Logger& logger)
    : config_(std::move(config)), logger_(logger) {}

Application::~Application() = default;

core::Store& Application::store() { return *store_; }

core::Result<std::unique_ptr<Application>> Application::Open(const Config& config,
                                                             log::Logger& logger) {
  if (auto st = crypto::InitSodium(); !st) return tl::unexpected(st.error());
  std::unique_ptr<Application> app(new Application(config, logger));
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return core::Fail(core::Errc::kUnavailable,
                      "data_dir: cannot create " + config.data_dir + ": " + ec.message());
  }
  auto key = crypto::LoadOrCreateMasterKey(config.MasterKeyFile());
  if (!key) return tl::unexpected(key.error());
  app->crypto_ = std::make_unique<crypto::SodiumCrypto>(std::move(*key));

  // The catalog first: a broken catalog file is bad configuration, reported before anything
  // touches the database.
  auto catalog = LoadCatalog(config.catalog_path, config.catalog_local);
  if (!catalog) return tl::unexpected(catalog.error());
  app->catalog_ = std::move(*catalog);
  if (app->catalog_.dir.empty()) {
    logger.Warn("no bundled catalog found; set catalog.path");
  }

  auto db = store::Database::Open(config.DatabaseUrl(), config.database_pool_size);
  if (!db) return tl::unexpected(db.error());
  app->db_ = std::move(*db);
  auto migrated = store::Migrate(*app->db_);
  if (!migrated) return tl::unexpected(migrated.error());
  if (!migrated->applied.empty()) {
    logger.Info("database migrated",
                {{"version", migrated->current_version}, {"applied", migrated->applied.size()}});
  }
  app->store_ = std::make_unique<store::SqlStore>(*app->db_, *app->crypto_);

  core::AuthPolicy policy;
  policy.session_ttl_seconds = config.session_ttl_hours * 3600;
  policy.max_failed_logins = config.login_max_failures;
  policy.lock_seconds = config.login_lock_minutes * 60;
  policy.max_failed_per_ip = config.login_max_failures_per_ip;
  policy.ip_window_seconds = config.login_lock_minutes * 60;
  app->auth_ =
      std::make_unique<core::AuthService>(*app->store_, *app->crypto_, app->clock_, policy);
  // One TemplateService for every email: an admin's edited text applies everywhere at once.
  app->renderer_ = std::make_unique<mail::MustacheRenderer>();
  app->templates_ = std::make_unique<core::TemplateService>(
      *app->store_, *app->renderer_, *app->crypto_, app->clock_,
      core::OrgInfo{config.org_name, config.PublicUrl()});
  app->requests_ = std::make_unique<core::RequestService>(*app->store_, *app->crypto_, app->clock_,
                                                          *app->templates_);
  app->audit_ = std::make_unique<core::AuditTrail>(*app->store_);
  app->request_types_ = std::make_unique<core::RequestTypeService>(*app->store_, app->clock_);
  app->replies_ = std::make_unique<core::ReplyService>(*app->store_, *app->templates_,
                                                       *app->crypto_, app->clock_);

  if (config.smtp_host.empty() && !config.smtp_pickup_dir.empty()) {
    app->mailer_ =
        std::make_unique<mail::PickupMailer>(config.smtp_pickup_dir, config.smtp_from, app->clock_);
    logger.Info("mail goes to the pickup directory, not sent", {{"dir", config.smtp_pickup_dir}});
  } else if (config.smtp_host.empty()) {
    app->mailer_ = std::make_unique<UnconfiguredMailer>();
  } else {
    if (auto st = mail::InitCurl(); !st) return tl::unexpected(st.error());
    mail::SmtpOptions smtp;
    smtp.host = config.smtp_host;
    smtp.port = config.smtp_port;
    smtp.from = config.smtp_from;
    smtp.username = config.smtp_username;
    smtp.password = config.smtp_password;
    smtp.starttls = config.smtp_starttls;
    smtp.tls_verify = config.smtp_tls_verify;
    app->mailer_ = std::make_unique<mail::SmtpMailer>(smtp, app->clock_);
  }
  core::IntakePolicy intake;
  intake.code_ttl_seconds = config.code_minutes * 60;
  intake.unverified_expiry_seconds = config.unverified_expiry_seconds;
  intake.per_address_per_hour = config.limit_per_address_per_hour;
  intake.per_identity_per_day = config.limit_per_identity_per_day;
  app->intake_ = std::make_unique<core::IntakeService>(*app->store_, *app->crypto_, app->clock_,
                                                       *app->templates_, intake);
  core::CasePolicy cases;
  cases.duplicate_window_seconds = config.duplicate_window_seconds;
  app->cases_ = std::make_unique<core::CaseService>(*app->store_, *app->crypto_, app->clock_,
                                                    *app->templates_, cases);
  app->subjects_ = std::make_unique<core::SubjectService>(*app->store_, *app->crypto_, app->clock_,
                                                          *app->templates_, core::SubjectPolicy{});
  core::ProofPolicy proofs;
  proofs.per_address_per_hour = config.limit_per_address_per_hour;
  app->proofs_ =
      std::make_unique<core::ProofService>(*app->store_, *app->crypto_, app->clock_, proofs);
  app->connectors_ = std::make_unique<connectors::Registry>(*app->crypto_);
  app->data_sources_ = std::make_unique<core::DataSourceService>(
      *app->store_, *app->crypto_, app->clock_, app->connectors_.get(), &app->catalog_.catalog,
      &app->catalog_.taxonomy);
  core::IntegrationPolicy integration;
  integration.public_url = config.PublicUrl();
  integration.callback_timeout_seconds = config.webhook_callback_timeout_seconds;
  integration.erase_batch = static_cast<std::size_t>(config.worker_erase_batch);
  integration.batch_resume_seconds = config.worker_lease_seconds;
  app->integrations_ = std::make_unique<core::IntegrationService>(
      *app->store_, *app->crypto_, app->clock_, *app->connectors_, integration);
  core::PackagePolicy packages;
  packages.ttl_seconds = config.package_ttl_seconds;
  packages.org_name = config.org_name;
  app->zip_ = std::make_unique<package::ZipWriter>();
  app->packages_ = std::make_unique<core::PackageService>(*app->store_, *app->crypto_, app->clock_,
                                                          *app->zip_, packages);
  core::WorkflowPolicy workflow;
  workflow.vendor_reminder_after_seconds = config.vendor_reminder_after_seconds;
  workflow.vendor_max_reminders = config.vendor_max_reminders;
  app->workflow_ = std::make_unique<core::WorkflowService>(*app->store_, *app->crypto_, app->clock_,
                                                           *app->templates_, workflow);
  discovery::MailboxOptions mailbox;
  mailbox.min_unknown_messages = config.discovery_min_unknown_messages;
  app->discovery_reader_ = std::make_unique<discovery::Discoverer>(app->catalog_.catalog, mailbox);
  app->discovery_ = std::make_unique<core::DiscoveryService>(
      *app->store_, *app->crypto_, app->clock_, *app->discovery_reader_, *app->data_sources_,
      app->catalog_.catalog);
  scan::DetectorOptions detector_options;
  detector_options.default_region = config.scan_phone_region;
  auto detectors = scan::ValueDetectors::Create(detector_options);
  if (!detectors) return tl::unexpected(detectors.error());
  app->detectors_ = std::move(*detectors);
  scan::SourceScanPolicy scan_policy;
  scan_policy.sample_rows = config.scan_sample_rows;
  app->scans_ = std::make_unique<scan::SourceScanService>(*app->store_, *app->crypto_, app->clock_,
                                                          *app->detectors_, scan_policy,
                                                          app->connectors_.get());
  return app;
}

core::Status Application::BootstrapAdmin(bool has_console) {
  std::int64_t users = 0;
  auto st = store_->Read([&](core::Transaction& tx) -> core::Status {
    auto n = tx.Users().Count();
    if (!n) return tl::unexpected(n.error());
    users = *n;
    return {};
  });
  if (!st) return st;
  if (users > 0) return {};
  const std::string email = "admin@rightsdesk.local";
  const std::string password = crypto_->RandomHex(9);
  auto user = auth_->CreateUser(email, core::Role::kAdmin, password, "system");
  if (!user) {
    // Another process created the first user at the same moment: nothing to do.
    if (user.error().code == core::Errc::kConflict) return {};
    return tl::unexpected(user.error());
  }
  const std::string base =
      "http://" + config_.listen_host + ":" + std::to_string(config_.listen_port);
  std::printf(
      "\n  First start: an admin account was created. Its password is shown only now.\n"
      "    email:    %s\n    password: %s\n",
      email.c_str(), password.c_str());
  if (has_console) std::printf("  Log in at %s/ or with the API:\n", base.c_str());
  std::printf(
      "    curl -c cookies.txt -H 'Content-Type: application/json' \\\n"
      "      -d '{\"email\":\"%s\",\"password\":\"%s\"}' %s/api/v1/auth/login\n\n",
      email.c_str(), password.c_str(), base.c_str());
  std::fflush(stdout);
  return {};
}

core::Status Application::Serve() {
  const std::string web_dir = config_.web_dir.empty() ? DefaultWebDir() : config_.web_dir;
  if (auto st = BootstrapAdmin(!web_dir.empty()); !st) return st;

  // Block the stop signals before any thread starts, so that they reach sigwait below.
  pthread_sigmask(SIG_BLOCK, &StopSignals(), nullptr);

  http::Metrics metrics;
  http::ApiOptions options;
  options.secure_cookies = config_.secure_cookies;
  options.session_ttl_seconds = config_.session_ttl_hours * 3600;
  options.web_dir = web_dir;
  options.org_name = config_.org_name;
  options.primary_color = config_.primary_color;
  http::ApiServices services{
      *auth_,     *requests_,     *intake_,   *audit_,     *templates_,      *replies_,
      *store_,    clock_,         logger_,    metrics,     *request_types_,  *cases_,
      *subjects_, *data_sources_, *workflow_, *discovery_, catalog_.catalog, catalog_.taxonomy};
  services.integrations = integrations_.get();
  services.scans = scans_.get();
  services.proofs = proofs_.get();
  services.packages = packages_.get();
  http::Api api(services, options);

  http::ServerOptions server_options;
  server_options.host = config_.listen_host;
  server_options.port = config_.listen_port;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  server_options.threads = config_.server_threads > 0
                               ? static_cast<std::size_t>(config_.server_threads)
                               : std::max<std::size_t>(16, 8 * cores);
  auto server = http::HttpServer::Start(server_options,
                                        [&api](http::HttpRequest& r, http::Responder respond) {
                                          api.HandleAsync(r, std::move(respond));
                                        });
  if (!server) return tl::unexpected(server.error());
  logger_.Info("serving",
               {{"listen", config_.listen_host + ":" + std::to_string(config_.listen_port)},
                {"database", db_->display_url()},
                {"threads", server_options.threads},
                {"web_dir", options.web_dir}});
  StartWorkers();
  logger_.Info("stopping", {{"signal", WaitForStopSignal()}});
  (*server)->Stop();
  if (workers_) workers_->Stop();
  logger_.Info("stopped");
  return {};
}

const char* Application::WaitForStopSignal() {
  int sig = 0;
  sigwait(&StopSignals(), &sig);
  return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

void Application::StartWorkers() {
  if (config_.worker_threads <= 0) return;
  engine::WorkerOptions options;
  options.threads = config_.worker_threads;
  options.lease_seconds = config_.worker_lease_seconds;
  workers_ = std::make_unique<engine::WorkerPool>(*store_, clock_, logger_, options, WorkerName());
  const std::string host = config_.PublicUrl().substr(config_.PublicUrl().find("://") + 3);
  auto email = std::make_unique<engine::EmailDelivery>(*store_, *mailer_, clock_,
                                                       host.substr(0, host.find_first_of(":/")));
  auto expiry = std::make_unique<engine::RequestExpiry>(
      [this](const std::string& id) { return intake_->ExpireIfUnverified(id); });
  workers_->Register("email.send", email.get());
  workers_->Register("request.expire", expiry.get());
  auto reminder = std::make_unique<engine::VendorReminder>(
      [this](const std::string& id) { return workflow_->RemindVendor(id); });
  workers_->Register("task.remind", reminder.get());
  handlers_.push_back(std::move(email));
  handlers_.push_back(std::move(expiry));
  handlers_.push_back(std::move(reminder));
  auto run = std::make_unique<engine::IntegrationTaskRunner>(
      [this](const std::string& id, bool last) { return integrations_->RunTask(id, last); },
      options.max_attempts);
  auto prescan = std::make_unique<engine::PrescanRunner>(
      [this](const std::string& id) { return integrations_->Prescan(id); });
  workers_->Register("task.run", run.get());
  workers_->Register("request.prescan", prescan.get());
  handlers_.push_back(std::move(run));
  handlers_.push_back(std::move(prescan));
  auto deadline = std::make_unique<engine::CallbackDeadlineRunner>(
      [this](const std::string& id) { return integrations_->ExpireCallback(id); });
  workers_->Register("task.callback_deadline", deadline.get());
  handlers_.push_back(std::move(deadline));
  // Copy packages: {"request_id"} payloads, as the pre-scan's.
  auto package_build = std::make_unique<engine::PrescanRunner>(
      [this](const std::string& id) { return packages_->Build(id); });
  auto package_purge = std::make_unique<engine::PrescanRunner>(
      [this](const std::string&) { return packages_->Purge(); });
  workers_->Register("package.build", package_build.get());
  workers_->Register("package.purge", package_purge.get());
  handlers_.push_back(std::move(package_build));
  handlers_.push_back(std::move(package_purge));
  auto source_scan = std::make_unique<SourceScanJob>(*scans_);
  workers_->Register(scan::SourceScanService::kJobKind, source_scan.get());
  handlers_.push_back(std::move(source_scan));
  workers_->Start();
  logger_.Info("workers started", {{"threads", options.threads}});
}

core::Status Application::Work() {
  pthread_sigmask(SIG_BLOCK, &StopSignals(), nullptr);
  if (config_.worker_threads <= 0) {
    return core::Fail(core::Errc::kInvalidArgument, "worker.threads: must be at least 1 here");
  }
  StartWorkers();
  logger_.Info("stopping", {{"signal", WaitForStopSignal()}});
  workers_->Stop();
  logger_.Info("stopped");
  return {};
}

}  // namespace rd::app
