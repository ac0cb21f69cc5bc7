#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/connector.h"
#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

struct IntegrationPolicy {
  // Unused since a copy's rows go to a sealed spool (package_service.h) instead of the task's
  // result; kept for configurations that still set it.
  std::size_t max_export_rows = 1000;
};

// Which connector call a request type makes: deletion → "erase", copy → "export",
// do_not_sell and do_not_mail → "opt_out"; "" for the types integrations do not handle
// (right_to_edit and custom rights are manual).
std::string IntegrationAction(const PrivacyRequest& q);

// The subject's identities as connectors search them: "email" and, when given,
// "phone_number".
Identities SubjectIdentities(const PrivacyRequest& q);

// Runs integration tasks and the review pre-scan through the ConnectorRegistry. The
// connector's work happens outside any store transaction; what it did is recorded after, in
// one transaction with its audit events (counts, never identities). Thread-safe.
class IntegrationService {
 public:
  IntegrationService(Store& store, const Crypto& crypto, const Clock& clock,
                     const ConnectorRegistry& connectors, IntegrationPolicy policy);

  // A "task.run" job. For a pending (or running: its worker died) integration task of a
  // request in process: marks it running ("task.started"), runs the connector by the
  // request's type, then marks it done with the connector's counts as its result
  // ("task.completed") and moves the request on to reply when every task is finished.
  // A task for a type integrations do not handle, or a source whose mapping does not fit,
  // fails at once ("task.failed"). Any other error is returned for the job to be retried,
  // with the task back to pending and the error in its result; on the `last_attempt` the task
  // fails instead. A task that is no longer open, or whose request left process, is left as
  // it is. Idempotent, as the connectors are.
  [[nodiscard]] Status RunTask(const std::string& task_id, bool last_attempt);

  // A "request.prescan" job: for a request in review, Find on every integration source that
  // applies to it (SourceApplies), storing per source the rows found per collection, or why
  // the source could not be searched. Does nothing for a request no longer in review.
  [[nodiscard]] Status Prescan(const std::string& request_id);

  // The request's pre-scan entries, by data source id.
  [[nodiscard]] Result<std::vector<PrescanEntry>> PrescanOf(const std::string& request_id);

 private:
  // Records the outcome of a run: done with `result`, back to pending, or failed.
  [[nodiscard]] Status Record(const std::string& task_id, TaskStatus status,
                              const std::string& result, const std::string& audit_kind,
                              const std::string& audit_detail);

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const ConnectorRegistry& connectors_;
  IntegrationPolicy policy_;
};

}  // namespace rd::core
