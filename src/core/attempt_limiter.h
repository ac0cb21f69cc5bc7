#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/clock.h"

namespace rd::core {

// Counts attempts per key (a client address, a hashed identity) in a fixed window and says
// when a key has had too many: failed logins per address (so that one address cannot try
// passwords across many accounts), Privacy Center submissions per address and per identity.
// Per-process memory; limits that must hold across processes live in the database.
// Thread-safe. Memory is bounded: at most `max_keys` keys are tracked; the oldest windows are
// dropped first. A limit of 0 or less is off: nothing is counted. Every call is O(1)
// (amortized): windows are dropped in the order they started, so a full table (a day's
// worth of identities) costs no scan.
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
    std::uint64_t seq = 0;  // its entry in order_
  };
  // Drops windows from the oldest: the expired ones, then, while `room` is short, live ones.
  void Evict(UnixTime now, bool make_room);
  void Compact();

  const int max_failures_;
  const int window_seconds_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
  // (seq, key) in the order windows started; an entry whose key is gone or has a later seq
  // is stale and skipped.
  std::deque<std::pair<std::uint64_t, std::string>> order_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace rd::core
