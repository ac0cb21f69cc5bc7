#include "cli/commands.h"

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/demo.h"
#include "log/json_log.h"

namespace rd::cli {
namespace {

// The logger and the application, in the order they must be torn down (app first).
struct Opened {
  std::unique_ptr<log::Logger> logger;
  std::unique_ptr<app::Application> app;
};

// Loads the configuration and opens the application, printing a clear message on failure.
// Returns an empty app with *exit_code set when it cannot. `adjust`, when set, changes the
// loaded configuration first (the demo's defaults).
Opened OpenApp(const CommonOptions& common, int* exit_code,
               const std::function<void(app::Config&)>& adjust = {}) {
  Opened out;
  auto config = app::LoadConfig(common.config_file, app::ProcessEnvironment(), common.flags);
  if (!config) {
    std::fprintf(stderr, "rightsdesk: configuration error: %s\n", config.error().message.c_str());
    *exit_code = kExitUsage;
    return out;
  }
  if (adjust) adjust(*config);
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config->log_level, &level);
  out.logger = std::make_unique<log::Logger>(stderr, level);
  auto app = app::Application::Open(*config, *out.logger);
  if (!app) {
    std::fprintf(stderr, "rightsdesk: %s\n", app.error().message.c_str());
    *exit_code = app.error().code == core::Errc::kInvalidArgument ? kExitUsage : kExitFailure;
    return out;
  }
  out.app = std::move(*app);
  return out;
}

}  // namespace

int RunServe(const CommonOptions& common) {
  int code = kExitOk;
  Opened opened = OpenApp(common, &code);
  if (!opened.app) return code;
  app::Application* app = opened.app.get();
  if (auto st = app->Serve(); !st) {
    std::fprintf(stderr, "rightsdesk: %s\n", st.error().message.c_str());
    return kExitFailure;
  }
  return kExitOk;
}

int RunDemo(const CommonOptions& common) {
  int code = kExitOk;
  Opened opened = OpenApp(common, &code, app::ApplyDemoDefaults);
  if (!opened.app) return code;
  app::Application* app = opened.app.get();
  auto demo = app::SetUpDemo(*app);
  if (!demo) {
    std::fprintf(stderr, "rightsdesk: demo: %s\n", demo.error().message.c_str());
    return kExitFailure;
  }
  std::printf("%s", app::DescribeDemo(*demo, app->config().PublicUrl()).c_str());
  std::fflush(stdout);
  if (auto st = app->Serve(); !st) {
    std::fprintf(stderr, "rightsdesk: %s\n", st.error().message.c_str());
    return kExitFailure;
  }
  return kExitOk;
}

int RunWorker(const CommonOptions& common) {
  int code = kExitOk;
  Opened opened = OpenApp(common, &code);
  if (!opened.app) return code;
  if (auto st = opened.app->Work(); !st) {
    std::fprintf(stderr, "rightsdesk: %s\n", st.error().message.c_str());
    return st.error().code == core::Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  return kExitOk;
}

int RunMigrate(const CommonOptions& common) {
  int code = kExitOk;
  Opened opened = OpenApp(common, &code);
  if (!opened.app) return code;
  std::printf("database is up to date\n");
  return kExitOk;
}

int RunUserAdd(const CommonOptions& common, const std::string& email, const std::string& role,
               bool password_stdin) {
  const auto parsed = core::ParseRole(role);
  if (!parsed) {
    std::fprintf(stderr, "rightsdesk: --role must be admin, agent or viewer\n");
    return kExitUsage;
  }
  if (!password_stdin) {
    std::fprintf(stderr, "rightsdesk: pass the password on standard input with --password-stdin\n");
    return kExitUsage;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  int code = kExitOk;
  Opened opened = OpenApp(common, &code);
  if (!opened.app) return code;
  app::Application* app = opened.app.get();
  auto user = app->auth().CreateUser(email, *parsed, password, "cli");
  if (!user) {
    std::fprintf(stderr, "rightsdesk: %s\n", user.error().message.c_str());
    return user.error().code == core::Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  std::printf("created %s %s (%s)\n", core::RoleName(user->role), user->email.c_str(),
              user->id.c_str());
  return kExitOk;
}

int RunAuditVerify(const CommonOptions& common) {
  int code = kExitOk;
  Opened opened = OpenApp(common, &code);
  if (!opened.app) return code;
  app::Application* app = opened.app.get();
  auto v = app->audit().Verify();
  if (!v) {
    std::fprintf(stderr, "rightsdesk: %s\n", v.error().message.c_str());
    return kExitFailure;
  }
  nlohmann::json out = {{"ok", v->ok}, {"events", v->events}};
  out["first_bad_event"] = v->first_bad_event ? nlohmann::json(*v->first_bad_event) : nullptr;
  if (!v->ok) out["problem"] = v->problem;
  std::printf("%s\n", out.dump().c_str());
  return v->ok ? kExitOk : kExitFailure;
}

int RunAuditExport(const CommonOptions& common, const std::string& format) {
  if (format != "json" && format != "csv") {
    std::fprintf(stderr, "rightsdesk: --format must be json or csv\n");
    return kExitUsage;
  }
  int code = kExitOk;
  Opened opened = OpenApp(common, &code);
  if (!opened.app) return code;
  app::Application* app = opened.app.get();
  auto csv = [](const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + "\"";
  };
  if (format == "csv") std::printf("seq,at,actor,request_id,kind,detail,prev_hash,hash\n");
  // JSON is written as one event per line (JSON Lines), so exports of any size stream.
  auto st = app->audit().Export(std::nullopt, 0, 0, [&](const core::AuditEvent& e) {
    if (format == "csv") {
      std::printf("%lld,%s,%s,%s,%s,%s,%s,%s\n", static_cast<long long>(e.seq),
                  core::FormatRfc3339(e.at).c_str(), csv(e.actor).c_str(),
                  csv(e.request_id.value_or("")).c_str(), csv(e.kind).c_str(),
                  csv(e.detail).c_str(), e.prev_hash.c_str(), e.hash.c_str());
    } else {
      nlohmann::json j = {{"seq", e.seq},
                          {"at", core::FormatRfc3339(e.at)},
                          {"actor", e.actor},
                          {"request_id", e.request_id ? nlohmann::json(*e.request_id) : nullptr},
                          {"kind", e.kind},
                          {"detail", nlohmann::json::parse(e.detail, nullptr, false)},
                          {"prev_hash", e.prev_hash},
                          {"hash", e.hash}};
      std::printf("%s\n", j.dump().c_str());
    }
  });
  if (!st) {
    std::fprintf(stderr, "rightsdesk: %s\n", st.error().message.c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace rd::cli
