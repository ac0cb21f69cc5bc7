// `rightsdesk discover mailbox|sso|dns PATH`: system discovery from the command line. The
// findings are stored (merged like an upload) and printed as a table.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.h"
#include "log/json_log.h"

namespace rd::cli {
namespace {

constexpr std::size_t kMaxTextFile = std::size_t{64} * 1024 * 1024;

// The whole of a (small) text file, or standard input for "-".
bool ReadText(const std::string& path, std::string* out, std::string* error) {
  std::ostringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *error = path + ": cannot be opened";
      return false;
    }
    buf << in.rdbuf();
  }
  *out = buf.str();
  if (out->size() > kMaxTextFile) {
    *error = path + ": larger than 64 MiB";
    return false;
  }
  return true;
}

// The logger and the application, torn down app first. (commands.cc opens the same way.)
struct Opened {
  std::unique_ptr<log::Logger> logger;
  std::unique_ptr<app::Application> app;
};

Opened Open(const CommonOptions& common, int* exit_code) {
  Opened out;
  auto config = app::LoadConfig(common.config_file, app::ProcessEnvironment(), common.flags);
  if (!config) {
    std::fprintf(stderr, "rightsdesk: configuration error: %s\n", config.error().message.c_str());
    *exit_code = kExitUsage;
    return out;
  }
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

std::string DayOrDash(const std::optional<core::UnixTime>& t) {
  return t ? core::FormatRfc3339(*t).substr(0, 10) : "-";
}

void PrintTable(const core::DiscoveryImport& imp) {
  std::printf("%-28s %-18s %-24s %8s %10s %10s %10s  %s\n", "DOMAIN", "CATALOG", "NAME", "MESSAGES",
              "FIRST SEEN", "LAST SEEN", "PEOPLE", "ID");
  for (const auto& f : imp.findings) {
    std::printf("%-28s %-18s %-24s %8lld %10s %10s %10lld  %s\n",
                f.domain.empty() ? "-" : f.domain.c_str(),
                f.catalog_id.empty() ? "-" : f.catalog_id.c_str(), f.name.substr(0, 24).c_str(),
                static_cast<long long>(f.messages), DayOrDash(f.first_seen).c_str(),
                DayOrDash(f.last_seen).c_str(), static_cast<long long>(f.recipients), f.id.c_str());
  }
  std::printf("%zu findings stored; %lld read, %lld skipped as malformed\n", imp.findings.size(),
              static_cast<long long>(imp.read), static_cast<long long>(imp.skipped));
}

}  // namespace

int RunDiscover(const CommonOptions& common, const std::string& kind, const std::string& path) {
  std::string text, error;
  if (kind != "mailbox" && !ReadText(path, &text, &error)) {
    std::fprintf(stderr, "rightsdesk: %s\n", error.c_str());
    return kExitUsage;
  }
  int code = kExitOk;
  Opened opened = Open(common, &code);
  if (!opened.app) return code;
  core::DiscoveryService& discovery = opened.app->discovery();
  const std::string actor = "system";
  core::Result<core::DiscoveryImport> imp = kind == "mailbox"
                                                ? discovery.ImportMailboxPath(path, actor)
                                            : kind == "sso" ? discovery.ImportSso(text, actor)
                                                            : discovery.ImportDns(text, actor);
  if (!imp) {
    std::fprintf(stderr, "rightsdesk: %s\n", imp.error().message.c_str());
    return imp.error().code == core::Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  PrintTable(*imp);
  return kExitOk;
}

}  // namespace rd::cli
