// Personal-data detector throughput (docs/performance.md, "Personal-data scan"): the same
// mixed text and the same column values scanned with the Vectorscan prefilter (the product's
// path) and with RE2 alone (every pattern over everything), in one run.
//   build/bench/scan_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "scan/value_detectors.h"

namespace {

using rd::scan::Finding;
using rd::scan::ValueDetectors;

// Mixed values as they sit in a customer database: mostly text, numbers and dates that are not
// personal, with one personal value in about four.
// Corpus kinds (the benchmark's argument): kDense as above; kDenseNoPhones with the phone
// numbers replaced by prose (libphonenumber, ICU regular expressions at tens of microseconds
// per number, otherwise dominates both paths); kSparse with one value in 25 of the kinds above
// and prose otherwise, like notes or log lines.
enum Corpus { kDenseNoPhones = 0, kDense = 1, kSparse = 2 };

std::vector<std::string> MixedValues(std::size_t count, Corpus corpus) {
  const bool phones = corpus != kDenseNoPhones;
  std::mt19937 rng(7);
  auto pick = [&](std::initializer_list<const char*> list) {
    return std::string(list.begin()[rng() % list.size()]);
  };
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
    return s;
  };
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    switch (rng() % (corpus == kSparse ? 400 : 16)) {
      case 0:
        out.push_back(pick({"anna", "james", "li"}) + "." + digits(3) + "@example.com");
        break;
      case 1:
        out.push_back(phones ? "+1 415 2" + digits(2) + " " + digits(4)
                             : std::string("Please call back after the holidays"));
        break;
      case 2:
        out.push_back("4111 1111 1111 1111");
        break;
      case 3:
        out.push_back("DE89 3704 0044 0532 0130 00");
        break;
      case 4:
        out.push_back(std::to_string(10 + rng() % 200) + ".0." + digits(2) + ".7");
        break;
      case 5:
        out.push_back(pick({"Ultra Widget", "Steel Kettle", "Desk Lamp"}) + " " + digits(3));
        break;
      case 6:
        out.push_back("Order " + digits(16) + " shipped");
        break;
      case 7:
        out.push_back("2024-0" + digits(1) + "-1" + digits(1) + " 10:22:31");
        break;
      case 8:
        out.push_back(digits(1 + rng() % 9));
        break;
      default:
        out.push_back(pick({"Lorem ipsum dolor sit amet, consectetur adipiscing elit",
                            "The customer asked about delivery times and returns",
                            "Senior Engineer", "active", "Gold", "https://shop.example.com/p/12",
                            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"}));
    }
  }
  return out;
}

struct Fixture {
  std::unique_ptr<ValueDetectors> detectors;
  std::vector<std::string> values;
  std::string text;
  std::size_t value_bytes = 0;
  explicit Fixture(Corpus corpus) : values(MixedValues(50000, corpus)) {
    detectors = std::move(*ValueDetectors::Create({}));
    for (const auto& v : values) {
      text += v;
      text += '\n';
      value_bytes += v.size();
    }
  }
};

// state.range(0): the Corpus.
Fixture& Shared(const benchmark::State& state) {
  static Fixture no_phones(kDenseNoPhones), dense(kDense), sparse(kSparse);
  switch (state.range(0)) {
    case kDenseNoPhones:
      return no_phones;
    case kDense:
      return dense;
    default:
      return sparse;
  }
}

void BM_TextPrefilter(benchmark::State& state) {
  auto& f = Shared(state);
  auto scratch = f.detectors->NewScratch();
  std::vector<Finding> out;
  for (auto _ : state) {
    out.clear();
    f.detectors->Find(f.text, *scratch, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["findings"] = static_cast<double>(out.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.text.size()));
}

void BM_TextRe2Only(benchmark::State& state) {
  auto& f = Shared(state);
  std::vector<Finding> out;
  for (auto _ : state) {
    out.clear();
    f.detectors->FindWithoutPrefilter(f.text, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["findings"] = static_cast<double>(out.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.text.size()));
}

void BM_ValuesPrefilter(benchmark::State& state) {
  auto& f = Shared(state);
  auto scratch = f.detectors->NewScratch();
  for (auto _ : state) {
    for (const auto& v : f.values) benchmark::DoNotOptimize(f.detectors->MatchValue(v, *scratch));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.values.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.value_bytes));
}

void BM_ValuesRe2Only(benchmark::State& state) {
  auto& f = Shared(state);
  std::vector<Finding> out;
  for (auto _ : state) {
    for (const auto& v : f.values) {
      out.clear();
      f.detectors->FindWithoutPrefilter(v, out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.values.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.value_bytes));
}

BENCHMARK(BM_TextPrefilter)
    ->Arg(kDense)
    ->Arg(kDenseNoPhones)
    ->Arg(kSparse)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextRe2Only)
    ->Arg(kDense)
    ->Arg(kDenseNoPhones)
    ->Arg(kSparse)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ValuesPrefilter)
    ->Arg(kDense)
    ->Arg(kDenseNoPhones)
    ->Arg(kSparse)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ValuesRe2Only)
    ->Arg(kDense)
    ->Arg(kDenseNoPhones)
    ->Arg(kSparse)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
