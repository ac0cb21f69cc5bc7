#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/privacy_request.h"
#include "core/result.h"
#include "core/store.h"
#include "core/template_service.h"

namespace rd::core {

struct WorkflowPolicy {
  // workflow.vendor_reminder_after: a vendor that has not confirmed is reminded after this.
  int vendor_reminder_after_seconds = 7 * 86400;
  // workflow.vendor_max_reminders: reminders per email task (0: none).
  int vendor_max_reminders = 3;
};

struct ContinueResult {
  PrivacyRequest request;   // in process, or already in reply when no source was chosen
  std::vector<Task> tasks;  // in creation order
};

struct TaskChange {
  Task task;
  RequestStatus request_status;  // reply when this change finished the last task
};

// What the vendor's confirmation page shows: no identities.
struct VendorTaskView {
  std::string task_id;
  std::string reference;
  std::string org_name;
  std::string type;        // the request's type key
  std::string type_label;  // how emails name it ("deletion", "data copy", ...)
  std::string source_name;
  TaskStatus status = TaskStatus::kWaiting;
  // The vendor still has something to confirm: the task is open and the request in process.
  bool action_needed = false;
  UnixTime due_at = 0;
};

// process → reply when every task of `q` (in process) is finished, with the
// "request.tasks_finished" audit event; returns the request's status afterwards. For the
// services that finish tasks (WorkflowService, IntegrationService), inside their transaction.
[[nodiscard]] Result<RequestStatus> FinishIfTasksDone(Transaction& tx, const PrivacyRequest& q,
                                                      UnixTime now);
// Queues the "task.run" job that runs an integration task ({"task_id"}).
[[nodiscard]] Status QueueIntegrationRun(Transaction& tx, const Task& t, UnixTime now);
// The payload of the "task.run" job of task `task_id`.
std::string IntegrationRunPayload(const std::string& task_id);

// The Process stage (PRODUCT.md §1): continue a request in review onto the chosen data
// sources, one task per source; tasks done by agents, confirmed by vendors through the signed
// link in their email, or skipped with a reason; vendor reminders; and the request's move to
// reply once every task is finished. Each change, its audit events and the emails and jobs it
// causes commit in one transaction. Audit details carry ids and counts, never identities or
// notes. Thread-safe.
class WorkflowService {
 public:
  WorkflowService(Store& store, const Crypto& crypto, const Clock& clock,
                  const TemplateService& templates, WorkflowPolicy policy);

  // True when `ds` is in use (not archived) and handles the request's type (its
  // request_types is empty or holds the type key).
  static bool Handles(const DataSource& ds, const PrivacyRequest& q);

  // The pre-selection for `q`: every source in request handling that handles its type.
  [[nodiscard]] Result<std::vector<DataSource>> ApplicableSources(const PrivacyRequest& q);

  // Continues a request in review onto `data_source_ids` (the pre-selection when nullopt): one
  // task per source (manual: pending; email: waiting, the vendor emailed and a "task.remind"
  // job scheduled; integration: pending, a "task.run" job queued); a do_not_mail subject's address
  // joins the suppression list. With no source the request goes straight on to reply. Errors:
  // kNotFound; kConflict when the request is not in review or is on hold; kInvalidArgument naming
  // the id that is unknown, archived, listed twice or does not handle the request's type (nothing
  // is stored then).
  [[nodiscard]] Result<ContinueResult> Continue(const std::string& request_id,
                                                const std::optional<std::vector<std::string>>& ids,
                                                const std::string& actor);

  // The request's tasks, in creation order. kNotFound when there is no such request.
  [[nodiscard]] Result<std::vector<Task>> Tasks(const std::string& request_id);

  // Task operations, only while the request is in process (kConflict otherwise); kNotFound
  // for a task of another request. After a completion or skip that leaves every task
  // finished, the request moves to reply by itself ("request.tasks_finished").
  //
  // Marks a pending or waiting task done with the agent's note (at most 5000 bytes; stored on
  // the task, not in the audit log). kConflict when the task is not open.
  [[nodiscard]] Result<TaskChange> CompleteTask(const std::string& request_id,
                                                const std::string& task_id, const std::string& note,
                                                const std::string& actor);
  // Skips an unfinished task; `reason` is required. kConflict when it is done or skipped.
  [[nodiscard]] Result<TaskChange> SkipTask(const std::string& request_id,
                                            const std::string& task_id, const std::string& reason,
                                            const std::string& actor);
  // An email task still waiting: sends the vendor email again (a new message; reminders start
  // over). A failed task: back to pending (an integration task is queued to run again).
  // kConflict for anything else.
  [[nodiscard]] Result<TaskChange> RetryTask(const std::string& request_id,
                                             const std::string& task_id, const std::string& actor);

  // The vendor's view of an email task, when `token` is its link's secret (VendorToken). The
  // same kNotFound for a wrong token and an unknown task.
  [[nodiscard]] Result<VendorTaskView> VendorView(const std::string& task_id,
                                                  const std::string& token);
  // The vendor confirms: the task is done (actor "vendor"). Idempotent: a task already done
  // (or no longer open) is reported as it is. kNotFound as VendorView; kInvalidArgument for a
  // note over 5000 bytes.
  [[nodiscard]] Result<VendorTaskView> VendorConfirm(const std::string& task_id,
                                                     const std::string& token,
                                                     const std::string& note);

  // "task.remind" jobs: if the email task is still waiting, its request in process and fewer
  // than the maximum reminders were sent, emails the vendor a reminder and schedules the next.
  // Otherwise, or for a job superseded by a later send (retry), does nothing.
  [[nodiscard]] Status RemindVendor(const std::string& task_id);

  // The suppression list, oldest first. limit 1..1000; kInvalidArgument for a bad cursor.
  [[nodiscard]] Result<SuppressionPage> Suppressed(int limit, const std::string& cursor);

 private:
  using TaskEdit = std::function<Status(Transaction&, const PrivacyRequest&, Task&, UnixTime now)>;
  // Loads the request (must be in process) and its task, applies `edit`, stores the task and
  // moves the request to reply when every task is finished.
  [[nodiscard]] Result<TaskChange> ChangeTask(const std::string& request_id,
                                              const std::string& task_id, const TaskEdit& edit);
  [[nodiscard]] Result<std::vector<DataSource>> Applicable(Transaction& tx,
                                                           const PrivacyRequest& q);
  // The sources `ids` names, each checked to exist, be in use and handle the request's type.
  [[nodiscard]] Result<std::vector<DataSource>> Chosen(Transaction& tx, const PrivacyRequest& q,
                                                       const std::vector<std::string>& ids);
  // One task for `ds`, with its audit event and, for an email source, the vendor email.
  [[nodiscard]] Result<Task> CreateTask(Transaction& tx, const PrivacyRequest& q,
                                        const DataSource& ds, const std::string& actor,
                                        UnixTime now);
  // Adds a do_not_mail subject's address to the suppression list (once).
  [[nodiscard]] Status Suppress(Transaction& tx, const PrivacyRequest& q, const std::string& actor,
                                UnixTime now);
  // Queues the vendor_request email of an email task and schedules its first reminder.
  [[nodiscard]] Status SendVendorRequest(Transaction& tx, const PrivacyRequest& q, const Task& t,
                                         const std::string& actor, UnixTime now);
  // process → reply when every task is finished; returns the request's status afterwards.
  [[nodiscard]] Result<RequestStatus> FinishIfDone(Transaction& tx, const PrivacyRequest& q,
                                                   UnixTime now);
  VendorTaskView ViewOf(const PrivacyRequest& q, const Task& t) const;

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const TemplateService& templates_;
  WorkflowPolicy policy_;
};

}  // namespace rd::core
