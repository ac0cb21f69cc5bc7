#include "engine/integration_jobs.h"

#include "engine/email_delivery.h"

namespace rd::engine {

core::Status IntegrationTaskRunner::Run(const core::Job& job) {
  const std::string id = PayloadField(job.payload, "task_id");
  if (id.empty()) return core::Fail(core::Errc::kInvalidArgument, "job without task_id");
  return run_(id, job.attempts >= max_attempts_);
}

core::Status PrescanRunner::Run(const core::Job& job) {
  const std::string id = PayloadField(job.payload, "request_id");
  if (id.empty()) return core::Fail(core::Errc::kInvalidArgument, "job without request_id");
  return scan_(id);
}

core::Status CallbackDeadlineRunner::Run(const core::Job& job) {
  const std::string id = PayloadField(job.payload, "task_id");
  if (id.empty()) return core::Fail(core::Errc::kInvalidArgument, "job without task_id");
  return expire_(id);
}

}  // namespace rd::engine
