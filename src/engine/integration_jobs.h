#pragma once

#include <functional>
#include <string>

#include "core/result.h"
#include "engine/worker_pool.h"

namespace rd::engine {

// Runs "task.run" jobs: {"task_id": "task_..."}. `run` is IntegrationService::RunTask, told
// whether this claim is the job's last attempt (`max_attempts`, the pool's), so that the task
// is marked failed, for an agent to retry, before the pool buries the job.
class IntegrationTaskRunner final : public JobHandler {
 public:
  IntegrationTaskRunner(std::function<core::Status(const std::string&, bool)> run, int max_attempts)
      : run_(std::move(run)), max_attempts_(max_attempts) {}
  [[nodiscard]] core::Status Run(const core::Job& job) override;

 private:
  std::function<core::Status(const std::string&, bool)> run_;
  int max_attempts_;
};

// Runs "request.prescan" jobs: {"request_id": "req_..."}. `scan` is
// IntegrationService::Prescan.
class PrescanRunner final : public JobHandler {
 public:
  explicit PrescanRunner(std::function<core::Status(const std::string&)> scan)
      : scan_(std::move(scan)) {}
  [[nodiscard]] core::Status Run(const core::Job& job) override;

 private:
  std::function<core::Status(const std::string&)> scan_;
};

// Runs "task.callback_deadline" jobs: {"task_id": "task_..."}. `expire` is
// IntegrationService::ExpireCallback.
class CallbackDeadlineRunner final : public JobHandler {
 public:
  explicit CallbackDeadlineRunner(std::function<core::Status(const std::string&)> expire)
      : expire_(std::move(expire)) {}
  [[nodiscard]] core::Status Run(const core::Job& job) override;

 private:
  std::function<core::Status(const std::string&)> expire_;
};

}  // namespace rd::engine
