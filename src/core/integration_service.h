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
  // Where this server is reached (server.public_url): callback URLs are built from it.
  std::string public_url = "http://127.0.0.1:8080";
  // connectors.webhook_callback_timeout: a task whose system accepted the job (202) and has
  // not called back after this fails, for an agent to retry.
  UnixTime callback_timeout_seconds = 7 * 86400;
  // An erasure task takes up to this many pending erasure tasks of its data source (itself
  // included) into one Connector::EraseMany call, bounded by the connector's
  // EraseBatchLimit(); 1 = each task alone (worker.erase_batch).
  std::size_t erase_batch = 500;
  // The jobs of the tasks a batch takes over wait this long before they may run on their
  // own: only if the batch's worker died (the worker lease, worker.lease).
  int batch_resume_seconds = 300;
};

// What a callback did to its task.
struct CallbackOutcome {
  std::string task_id;
  TaskStatus status = TaskStatus::kDone;                   // done or failed
  RequestStatus request_status = RequestStatus::kProcess;  // reply when it finished the last task
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
  //
  // An erasure takes other pending erasure tasks of the same source along (policy
  // erase_batch): in one transaction they become running ("task.started" with "batch_of") and
  // their own jobs are put off by batch_resume_seconds; one EraseMany erases every subject,
  // and each task is then recorded done with its subject's counts (its queued job marked
  // done), or, on an error, the batch's other tasks go back to pending (failed when the
  // mapping does not fit). A worker that dies mid-batch leaves them running; their own jobs
  // resume them after the put-off.
  [[nodiscard]] Status RunTask(const std::string& task_id, bool last_attempt);

  // A connector that defers (a webhook answering 202): the task is "waiting" ("task.deferred")
  // and a "task.callback_deadline" job is scheduled at now + callback_timeout_seconds.
  //
  // The callback of a waiting task (POST /api/v1/webhooks/tasks/{task_id}), checked by the
  // source's connector (ConnectorRegistry::ReadCallback): "completed" and "not_found" finish
  // the task with the counts ("task.completed", actor "webhook") and move the request on as
  // RunTask does; "failed" fails it for an agent to retry ("task.failed"). Each signature is
  // accepted once. A running task (its 202 not recorded yet) takes the callback too. Errors:
  // kNotFound (no such integration task); kUnauthenticated (bad or stale signature);
  // kInvalidArgument naming the field; kConflict for a replayed callback or a task that is not
  // waiting (or whose request left process). Nothing is stored on an error.
  [[nodiscard]] Result<CallbackOutcome> Callback(const std::string& task_id,
                                                 const CallbackMessage& msg);

  // A "task.callback_deadline" job: a task still waiting for its callback
  // callback_timeout_seconds after it started waiting fails ("task.failed", actor "system"),
  // for an agent to retry. Anything else (answered, retried meanwhile) is left as it is.
  [[nodiscard]] Status ExpireCallback(const std::string& task_id);

  // The URL a deferred task's system posts its outcome to.
  std::string CallbackUrl(const std::string& task_id) const;

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
  // The erasure of `task` (running) and of the pending tasks it takes along.
  [[nodiscard]] Status RunErasures(const Task& task, const PrivacyRequest& request,
                                   Connector& connector, bool last_attempt);

  // Running task → waiting for a callback, with its deadline job.
  [[nodiscard]] Status Defer(const std::string& task_id, const std::string& result,
                             const std::string& audit_detail);

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const ConnectorRegistry& connectors_;
  IntegrationPolicy policy_;
};

}  // namespace rd::core
