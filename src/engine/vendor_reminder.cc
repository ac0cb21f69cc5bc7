#include "engine/vendor_reminder.h"

#include "engine/email_delivery.h"

namespace rd::engine {

core::Status VendorReminder::Run(const core::Job& job) {
  const std::string id = PayloadField(job.payload, "task_id");
  if (id.empty()) return core::Fail(core::Errc::kInvalidArgument, "job without task_id");
  return remind_(id);
}

}  // namespace rd::engine
