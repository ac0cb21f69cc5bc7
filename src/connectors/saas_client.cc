#include "connectors/saas_client.h"

#include <algorithm>
#include <thread>

namespace rd::connectors {

RateLimiter::RateLimiter(std::vector<SaasRateLimit> limits)
    : last_(std::chrono::steady_clock::now()) {
  for (const auto& l : limits) {
    const double per_second = l.rate / static_cast<double>(l.period_seconds);
    buckets_.push_back({l.rate, per_second, l.rate});
  }
}

void RateLimiter::Acquire() {
  for (;;) {
    std::chrono::duration<double> wait{0};
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (buckets_.empty()) return;
      const auto now = std::chrono::steady_clock::now();
      const double elapsed = std::chrono::duration<double>(now - last_).count();
      last_ = now;
      bool ready = true;
      for (auto& b : buckets_) {
        b.tokens = std::min(b.capacity, b.tokens + elapsed * b.per_second);
        if (b.tokens < 1.0) {
          ready = false;
          wait = std::max(wait, std::chrono::duration<double>((1.0 - b.tokens) / b.per_second));
        }
      }
      if (ready) {
        for (auto& b : buckets_) b.tokens -= 1.0;
        return;
      }
    }
    std::this_thread::sleep_for(wait);
  }
}

SaasClient::SaasClient(HttpSender& sender, std::shared_ptr<RateLimiter> limiter, RetryPolicy retry)
    : sender_(sender), limiter_(std::move(limiter)), retry_(std::move(retry)) {
  if (!retry_.sleep) {
    retry_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }
}

core::Result<HttpResponse> SaasClient::Call(const HttpRequest& request, const std::string& what) {
  std::string last;
  for (int attempt = 1;; ++attempt) {
    if (limiter_) limiter_->Acquire();
    ++requests_;
    auto r = sender_.Send(request);
    std::chrono::milliseconds wait = std::min<std::chrono::milliseconds>(
        retry_.max_backoff, retry_.base_backoff * (1 << std::min(attempt - 1, 20)));
    if (r) {
      if (r->status != 429 && r->status < 500) return r;
      last = "HTTP " + std::to_string(r->status);
      if (const auto it = r->headers.find("retry-after"); it != r->headers.end()) {
        // Seconds only; an HTTP date falls back to the backoff.
        char* end = nullptr;
        const long s = std::strtol(it->second.c_str(), &end, 10);
        if (end != it->second.c_str() && *end == '\0' && s >= 0) {
          wait =
              std::min<std::chrono::milliseconds>(std::chrono::seconds(s), retry_.max_retry_after);
        }
      }
    } else {
      if (r.error().code != core::Errc::kUnavailable) return r;
      last = r.error().message;
    }
    if (attempt >= retry_.max_attempts) {
      return core::Fail(core::Errc::kUnavailable,
                        what + ": " + last + " after " + std::to_string(attempt) + " attempts");
    }
    retry_.sleep(wait);
  }
}

}  // namespace rd::connectors
