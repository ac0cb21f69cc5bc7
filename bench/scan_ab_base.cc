// The base revision's side of bench/ab_scan: compiled with -Drd=rd_ab_base, with that revision's
// headers first on the include path, beside its src/scan sources (bench/CMakeLists.txt), so
// that every name of its detectors lives in a namespace of its own.
#include <iostream>
#include <memory>
#include <string_view>
#include <vector>

#include "scan/value_detectors.h"
#include "scan_ab.h"

namespace {

std::unique_ptr<rd::scan::ValueDetectors> detectors;
std::unique_ptr<rd::scan::ValueDetectors::Scratch> scratch;
std::vector<rd::scan::Finding> found;

}  // namespace

bool ScanAbBaseCreate() {
  auto created = rd::scan::ValueDetectors::Create({});
  if (!created) {
    std::cerr << "base detectors: " << created.error().message << "\n";
    return false;
  }
  detectors = std::move(*created);
  auto s = detectors->NewScratch();
  if (!s) {
    std::cerr << "base scratch: " << s.error().message << "\n";
    return false;
  }
  scratch = std::make_unique<rd::scan::ValueDetectors::Scratch>(std::move(*s));
  return true;
}

std::size_t ScanAbBaseFind(const char* text, std::size_t size) {
  found.clear();
  detectors->Find(std::string_view(text, size), *scratch, found);
  return found.size();
}

std::vector<ScanAbFinding> ScanAbBaseFindings() {
  std::vector<ScanAbFinding> out;
  out.reserve(found.size());
  for (const auto& f : found) out.push_back({static_cast<int>(f.detector), f.begin, f.end});
  return out;
}
