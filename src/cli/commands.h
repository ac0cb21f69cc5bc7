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

// `rightsdesk scan`: what to scan and how.
struct ScanOptions {
  std::string source;               // sqlite:///..., postgresql://..., mysql://... or a file path
  int sample_rows = 1000;           // rows (or lines) read per table or file
  std::string dataset_out;          // where to write the proposed Fides dataset; "" = nowhere
  std::string phone_region = "US";  // libphonenumber's region for numbers without +country
};

int RunServe(const CommonOptions& common);
// `rightsdesk demo`: serve's options; sets up what is missing of the demo (app/demo.h), prints
// what it contains and where mail goes, then serves.
int RunDemo(const CommonOptions& common);
int RunMigrate(const CommonOptions& common);
int RunWorker(const CommonOptions& common);
int RunUserAdd(const CommonOptions& common, const std::string& email, const std::string& role,
               bool password_stdin);
int RunAuditVerify(const CommonOptions& common);
int RunAuditExport(const CommonOptions& common, const std::string& format);
// `discover mailbox PATH` (mbox, .eml, zip, folder of .eml or Maildir), `discover sso FILE`,
// `discover dns FILE` ("-": standard input): stores the findings and prints them.
int RunDiscover(const CommonOptions& common, const std::string& kind, const std::string& path);
// Prints the catalog entries matching `q` (and `category`) as a table. Needs no database.
int RunCatalogSearch(const CommonOptions& common, const std::string& q,
                     const std::string& category);
// Reads the community company files of `dir` and writes (or merges into) the local catalog
// file `out`; malformed files are reported on stderr and counted.
int RunCatalogImport(const CommonOptions& common, const std::string& dir, const std::string& out);
// Prints every column's category, confidence and share; exit 2 for a bad source or option,
// 1 when the source cannot be read.
int RunScan(const ScanOptions& options);

}  // namespace rd::cli
