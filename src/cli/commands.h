#pragma once

#include <map>
#include <string>

#include "app/application.h"

namespace rd::cli {

// Exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed (database down, bad chain)
inline constexpr int kExitUsage = 2;    // bad flags or configuration

// Options shared by every command that opens the store.
struct CommonOptions {
  std::string config_file;
  std::map<std::string, std::string> flags;  // config keys set by flags
};

int RunServe(const CommonOptions& common);
int RunMigrate(const CommonOptions& common);
int RunWorker(const CommonOptions& common);
int RunUserAdd(const CommonOptions& common, const std::string& email, const std::string& role,
               bool password_stdin);
int RunAuditVerify(const CommonOptions& common);
int RunAuditExport(const CommonOptions& common, const std::string& format);
// `discover mailbox PATH` (mbox, .eml, zip, folder of .eml or Maildir), `discover sso FILE`,
// `discover dns FILE` ("-": standard input): stores the findings and prints them.
int RunDiscover(const CommonOptions& common, const std::string& kind, const std::string& path);

}  // namespace rd::cli
