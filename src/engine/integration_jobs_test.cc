#include "engine/integration_jobs.h"

#include <gtest/gtest.h>

#include <vector>

namespace rd::engine {
namespace {

TEST(IntegrationTaskRunner, TellsTheServiceWhenItIsTheLastAttempt) {
  std::vector<std::pair<std::string, bool>> calls;
  IntegrationTaskRunner runner(
      [&](const std::string& id, bool last) -> core::Status {
        calls.emplace_back(id, last);
        return {};
      },
      3);
  core::Job job{"job_1", "task.run", R"({"task_id":"task_a"})", 0, 1};
  ASSERT_TRUE(runner.Run(job));
  job.attempts = 3;
  ASSERT_TRUE(runner.Run(job));
  EXPECT_EQ(calls,
            (std::vector<std::pair<std::string, bool>>{{"task_a", false}, {"task_a", true}}));
  job.payload = "{}";
  EXPECT_FALSE(runner.Run(job));
}

TEST(PrescanRunner, PassesTheRequestId) {
  std::string seen;
  PrescanRunner runner([&](const std::string& id) -> core::Status {
    seen = id;
    return {};
  });
  ASSERT_TRUE(runner.Run({"job_1", "request.prescan", R"({"request_id":"req_a"})", 0, 1}));
  EXPECT_EQ(seen, "req_a");
  EXPECT_FALSE(runner.Run({"job_2", "request.prescan", "not json", 0, 1}));
}

}  // namespace
}  // namespace rd::engine
