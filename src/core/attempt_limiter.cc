#include "core/attempt_limiter.h"

namespace rd::core {

AttemptLimiter::AttemptLimiter(int max_failures, int window_seconds, std::size_t max_keys)
    : max_failures_(max_failures), window_seconds_(window_seconds), max_keys_(max_keys) {}

bool AttemptLimiter::Blocked(const std::string& key, UnixTime now) {
  if (max_failures_ <= 0) return false;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) return false;
  if (now - it->second.start >= window_seconds_) {
    windows_.erase(it);
    return false;
  }
  return it->second.failures >= max_failures_;
}

void AttemptLimiter::RecordFailure(const std::string& key, UnixTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end() || now - it->second.start >= window_seconds_) {
    if (max_keys_ == 0) return;
    if (windows_.size() >= max_keys_) Evict(now);
    windows_[key] = Window{now, 1};
    return;
  }
  ++it->second.failures;
}

void AttemptLimiter::Reset(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  windows_.erase(key);
}

void AttemptLimiter::Evict(UnixTime now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    it = now - it->second.start >= window_seconds_ ? windows_.erase(it) : std::next(it);
  }
  // Still full (an attack from many addresses): drop the oldest window.
  while (!windows_.empty() && windows_.size() >= max_keys_) {
    auto oldest = windows_.begin();
    for (auto it = windows_.begin(); it != windows_.end(); ++it) {
      if (it->second.start < oldest->second.start) oldest = it;
    }
    windows_.erase(oldest);
  }
}

}  // namespace rd::core
