#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connectors/saas_http.h"
#include "connectors/saas_spec.h"

namespace rd::connectors {

// Token buckets, one per limit of a spec's rate_limit_config: a request waits until every
// bucket has a token. One per source, shared by every task of the source in this process.
// Thread-safe.
class RateLimiter {
 public:
  explicit RateLimiter(std::vector<SaasRateLimit> limits);
  // Blocks until a request may go (no wait without limits).
  void Acquire();

 private:
  struct Bucket {
    double capacity, per_second, tokens;
  };
  std::mutex mu_;
  std::vector<Bucket> buckets_;
  std::chrono::steady_clock::time_point last_;
};

struct RetryPolicy {
  int max_attempts = 4;
  std::chrono::milliseconds base_backoff{500};
  std::chrono::milliseconds max_backoff{8000};
  std::chrono::seconds max_retry_after{30};
  // How to wait; tests replace it to run without sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Sends a SaaS API's requests: waits for the rate limiter, retries 429, 5xx and requests that
// got no response with exponential backoff (Retry-After in seconds honoured, capped). Not
// thread-safe; the limiter it shares is.
class SaasClient {
 public:
  SaasClient(HttpSender& sender, std::shared_ptr<RateLimiter> limiter, RetryPolicy retry);
  // The response, of any status but 429/5xx. kUnavailable "`what`: HTTP 503 after 4 attempts"
  // (or "no response") when the retries are spent. `what` names the endpoint and request,
  // never personal data.
  [[nodiscard]] core::Result<HttpResponse> Call(const HttpRequest& request,
                                                const std::string& what);
  std::int64_t requests() const { return requests_; }

 private:
  HttpSender& sender_;
  std::shared_ptr<RateLimiter> limiter_;
  RetryPolicy retry_;
  std::int64_t requests_ = 0;
};

}  // namespace rd::connectors
