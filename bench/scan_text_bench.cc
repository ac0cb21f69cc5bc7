// Personal-data scan of one large text file on one thread, the program behind bench/rg_compare
// (docs/performance.md, "Personal-data scan against ripgrep").
//   build/bench/scan_text_bench --dir DIR [--mib 256] [--repeat 5] [--every 20]
//                               [--only find|reference|prefilter]
// Writes DIR/corpus.txt (deterministic: the same bytes for the same --mib and --every, one word
// slot in `every` holding a value: 20 is the dense corpus, 100 typical text; kept when it is
// already there, written with the same ones), DIR/patterns.txt (every detector's prefilter
// pattern in ripgrep syntax, one a line, from PrefilterPatterns(): the looser patterns
// Vectorscan searches) and DIR/detector_patterns.txt (every detector's own pattern, from
// ExtractPattern(): what Find matches, then validates), then times, --repeat times each, on this
// thread:
//   find       the product's text path: map the file, ValueDetectors::Find (the single-pass
//              text scanner: bit masks of digits, '@' and ':', hand-written extraction only
//              where a detector can have a valid candidate, validators), every finding kept;
//   reference  the previous text path, ValueDetectors::FindReference (Vectorscan all-matches
//              database, RE2 windows, validators): the baseline;
//   prefilter  map the file and only the Vectorscan pass (CountPrefilterMatches).
// Prints one line per mode: "<mode> <best seconds> <median seconds> <count> <bytes>", then
// "find_runs" and the seconds of each find run in order, and on
// stderr a digest of the findings ("digest <hex>": equal for two builds that found the same),
// the reference's ("reference_digest <hex>") and the findings per detector.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scan/value_detectors.h"
#include "scan_detectors.h"

namespace {

namespace fs = std::filesystem;
using rd::scan::Finding;
using rd::scan::ValueDetectors;

// Prose with personal data and look-alikes mixed in, line by line like notes, tickets or logs:
// each word slot is, with probability ~1/20, one of the kinds below instead of a word.
class CorpusWriter {
 public:
  // One word slot in `every` holds a value.
  CorpusWriter(std::uint64_t seed, unsigned every) : rng_(seed), every_(every) {}

  std::string Line() {
    std::string line;
    const int words = 6 + static_cast<int>(rng_() % 10);
    for (int w = 0; w < words; ++w) {
      if (w > 0) line += ' ';
      if (rng_() % every_ == 0) {
        line += Item();
      } else {
        line += kWords[rng_() % std::size(kWords)];
      }
    }
    line += rng_() % 4 == 0 ? ".\n" : "\n";
    return line;
  }

 private:
  static constexpr const char* kWords[] = {
      "the",     "customer",  "asked",   "about",   "delivery", "times",   "and",     "returns",
      "please",  "call",      "back",    "after",   "holidays", "order",   "shipped", "invoice",
      "payment", "received",  "account", "updated", "password", "reset",   "request", "ticket",
      "closed",  "opened",    "by",      "support", "team",     "for",     "with",    "from",
      "to",      "of",        "a",       "in",      "on",       "was",     "is",      "not",
      "refund",  "approved",  "pending", "review",  "Lorem",    "ipsum",   "dolor",   "sit",
      "amet",    "warehouse", "Berlin",  "London",  "Madrid",   "Toronto", "widget",  "kettle",
      "lamp",    "v2",        "id",      "status",  "active",   "Gold",    "Senior",  "Engineer",
      "note:",   "re:",       "GET",     "POST",    "/api/v1",  "200",
  };

  std::string Digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng_() % 10));
    return s;
  }
  const char* Pick(std::initializer_list<const char*> list) {
    return list.begin()[rng_() % list.size()];
  }

  std::string Item() {
    switch (rng_() % 16) {
      case 0:
        return std::string(Pick({"anna", "james.smith", "li", "m.garcia"})) + Digits(2) + "@" +
               Pick({"example.com", "mail.example.org", "shop.example.co.uk"});
      case 1:
        return "+1 " + std::string(Pick({"212", "415", "617", "312"})) + " 2" + Digits(2) + " " +
               Digits(4);
      case 2:
        return "+44 20 7946 0" + Digits(3);
      case 3:
        return Pick({"4111 1111 1111 1111", "5500-0000-0000-0004"});
      case 4:
        return Digits(4) + " " + Digits(4) + " " + Digits(4) + " " + Digits(4);  // rarely Luhn
      case 5:
        return Pick({"DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32"});
      case 6:
        return std::to_string(10 + rng_() % 200) + "." + std::to_string(rng_() % 256) + "." +
               std::to_string(rng_() % 256) + "." + std::to_string(1 + rng_() % 254);
      case 7:
        return "2024-0" + std::to_string(1 + rng_() % 9) + "-1" + Digits(1);
      case 8:
        return "1" + Digits(1) + ".0" + std::to_string(1 + rng_() % 9) + ".2023";
      case 9:
        return "10:" + Digits(2) + ":" + Digits(2);
      case 10:
        return "#" + Digits(6 + static_cast<int>(rng_() % 10));  // order numbers
      case 11:
        return "$" + Digits(1 + static_cast<int>(rng_() % 4)) + "." + Digits(2);
      case 12:
        return Digits(1 + static_cast<int>(rng_() % 5));
      case 13:
        return Digits(3) + " " + Pick({"Market Street", "Oak Avenue", "Station Road"});
      case 14:
        return "SW1A 1AA";
      default:
        return Digits(3) + "-" + Digits(2) + "-" + Digits(4);  // SSN-shaped
    }
  }

  std::mt19937_64 rng_;
  unsigned every_;
};

void WriteCorpus(const fs::path& path, std::size_t bytes, unsigned every) {
  // Kept when it has the size and was written with the same density (recorded beside it).
  const fs::path density = fs::path(path) += ".every";
  std::error_code ec;
  if (fs::exists(path, ec) && fs::file_size(path, ec) == bytes) {
    std::ifstream in(density);
    unsigned written_every = 0;
    if (in >> written_every && written_every == every) return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  CorpusWriter writer(20261129, every);
  std::string buffer;
  std::size_t written = 0;
  while (written < bytes) {
    buffer.clear();
    while (buffer.size() < (1u << 20)) buffer += writer.Line();
    const std::size_t n = std::min(buffer.size(), bytes - written);
    out.write(buffer.data(), static_cast<std::streamsize>(n));
    written += n;
  }
  out.close();
  std::ofstream(density, std::ios::trunc) << every << "\n";
  if (!out) {
    std::cerr << "cannot write " << path << "\n";
    std::exit(1);
  }
}

// ripgrep syntax with Vectorscan's semantics: (?-u) makes \d, \b, classes and \xNN bytes and
// ASCII, as Vectorscan compiles them (no HS_FLAG_UTF8/UCP); (?i) for HS_FLAG_CASELESS.
void WritePatterns(const fs::path& path) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& p : rd::scan::PrefilterPatterns()) {
    out << (p.caseless ? "(?i-u:" : "(?-u:") << p.pattern << ")\n";
  }
}

// The detectors' own patterns (ExtractPattern: the definitions Find matches before validating,
// with their context bytes) in ripgrep syntax, bytes and ASCII as RE2 reads them (Latin-1).
void WriteDetectorPatterns(const fs::path& path) {
  std::ofstream out(path, std::ios::trunc);
  for (int d = 0; d < rd::scan::kDetectorCount; ++d) {
    out << "(?-u:" << rd::scan::ExtractPattern(static_cast<rd::scan::Detector>(d)) << ")\n";
  }
}

// The file mapped read-only, as ripgrep searches a single file (its default for one file):
// the scan reads the page cache in place, without copying the file into a buffer first.
class MappedFile {
 public:
  explicit MappedFile(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      std::cerr << "cannot read " << path << "\n";
      std::exit(1);
    }
    size_ = static_cast<std::size_t>(st.st_size);
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (data_ == MAP_FAILED) {
      std::cerr << "cannot map " << path << "\n";
      std::exit(1);
    }
  }
  ~MappedFile() { ::munmap(data_, size_); }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view text() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

struct Timing {
  double best = 0;
  double median = 0;
  std::vector<double> runs;  // every run's seconds, in order
};

template <typename F>
Timing Repeat(int times, F&& run) {
  std::vector<double> seconds;
  for (int i = 0; i < times; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    run();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  if (seconds.empty()) return {};
  std::vector<double> sorted = seconds;
  std::sort(sorted.begin(), sorted.end());
  return {sorted.front(), sorted[sorted.size() / 2], seconds};
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir;
  std::size_t mib = 256;
  int repeat = 5;
  unsigned every = 20;  // one word slot in `every` holds a value (20: dense; 100: typical)
  std::string only;     // one mode alone (find, reference, prefilter), e.g. under perf
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--dir") {
      dir = argv[i + 1];
    } else if (flag == "--mib") {
      mib = std::strtoul(argv[i + 1], nullptr, 10);
    } else if (flag == "--repeat") {
      repeat = std::atoi(argv[i + 1]);
    } else if (flag == "--every") {
      every = static_cast<unsigned>(std::strtoul(argv[i + 1], nullptr, 10));
    } else if (flag == "--only") {
      only = argv[i + 1];
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (dir.empty() || mib == 0 || mib >= 4096 || repeat < 1 || every == 0) {
    std::cerr << "usage: scan_text_bench --dir DIR [--mib 1..4095] [--repeat N] [--every N]"
                 " [--only find|reference|prefilter]\n";
    return 2;
  }
  const fs::path corpus = dir / "corpus.txt";
  WriteCorpus(corpus, mib << 20, every);
  WritePatterns(dir / "patterns.txt");
  WriteDetectorPatterns(dir / "detector_patterns.txt");

  std::optional<ScanDetectors> made = CreateScanDetectors();
  if (!made) return 1;
  const std::unique_ptr<ValueDetectors>& detectors = made->detectors;
  std::optional<ValueDetectors::Scratch>& scratch = made->scratch;
  const std::size_t bytes = mib << 20;

  std::vector<Finding> findings;
  const auto runs = [&](std::string_view mode) {
    return only.empty() || only == mode ? repeat : 0;
  };
  const Timing find = Repeat(runs("find"), [&] {
    const MappedFile file(corpus);
    const std::string_view text = file.text();
    findings.clear();
    detectors->Find(text, *scratch, findings);
  });
  std::vector<Finding> reference_findings;
  const Timing reference = Repeat(runs("reference"), [&] {
    const MappedFile file(corpus);
    const std::string_view text = file.text();
    reference_findings.clear();
    detectors->FindReference(text, *scratch, reference_findings);
  });
  std::size_t reports = 0;
  const Timing prefilter = Repeat(runs("prefilter"), [&] {
    const MappedFile file(corpus);
    const std::string_view text = file.text();
    reports = detectors->CountPrefilterMatches(text, *scratch);
  });

  std::printf("find %.4f %.4f %zu %zu\n", find.best, find.median, findings.size(), bytes);
  std::printf("reference %.4f %.4f %zu %zu\n", reference.best, reference.median,
              reference_findings.size(), bytes);
  std::printf("prefilter %.4f %.4f %zu %zu\n", prefilter.best, prefilter.median, reports, bytes);
  std::printf("find_runs");
  for (const double t : find.runs) std::printf(" %.4f", t);
  std::printf("\n");
  // FNV-1a over every finding (detector, begin, end) in order: equal digests from two builds
  // mean they found exactly the same (docs/performance.md compares before and after).
  const auto digest_of = [](const std::vector<Finding>& list) {
    std::uint64_t digest = 1469598103934665603ull;
    const auto mix = [&](std::uint64_t v) {
      for (int i = 0; i < 8; ++i) {
        digest ^= (v >> (8 * i)) & 0xff;
        digest *= 1099511628211ull;
      }
    };
    for (const Finding& f : list) {
      mix(static_cast<std::uint64_t>(f.detector));
      mix(f.begin);
      mix(f.end);
    }
    return static_cast<unsigned long long>(digest);
  };
  std::size_t per[rd::scan::kDetectorCount] = {};
  for (const Finding& f : findings) ++per[static_cast<int>(f.detector)];
  std::fprintf(stderr, "digest %016llx\n", digest_of(findings));
  std::fprintf(stderr, "reference_digest %016llx\n", digest_of(reference_findings));
  for (int d = 0; d < rd::scan::kDetectorCount; ++d) {
    std::cerr << rd::scan::DetectorName(static_cast<rd::scan::Detector>(d)) << " " << per[d]
              << "\n";
  }
  return 0;
}
