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
  if (max_failures_ <= 0) return;  // off: Blocked is never true, nothing to remember
  std::lock_guard<std::mutex> lock(mu_);
  auto it = windows_.find(key);
  if (it != windows_.end() && now - it->second.start < window_seconds_) {
    ++it->second.failures;
    return;
  }
  if (max_keys_ == 0) return;
  if (it != windows_.end()) windows_.erase(it);
  Evict(now, windows_.size() >= max_keys_);
  const std::uint64_t seq = next_seq_++;
  windows_[key] = Window{now, 1, seq};
  order_.emplace_back(seq, key);
  if (order_.size() > 2 * max_keys_ + 64) Compact();
}

void AttemptLimiter::Reset(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  windows_.erase(key);
}

void AttemptLimiter::Evict(UnixTime now, bool make_room) {
  while (!order_.empty()) {
    const auto& [seq, key] = order_.front();
    auto it = windows_.find(key);
    if (it != windows_.end() && it->second.seq == seq) {
      const bool expired = now - it->second.start >= window_seconds_;
      // Still full (an attack from many addresses): the oldest window goes.
      if (!expired && !(make_room && windows_.size() >= max_keys_)) break;
      windows_.erase(it);
    }
    order_.pop_front();
  }
}

void AttemptLimiter::Compact() {
  // Many stale entries (keys reset and started again): keep the live ones, in order.
  std::deque<std::pair<std::uint64_t, std::string>> live;
  for (auto& entry : order_) {
    auto it = windows_.find(entry.second);
    if (it != windows_.end() && it->second.seq == entry.first) live.push_back(std::move(entry));
  }
  order_ = std::move(live);
}

}  // namespace rd::core
