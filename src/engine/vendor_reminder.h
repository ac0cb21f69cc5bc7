#pragma once

#include <functional>
#include <string>

#include "core/result.h"
#include "engine/worker_pool.h"

namespace rd::engine {

// Runs "task.remind" jobs: {"task_id": "task_..."}. `remind` is WorkflowService::RemindVendor,
// which emails the vendor of a still-waiting email task a reminder and schedules the next one,
// or does nothing when the task was confirmed, skipped or sent again meanwhile (idempotent).
class VendorReminder final : public JobHandler {
 public:
  explicit VendorReminder(std::function<core::Status(const std::string&)> remind)
      : remind_(std::move(remind)) {}
  [[nodiscard]] core::Status Run(const core::Job& job) override;

 private:
  std::function<core::Status(const std::string&)> remind_;
};

}  // namespace rd::engine
