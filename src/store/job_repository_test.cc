// The job queue on both databases: due order, leases, takeover, concurrent workers.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "store/store_test_fixture.h"

namespace rd::store {
namespace {

TEST_F(StoreTest, JobsAreCountedByStatus) {
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Jobs().Enqueue({"", "email.send", "{}", 10}); !s) return s;
    return tx.Jobs().Enqueue({"", "email.send", "{}", 10});
  }));
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    auto counts = tx.Jobs().CountByStatus();
    EXPECT_TRUE(counts);
    EXPECT_EQ((*counts)["queued"], 2);
    return {};
  }));
}

TEST_F(StoreTest, JobsAreClaimedDueFirstAndFinished) {
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Jobs().Enqueue({"job_late", "k", "{}", 300}); !s) return s;
    if (auto s = tx.Jobs().Enqueue({"job_early", "k", "{\"n\":1}", 100}); !s) return s;
    return tx.Jobs().Enqueue({"job_future", "k", "{}", 10'000});
  }));
  auto claim = [&](const std::string& worker, core::UnixTime now) {
    std::optional<core::Job> job;
    EXPECT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
      auto j = tx.Jobs().Claim(worker, now, 60);
      if (!j) return tl::unexpected(j.error());
      job = *j;
      return {};
    }));
    return job;
  };
  auto first = claim("w1", 500);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "job_early");
  EXPECT_EQ(first->payload, "{\"n\":1}");
  EXPECT_EQ(first->attempts, 1);
  EXPECT_EQ(claim("w2", 500)->id, "job_late");
  EXPECT_FALSE(claim("w3", 500)) << "job_future is not due";

  // w1 finishes; w2's lease (until 560) expires and w3 takes the job over.
  ASSERT_TRUE(store_->Write(
      [&](core::Transaction& tx) { return tx.Jobs().Complete("job_early", "w1", 510); }));
  auto taken_over = claim("w3", 561);
  ASSERT_TRUE(taken_over);
  EXPECT_EQ(taken_over->id, "job_late");
  EXPECT_EQ(taken_over->attempts, 2);
  // The old holder can no longer finish it.
  auto stale = store_->Write(
      [&](core::Transaction& tx) { return tx.Jobs().Complete("job_late", "w2", 562); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::Errc::kConflict);
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) {
    return tx.Jobs().Retry("job_late", "w3", 900, "smtp: connection refused", 563);
  }));
  EXPECT_FALSE(claim("w4", 899));
  auto retried = claim("w4", 900);
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->attempts, 3);
  ASSERT_TRUE(store_->Write(
      [&](core::Transaction& tx) { return tx.Jobs().Bury("job_late", "w4", "gave up", 901); }));
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    auto counts = tx.Jobs().CountByStatus();
    EXPECT_EQ((*counts)["done"], 1);
    EXPECT_EQ((*counts)["failed"], 1);
    EXPECT_EQ((*counts)["queued"], 1);
    return {};
  }));
}

TEST_F(StoreTest, ConcurrentWorkerProcessesNeverClaimTheSameJob) {
  constexpr int kJobs = 120;
  constexpr int kWorkers = 4;
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    for (int i = 0; i < kJobs; ++i) {
      if (auto s = tx.Jobs().Enqueue({"", "k", "{}", i}); !s) return s;
    }
    return {};
  }));
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::vector<pid_t> children;
  for (int w = 0; w < kWorkers; ++w) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      auto db = Database::Open(url_, 1);
      if (!db) _exit(3);
      SqlStore store(**db, *crypto_);
      const std::string me = "worker" + std::to_string(w);
      for (;;) {
        std::optional<core::Job> job;
        auto st = store.Write([&](core::Transaction& tx) -> core::Status {
          auto j = tx.Jobs().Claim(me, 1'000'000, 600);
          if (!j) return tl::unexpected(j.error());
          job = *j;
          if (job) return tx.Jobs().Complete(job->id, me, 1'000'000);
          return {};
        });
        if (!st) _exit(4);
        if (!job) break;
        const std::string line = job->id + "\n";
        if (write(fds[1], line.data(), line.size()) < 0) _exit(5);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  close(fds[1]);
  std::string claimed;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) claimed.append(buf, n);
  close(fds[0]);
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::vector<std::string> ids;
  for (std::size_t pos = 0, nl; (nl = claimed.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    ids.push_back(claimed.substr(pos, nl - pos));
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kJobs));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "a job was claimed twice";
}

}  // namespace
}  // namespace rd::store
