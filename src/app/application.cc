#include "app/application.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "crypto/sodium_crypto.h"
#include "http/api.h"
#include "http/server.h"
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
  app->requests_ = std::make_unique<core::RequestService>(*app->store_, *app->crypto_, app->clock_);
  app->audit_ = std::make_unique<core::AuditTrail>(*app->store_);
  return app;
}

core::Status Application::BootstrapAdmin() {
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
  std::printf(
      "\n  First start: an admin account was created. Its password is shown only now.\n"
      "    email:    %s\n    password: %s\n"
      "  Log in at http://%s:%u/ or:\n"
      "    curl -c cookies.txt -H 'Content-Type: application/json' \\\n"
      "      -d '{\"email\":\"%s\",\"password\":\"%s\"}' http://%s:%u/api/v1/auth/login\n\n",
      email.c_str(), password.c_str(), config_.listen_host.c_str(), config_.listen_port,
      email.c_str(), password.c_str(), config_.listen_host.c_str(), config_.listen_port);
  std::fflush(stdout);
  return {};
}

core::Status Application::Serve() {
  if (auto st = BootstrapAdmin(); !st) return st;

  // Block the stop signals before any thread starts, so that they reach sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http::Metrics metrics;
  http::ApiOptions options;
  options.secure_cookies = config_.secure_cookies;
  options.session_ttl_seconds = config_.session_ttl_hours * 3600;
  options.web_dir = config_.web_dir.empty() ? DefaultWebDir() : config_.web_dir;
  http::ApiServices services{*auth_, *requests_, *audit_, *store_, clock_, logger_, metrics};
  http::Api api(services, options);

  http::ServerOptions server_options;
  server_options.host = config_.listen_host;
  server_options.port = config_.listen_port;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  server_options.threads = config_.server_threads > 0
                               ? static_cast<std::size_t>(config_.server_threads)
                               : std::max<std::size_t>(4, 2 * cores);
  auto server = http::HttpServer::Start(server_options,
                                        [&api](http::HttpRequest& r) { return api.Handle(r); });
  if (!server) return tl::unexpected(server.error());
  logger_.Info("serving",
               {{"listen", config_.listen_host + ":" + std::to_string(config_.listen_port)},
                {"database", db_->display_url()},
                {"threads", server_options.threads},
                {"web_dir", options.web_dir}});
  int sig = 0;
  sigwait(&signals, &sig);
  logger_.Info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Stop();
  logger_.Info("stopped");
  return {};
}

}  // namespace rd::app
