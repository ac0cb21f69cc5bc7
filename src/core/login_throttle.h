#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"

namespace rd::core {

// Counts failed logins per client address in a sliding window, so that one address cannot
// try passwords across many accounts. (Per-account limits live in the user row, so that they
// hold across processes.) Thread-safe. Memory is bounded: at most `max_keys` addresses are
// tracked; the oldest windows are dropped first.
class LoginThrottle {
 public:
  LoginThrottle(int max_failures, int window_seconds, std::size_t max_keys = 100000);

  // True when `key` has reached the limit within the window ending at `now`.
  bool Blocked(const std::string& key, UnixTime now);
  void RecordFailure(const std::string& key, UnixTime now);
  void Reset(const std::string& key);

 private:
  struct Window {
    UnixTime start = 0;
    int failures = 0;
  };
  void Evict(UnixTime now);

  const int max_failures_;
  const int window_seconds_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::map<std::string, Window> windows_;
};

}  // namespace rd::core
