// bench/ab_scan's program: this tree's ValueDetectors::Find against a base revision's (built
// again beside it under another namespace: scan_ab.h), called in turn over one text file in
// one process. The machine's speed drifts by tens of percent within minutes, more than most
// single changes to the scanner are worth; two builds timed in turn by separate processes
// cannot tell 2 % apart, while the median of the ratios of runs a few milliseconds apart can.
//   scan_ab_bench --corpus FILE [--repeat 40]
// Reads FILE into memory, then --repeat pairs of runs (the order within each pair alternating).
// Prints "this <best s> base <best s> base/this <ratio of the bests> median_pair <median of
// base/this over the pairs> same_findings <yes|no>" (a ratio above 1: this tree is faster).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scan/value_detectors.h"
#include "scan_ab.h"
#include "scan_detectors.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus;
  int repeat = 40;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--corpus") {
      corpus = argv[i + 1];
    } else if (flag == "--repeat") {
      repeat = std::atoi(argv[i + 1]);
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (corpus.empty() || repeat < 1) {
    std::cerr << "usage: scan_ab_bench --corpus FILE [--repeat N]\n";
    return 2;
  }
  std::ifstream in(corpus, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.is_open() || in.bad() || text.empty()) {
    std::cerr << "cannot read " << corpus << " (or it is empty)\n";
    return 1;
  }
  std::optional<ScanDetectors> mine = CreateScanDetectors();
  if (!mine || !ScanAbBaseCreate()) return 1;

  std::vector<rd::scan::Finding> found;
  double best_this = 1e9, best_base = 1e9;
  std::vector<double> ratios;
  for (int r = 0; r < repeat; ++r) {
    double this_run = 0, base_run = 0;
    for (int k = 0; k < 2; ++k) {
      if ((k == 0) == (r % 2 == 0)) {
        found.clear();
        const auto t0 = Clock::now();
        mine->detectors->Find(text, *mine->scratch, found);
        this_run = Seconds(t0);
      } else {
        const auto t0 = Clock::now();
        ScanAbBaseFind(text.data(), text.size());
        base_run = Seconds(t0);
      }
    }
    best_this = std::min(best_this, this_run);
    best_base = std::min(best_base, base_run);
    ratios.push_back(base_run / this_run);
  }
  std::sort(ratios.begin(), ratios.end());
  std::vector<ScanAbFinding> ours;
  ours.reserve(found.size());
  for (const auto& f : found) ours.push_back({static_cast<int>(f.detector), f.begin, f.end});
  std::printf("this %.4f base %.4f base/this %.3f median_pair %.3f same_findings %s\n", best_this,
              best_base, best_base / best_this, ratios[ratios.size() / 2],
              ours == ScanAbBaseFindings() ? "yes" : "no");
  return 0;
}
