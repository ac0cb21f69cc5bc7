#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"

namespace rd::core {

// Counts attempts per key (a client address, a hashed identity) in a fixed window and says
// when a key has had too many: failed logins per address (so that one address cannot try
// passwords across many accounts), Privacy Center submissions per address and per identity.
// Per-process memory; limits that must hold across processes live in the database.
// Thread-safe. Memory is bounded: at most `max_keys` keys are tracked; the oldest windows are
// dropped first.
class AttemptLimiter {
 public:
  AttemptLimiter(int max_failures, int window_seconds, std::size_t max_keys = 100000);

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
