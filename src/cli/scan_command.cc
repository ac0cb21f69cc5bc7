// `rightsdesk scan URL|FILE`: classifies a database's or a file's columns and proposes a Fides
// dataset. Reads the source only; opens no Rightsdesk database.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "scan/scanner.h"

namespace rd::cli {
namespace {

// A one-line progress bar on standard error, drawn only when it is a terminal.
void DrawProgress(int done, int total) {
  if (total <= 0) return;
  constexpr int kWidth = 30;
  const int filled = done * kWidth / total;
  std::fprintf(stderr, "\r  scanning [%.*s%*s] %d/%d", filled, "##############################",
               kWidth - filled, "", done, total);
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

int RunScan(const ScanOptions& options) {
  scan::DetectorOptions detector_options;
  detector_options.default_region = options.phone_region;
  auto detectors = scan::ValueDetectors::Create(detector_options);
  if (!detectors) {
    std::fprintf(stderr, "rightsdesk: %s\n", detectors.error().message.c_str());
    return detectors.error().code == core::Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto scanner = scan::Scanner::Create(**detectors, scan::FirstNames::Bundled());
  if (!scanner) {
    std::fprintf(stderr, "rightsdesk: %s\n", scanner.error().message.c_str());
    return kExitFailure;
  }
  const bool is_url = options.source.find("://") != std::string::npos;
  const scan::ProgressFn progress =
      isatty(STDERR_FILENO) ? scan::ProgressFn(DrawProgress) : scan::ProgressFn();
  // The dataset is named after the database (the URL's last path segment, without a query or
  // a file extension).
  std::string name = options.source.substr(options.source.rfind('/') + 1);
  name = name.substr(0, name.find_first_of("?."));
  auto report = is_url ? scanner->ScanSql(options.source, options.sample_rows,
                                          name.empty() ? "scanned_database" : name, progress)
                       : scanner->ScanFile(options.source, options.sample_rows);
  if (!report) {
    std::fprintf(stderr, "rightsdesk: %s\n", report.error().message.c_str());
    return report.error().code == core::Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  std::printf("%-40s %-52s %10s %6s  %s\n", "column", "category", "confidence", "share", "signal");
  int personal = 0;
  for (const auto& c : report->columns) {
    const std::string name = c.collection + "." + c.field;
    personal += !c.category.empty();
    std::printf("%-40s %-52s %10.2f %6.2f  %s\n", name.c_str(),
                c.category.empty() ? "-" : c.category.c_str(), c.confidence, c.share,
                c.signal.c_str());
  }
  std::printf("%zu columns in %zu %s, %d with personal data\n", report->columns.size(),
              report->tables.size(), is_url ? "tables" : "file", personal);
  if (!options.dataset_out.empty()) {
    std::ofstream out(options.dataset_out, std::ios::trunc);
    out << report->dataset_yaml;
    if (!out) {
      std::fprintf(stderr, "rightsdesk: --dataset-out: cannot write %s\n",
                   options.dataset_out.c_str());
      return kExitFailure;
    }
    std::printf("proposed dataset written to %s\n", options.dataset_out.c_str());
  }
  return kExitOk;
}

}  // namespace rd::cli
