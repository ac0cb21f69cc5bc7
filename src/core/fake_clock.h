#pragma once

#include <atomic>

#include "core/clock.h"

namespace rd::core {

// A clock that tests set and advance by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixTime start = 1'790'000'000) : now_(start) {}
  UnixTime Now() const override { return now_.load(); }
  void Set(UnixTime t) { now_.store(t); }
  void Advance(UnixTime seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<UnixTime> now_;
};

}  // namespace rd::core
