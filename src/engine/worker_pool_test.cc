#include "engine/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "core/fake_clock.h"
#include "store/temp_store.h"

namespace rd::engine {
namespace {

class CountingHandler final : public JobHandler {
 public:
  explicit CountingHandler(int fail_first = 0) : fail_first_(fail_first) {}
  core::Status Run(const core::Job& job) override {
    const int n = ++calls_;
    last_payload_ = job.payload;
    if (n <= fail_first_) return core::Fail(core::Errc::kUnavailable, "smtp: connection refused");
    return {};
  }
  std::atomic<int> calls_{0};
  std::string last_payload_;

 private:
  int fail_first_;
};

class ThrowingHandler final : public JobHandler {
 public:
  core::Status Run(const core::Job&) override { throw std::runtime_error("boom"); }
};

class WorkerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    sink_ = std::tmpfile();
    logger_ = std::make_unique<log::Logger>(sink_, log::Level::kError);
    options_.max_attempts = 3;
    options_.backoff_base_seconds = 10;
    options_.idle_poll_ms = 5;
  }
  void TearDown() override {
    logger_.reset();
    std::fclose(sink_);
  }

  void Enqueue(const std::string& kind, const std::string& payload = "{}") {
    ASSERT_TRUE(temp_->store().Write([&](core::Transaction& tx) {
      return tx.Jobs().Enqueue({"", kind, payload, clock_.Now()});
    }));
  }

  std::map<std::string, std::int64_t> Counts() {
    std::map<std::string, std::int64_t> out;
    EXPECT_TRUE(temp_->store().Read([&](core::Transaction& tx) -> core::Status {
      auto c = tx.Jobs().CountByStatus();
      if (!c) return tl::unexpected(c.error());
      out = *c;
      return {};
    }));
    return out;
  }

  std::unique_ptr<store::TempSqliteStore> temp_;
  core::FakeClock clock_;
  std::FILE* sink_ = nullptr;
  std::unique_ptr<log::Logger> logger_;
  WorkerOptions options_;
};

TEST(Backoff, DoublesUpToTheCap) {
  WorkerOptions o;
  o.backoff_base_seconds = 30;
  o.backoff_cap_seconds = 300;
  EXPECT_EQ(BackoffSeconds(o, 1), 30);
  EXPECT_EQ(BackoffSeconds(o, 2), 60);
  EXPECT_EQ(BackoffSeconds(o, 3), 120);
  EXPECT_EQ(BackoffSeconds(o, 4), 240);
  EXPECT_EQ(BackoffSeconds(o, 5), 300);
  EXPECT_EQ(BackoffSeconds(o, 50), 300);
}

TEST_F(WorkerPoolTest, RunsAJobOnceAndMarksItDone) {
  CountingHandler handler;
  WorkerPool pool(temp_->store(), clock_, *logger_, options_, "test");
  pool.Register("email.send", &handler);
  Enqueue("email.send", "{\"to\":\"x\"}");
  EXPECT_TRUE(*pool.RunOnce("w"));
  EXPECT_FALSE(*pool.RunOnce("w"));
  EXPECT_EQ(handler.calls_, 1);
  EXPECT_EQ(handler.last_payload_, "{\"to\":\"x\"}");
  EXPECT_EQ(Counts()["done"], 1);
}

TEST_F(WorkerPoolTest, RetriesWithBackoffThenBuries) {
  CountingHandler handler(/*fail_first=*/100);
  WorkerPool pool(temp_->store(), clock_, *logger_, options_, "test");
  pool.Register("email.send", &handler);
  Enqueue("email.send");
  EXPECT_TRUE(*pool.RunOnce("w"));   // attempt 1 fails: retry in 10 s
  EXPECT_FALSE(*pool.RunOnce("w"));  // not due yet
  clock_.Advance(10);
  EXPECT_TRUE(*pool.RunOnce("w"));  // attempt 2 fails: retry in 20 s
  clock_.Advance(19);
  EXPECT_FALSE(*pool.RunOnce("w"));
  clock_.Advance(1);
  EXPECT_TRUE(*pool.RunOnce("w"));  // attempt 3 fails: buried
  clock_.Advance(3600);
  EXPECT_FALSE(*pool.RunOnce("w"));
  EXPECT_EQ(handler.calls_, 3);
  EXPECT_EQ(Counts()["failed"], 1);
}

TEST_F(WorkerPoolTest, RecoversAfterTransientFailures) {
  CountingHandler handler(/*fail_first=*/1);
  WorkerPool pool(temp_->store(), clock_, *logger_, options_, "test");
  pool.Register("email.send", &handler);
  Enqueue("email.send");
  EXPECT_TRUE(*pool.RunOnce("w"));
  clock_.Advance(10);
  EXPECT_TRUE(*pool.RunOnce("w"));
  EXPECT_EQ(Counts()["done"], 1);
}

TEST_F(WorkerPoolTest, UnknownKindsAndThrowingHandlersDoNotStopThePool) {
  ThrowingHandler thrower;
  WorkerPool pool(temp_->store(), clock_, *logger_, options_, "test");
  pool.Register("boom", &thrower);
  Enqueue("nobody.handles.this");
  Enqueue("boom");
  EXPECT_TRUE(*pool.RunOnce("w"));
  EXPECT_TRUE(*pool.RunOnce("w"));
  EXPECT_EQ(Counts()["failed"], 1);  // unknown kind: buried at once
  EXPECT_EQ(Counts()["queued"], 1);  // the throw counts as a failed attempt
}

TEST_F(WorkerPoolTest, ThreadsDrainTheQueueAndStopCleanly) {
  CountingHandler handler;
  options_.threads = 3;
  WorkerPool pool(temp_->store(), clock_, *logger_, options_, "test");
  pool.Register("k", &handler);
  for (int i = 0; i < 40; ++i) Enqueue("k");
  pool.Start();
  for (int i = 0; i < 400 && handler.calls_ < 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pool.Stop();
  EXPECT_EQ(handler.calls_, 40);
  EXPECT_EQ(Counts()["done"], 40);
}

}  // namespace
}  // namespace rd::engine
