#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace rd::http {

// Prometheus counters for the HTTP server: requests by method, route pattern and status, and
// a latency histogram per route. Thread-safe. Route patterns (not raw paths) are the labels,
// so the number of series is bounded.
class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  void Record(const std::string& method, const std::string& route, int status, double seconds);
  // The text exposition format. `extra` is appended (e.g. job gauges from the store).
  std::string Render(const std::string& extra) const;

 private:
  struct Series {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> requests_;  // key: method \t route \t status
  std::map<std::string, Series> latency_;          // key: route
};

}  // namespace rd::http
