#include "core/attempt_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace rd::core {
namespace {

constexpr UnixTime kStart = 1'790'000'000;

TEST(AttemptLimiter, BlocksAfterMaxFailuresWithinWindow) {
  AttemptLimiter throttle(3, 60);
  EXPECT_FALSE(throttle.Blocked("ip:10.0.0.1", kStart));
  throttle.RecordFailure("ip:10.0.0.1", kStart);
  throttle.RecordFailure("ip:10.0.0.1", kStart + 10);
  EXPECT_FALSE(throttle.Blocked("ip:10.0.0.1", kStart + 10));
  throttle.RecordFailure("ip:10.0.0.1", kStart + 20);
  EXPECT_TRUE(throttle.Blocked("ip:10.0.0.1", kStart + 20));
  EXPECT_TRUE(throttle.Blocked("ip:10.0.0.1", kStart + 59));
}

TEST(AttemptLimiter, KeysAreCountedSeparately) {
  AttemptLimiter throttle(2, 60);
  throttle.RecordFailure("ip:10.0.0.1", kStart);
  throttle.RecordFailure("ip:10.0.0.1", kStart);
  throttle.RecordFailure("ip:10.0.0.2", kStart);
  EXPECT_TRUE(throttle.Blocked("ip:10.0.0.1", kStart));
  EXPECT_FALSE(throttle.Blocked("ip:10.0.0.2", kStart));
  EXPECT_FALSE(throttle.Blocked("ip:10.0.0.3", kStart));
}

TEST(AttemptLimiter, UnblocksOnceTheWindowHasPassed) {
  AttemptLimiter throttle(3, 60);
  for (int i = 0; i < 3; ++i) throttle.RecordFailure("k", kStart + i);
  EXPECT_TRUE(throttle.Blocked("k", kStart + 59));
  EXPECT_FALSE(throttle.Blocked("k", kStart + 60));
  // The old failures are forgotten: a new window starts from scratch.
  throttle.RecordFailure("k", kStart + 61);
  throttle.RecordFailure("k", kStart + 62);
  EXPECT_FALSE(throttle.Blocked("k", kStart + 62));
  throttle.RecordFailure("k", kStart + 63);
  EXPECT_TRUE(throttle.Blocked("k", kStart + 63));
}

TEST(AttemptLimiter, FailuresSpreadOverManyWindowsNeverBlock) {
  AttemptLimiter throttle(3, 60);
  for (int i = 0; i < 20; ++i) {
    throttle.RecordFailure("k", kStart + i * 61);
    EXPECT_FALSE(throttle.Blocked("k", kStart + i * 61)) << i;
  }
}

TEST(AttemptLimiter, ResetClearsFailures) {
  AttemptLimiter throttle(2, 60);
  throttle.RecordFailure("k", kStart);
  throttle.RecordFailure("k", kStart);
  ASSERT_TRUE(throttle.Blocked("k", kStart));
  throttle.Reset("k");
  EXPECT_FALSE(throttle.Blocked("k", kStart));
  throttle.RecordFailure("k", kStart + 1);
  EXPECT_FALSE(throttle.Blocked("k", kStart + 1));
  throttle.Reset("never-seen");  // harmless
}

TEST(AttemptLimiter, ZeroMaxFailuresNeverBlocks) {
  AttemptLimiter throttle(0, 60);
  for (int i = 0; i < 1000; ++i) throttle.RecordFailure("k", kStart);
  EXPECT_FALSE(throttle.Blocked("k", kStart));
}

TEST(AttemptLimiter, EvictsOldestWindowWhenFull) {
  AttemptLimiter throttle(1, 3600, /*max_keys=*/2);
  throttle.RecordFailure("a", kStart);
  throttle.RecordFailure("b", kStart + 1);
  throttle.RecordFailure("c", kStart + 2);
  EXPECT_FALSE(throttle.Blocked("a", kStart + 2));
  EXPECT_TRUE(throttle.Blocked("b", kStart + 2));
  EXPECT_TRUE(throttle.Blocked("c", kStart + 2));
}

TEST(AttemptLimiter, TracksAtMostMaxKeysAndKeepsWorking) {
  constexpr std::size_t kMaxKeys = 10;
  AttemptLimiter throttle(1, 3600, kMaxKeys);
  constexpr int kKeys = 5000;
  for (int i = 0; i < kKeys; ++i) throttle.RecordFailure("ip:" + std::to_string(i), kStart + i);
  const UnixTime now = kStart + kKeys;
  // With one failure enough to block, every tracked key is blocked: count them.
  std::size_t tracked = 0;
  for (int i = 0; i < kKeys; ++i) {
    if (throttle.Blocked("ip:" + std::to_string(i), now)) ++tracked;
  }
  EXPECT_LE(tracked, kMaxKeys);
  EXPECT_GE(tracked, 1u);
  // The newest address is still throttled, and a fresh one still gets throttled.
  EXPECT_TRUE(throttle.Blocked("ip:" + std::to_string(kKeys - 1), now));
  EXPECT_FALSE(throttle.Blocked("ip:fresh", now));
  throttle.RecordFailure("ip:fresh", now);
  EXPECT_TRUE(throttle.Blocked("ip:fresh", now));
}

TEST(AttemptLimiter, ExpiredWindowsAreDroppedBeforeLiveOnes) {
  AttemptLimiter throttle(1, 60, /*max_keys=*/2);
  throttle.RecordFailure("old", kStart);
  throttle.RecordFailure("live", kStart + 100);
  // "old" has expired by now, so making room drops it rather than "live".
  throttle.RecordFailure("new", kStart + 101);
  EXPECT_TRUE(throttle.Blocked("live", kStart + 101));
  EXPECT_TRUE(throttle.Blocked("new", kStart + 101));
}

}  // namespace
}  // namespace rd::core

namespace rd::core {
namespace {

TEST(AttemptLimiter, ZeroMaxKeysTracksNothingAndNeverBlocks) {
  AttemptLimiter throttle(1, 3600, /*max_keys=*/0);
  throttle.RecordFailure("ip:a", 1000);
  throttle.RecordFailure("ip:a", 1001);
  EXPECT_FALSE(throttle.Blocked("ip:a", 1002));
}

TEST(AttemptLimiter, FullTableEvictsOldestFirstWithoutScanning) {
  // A day's identities: 200,000 windows through a table of 50,000; each eviction drops the
  // oldest (seconds, not minutes, if it were a scan per call).
  AttemptLimiter throttle(1, 86400, /*max_keys=*/50000);
  for (int i = 0; i < 200000; ++i) throttle.RecordFailure("id:" + std::to_string(i), kStart + i);
  const UnixTime now = kStart + 200000;
  EXPECT_FALSE(throttle.Blocked("id:0", now));
  EXPECT_FALSE(throttle.Blocked("id:149999", now));
  EXPECT_TRUE(throttle.Blocked("id:150000", now));
  EXPECT_TRUE(throttle.Blocked("id:199999", now));
}

TEST(AttemptLimiter, ResetKeysDoNotCostOthersTheirWindow) {
  AttemptLimiter throttle(1, 3600, /*max_keys=*/2);
  throttle.RecordFailure("a", kStart);
  throttle.Reset("a");
  throttle.RecordFailure("b", kStart + 1);
  throttle.RecordFailure("a", kStart + 2);  // a's first entry is stale, not the oldest window
  EXPECT_TRUE(throttle.Blocked("a", kStart + 2));
  EXPECT_TRUE(throttle.Blocked("b", kStart + 2));
  throttle.RecordFailure("c", kStart + 3);  // full: b (oldest live) goes
  EXPECT_FALSE(throttle.Blocked("b", kStart + 3));
  EXPECT_TRUE(throttle.Blocked("a", kStart + 3));
  EXPECT_TRUE(throttle.Blocked("c", kStart + 3));
}

TEST(AttemptLimiter, ManyResetsKeepTheLiveWindows) {
  AttemptLimiter throttle(1, 3600, /*max_keys=*/3);
  throttle.RecordFailure("a", kStart);
  throttle.RecordFailure("c", kStart + 1);
  // Stale entries pile up and are compacted away; a and c stay.
  for (int i = 0; i < 1000; ++i) {
    throttle.RecordFailure("d", kStart + 2);
    throttle.Reset("d");
  }
  EXPECT_TRUE(throttle.Blocked("a", kStart + 2));
  EXPECT_TRUE(throttle.Blocked("c", kStart + 2));
  EXPECT_FALSE(throttle.Blocked("d", kStart + 2));
}

}  // namespace
}  // namespace rd::core
