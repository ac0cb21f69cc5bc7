#pragma once

// The detectors and one thread's scratch for the scan benchmarks (scan_text_bench,
// scan_ab_bench), or nothing, with the reason on stderr.
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include "scan/value_detectors.h"

struct ScanDetectors {
  std::unique_ptr<rd::scan::ValueDetectors> detectors;
  std::optional<rd::scan::ValueDetectors::Scratch> scratch;
};

inline std::optional<ScanDetectors> CreateScanDetectors() {
  auto detectors = rd::scan::ValueDetectors::Create({});
  if (!detectors) {
    std::cerr << detectors.error().message << "\n";
    return std::nullopt;
  }
  auto scratch = (*detectors)->NewScratch();
  if (!scratch) {
    std::cerr << scratch.error().message << "\n";
    return std::nullopt;
  }
  ScanDetectors made{std::move(*detectors), std::nullopt};
  made.scratch.emplace(std::move(*scratch));
  return made;
}
