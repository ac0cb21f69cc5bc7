#pragma once

// bench/ab_scan: the text scan of a base revision, built a second time under another namespace
// (scan_ab_base.cc, bench/CMakeLists.txt) beside this tree's, so that one process can call the
// two in turn (scan_ab_bench.cc). Nothing here names the project's namespace.
#include <cstddef>
#include <vector>

struct ScanAbFinding {
  int detector = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const ScanAbFinding&) const = default;
};

// Compiles the base revision's detectors; false (and a message on stderr) when they fail to.
bool ScanAbBaseCreate();
// The base revision's ValueDetectors::Find over [text, text + size); returns the number of
// findings, kept for ScanAbBaseFindings.
std::size_t ScanAbBaseFind(const char* text, std::size_t size);
// The findings of the last ScanAbBaseFind.
std::vector<ScanAbFinding> ScanAbBaseFindings();
