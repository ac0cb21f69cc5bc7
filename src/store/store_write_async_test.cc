// Store::WriteAsync: queued writes commit (together on SQLite), each with its own result, the
// caller does not wait, and nothing queued is lost when the store goes.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store_test_fixture.h"

namespace rd::store {
namespace {

// Counts answers and lets the test wait for all of them.
class Answers {
 public:
  std::function<void(core::Status)> Expect(bool should_succeed) {
    {
      std::lock_guard lock(mu_);
      ++owed_;
    }
    return [this, should_succeed](core::Status st) {
      std::lock_guard lock(mu_);
      if (st.has_value() != should_succeed) ++wrong_;
      if (!st && st.error().message != "refused after appending") ++wrong_;
      --owed_;
      cv_.notify_all();
    };
  }
  // False when answers are still owed after a while.
  bool WaitAll() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return owed_ == 0; });
  }
  int wrong() {
    std::lock_guard lock(mu_);
    return wrong_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int owed_ = 0;
  int wrong_ = 0;
};

TEST_F(StoreTest, AsyncWritesFromThreadsEachGetTheirOwnResultAndKeepOneChain) {
  constexpr int kThreads = 4;
  constexpr int kWrites = 100;
  Answers answers;
  std::atomic<int> kept{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const bool refuse = (i + t) % 4 == 0;
        if (!refuse) ++kept;
        store_->WriteAsync(
            [refuse](core::Transaction& tx) { return TwoEventsOrRefuse(tx, refuse); },
            answers.Expect(!refuse));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(answers.WaitAll());
  EXPECT_EQ(answers.wrong(), 0);
  const core::AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 2 * kept.load());
}

TEST_F(StoreTest, AsyncWriteDoesNotMakeTheCallerWaitOnSqlite) {
  if (!PgBaseUrl().empty()) GTEST_SKIP() << "PostgreSQL runs each write on its caller's thread";
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<core::Status> result;
  store_->WriteAsync(
      [released](core::Transaction& tx) -> core::Status {
        // Were the write run on this test's thread, nothing would release it.
        if (released.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
          return core::Fail(core::Errc::kInternal, "the caller waited for its write");
        }
        return TwoEventsOrRefuse(tx, false);
      },
      [&result](core::Status st) { result.set_value(std::move(st)); });
  release.set_value();
  core::Status st = result.get_future().get();
  EXPECT_TRUE(st) << st.error().message;
  EXPECT_EQ(Verify().events, 2);
}

TEST_F(StoreTest, AWriteFromAnAsyncWritesAnswerRunsToo) {
  std::promise<core::Status> inner;
  store_->WriteAsync([](core::Transaction& tx) { return TwoEventsOrRefuse(tx, false); },
                     [&](core::Status st) {
                       EXPECT_TRUE(st);
                       inner.set_value(store_->Write(
                           [](core::Transaction& tx) { return TwoEventsOrRefuse(tx, false); }));
                     });
  auto future = inner.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  core::Status st = future.get();
  EXPECT_TRUE(st) << st.error().message;
  EXPECT_EQ(Verify().events, 4);
}

TEST_F(StoreTest, QueuedAsyncWritesCommitBeforeTheStoreGoes) {
  constexpr int kWrites = 300;
  Answers answers;
  for (int i = 0; i < kWrites; ++i) {
    store_->WriteAsync([](core::Transaction& tx) { return TwoEventsOrRefuse(tx, false); },
                       answers.Expect(true));
  }
  store_.reset();  // at once, with most of them still queued
  ASSERT_TRUE(answers.WaitAll());
  EXPECT_EQ(answers.wrong(), 0);
  store_ = std::make_unique<SqlStore>(*db_, *crypto_);
  const core::AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 2 * kWrites);
}

}  // namespace
}  // namespace rd::store
