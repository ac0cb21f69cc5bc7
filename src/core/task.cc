#include <array>
#include <utility>

#include "core/store.h"

namespace rd::core {
namespace {

constexpr std::array<std::pair<TaskStatus, const char*>, 6> kTaskStatuses{{
    {TaskStatus::kPending, "pending"},
    {TaskStatus::kWaiting, "waiting"},
    {TaskStatus::kRunning, "running"},
    {TaskStatus::kDone, "done"},
    {TaskStatus::kSkipped, "skipped"},
    {TaskStatus::kFailed, "failed"},
}};

}  // namespace

const char* TaskStatusName(TaskStatus s) {
  for (const auto& [value, name] : kTaskStatuses) {
    if (value == s) return name;
  }
  return "unknown";
}

std::optional<TaskStatus> ParseTaskStatus(std::string_view s) {
  for (const auto& [value, name] : kTaskStatuses) {
    if (s == name) return value;
  }
  return std::nullopt;
}

bool IsFinished(TaskStatus s) { return s == TaskStatus::kDone || s == TaskStatus::kSkipped; }

}  // namespace rd::core
