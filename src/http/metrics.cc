#include "http/metrics.h"

#include <cstdio>
#include <sstream>

namespace rd::http {

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  std::string key;
  key.reserve(method.size() + route.size() + 6);
  key.append(method).push_back('\t');
  key.append(route).push_back('\t');
  key.append(std::to_string(status));
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[key];
  Series& s = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
  ++s.count;
  s.sum += seconds;
}

std::string Metrics::Render(const std::string& extra) const {
  std::ostringstream out;
  out << "# HELP rightsdesk_http_requests_total HTTP requests by method, route and status.\n"
         "# TYPE rightsdesk_http_requests_total counter\n";
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, n] : requests_) {
    const auto t1 = key.find('\t');
    const auto t2 = key.find('\t', t1 + 1);
    out << "rightsdesk_http_requests_total{method=\"" << key.substr(0, t1) << "\",route=\""
        << key.substr(t1 + 1, t2 - t1 - 1) << "\",status=\"" << key.substr(t2 + 1) << "\"} " << n
        << "\n";
  }
  out << "# HELP rightsdesk_http_request_duration_seconds Time to answer, by route.\n"
         "# TYPE rightsdesk_http_request_duration_seconds histogram\n";
  for (const auto& [route, s] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[i]);
      out << "rightsdesk_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << le
          << "\"} " << s.buckets[i] << "\n";
    }
    out << "rightsdesk_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << s.count << "\n";
    out << "rightsdesk_http_request_duration_seconds_sum{route=\"" << route << "\"} " << s.sum
        << "\n";
    out << "rightsdesk_http_request_duration_seconds_count{route=\"" << route << "\"} " << s.count
        << "\n";
  }
  out << extra;
  return out.str();
}

}  // namespace rd::http
