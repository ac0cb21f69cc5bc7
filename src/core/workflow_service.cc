#include "core/workflow_service.h"

#include <algorithm>
#include <set>

#include "core/audit_trail.h"
#include "core/free_text.h"
#include "core/ids.h"
#include "core/json_text.h"
#include "core/links.h"
#include "core/outbox.h"
#include "core/package_service.h"
#include "core/request_service.h"
#include "core/status_machine.h"
#include "core/vendor_email.h"

namespace rd::core {
namespace {

constexpr std::size_t kMaxSourcesPerRequest = 100;

Status CheckNote(const std::string& field, const std::string& text) {
  if (text.size() > kMaxNoteBytes || HasControlCharacters(text, true)) {
    return Fail(Errc::kInvalidArgument, field + ": at most 5000 characters, no control characters");
  }
  return {};
}

std::string TaskDetail(const Task& t) { return "{\"task_id\":" + JsonString(t.id) + "}"; }

// The shape of a data_source_ids list, before anything is read.
Status CheckIdList(const std::vector<std::string>& ids) {
  if (ids.size() > kMaxSourcesPerRequest) {
    return Fail(Errc::kInvalidArgument, "data_source_ids: at most 100 sources");
  }
  std::set<std::string> seen;
  for (const auto& id : ids) {
    if (id.empty() || id.size() > 64) {
      return Fail(Errc::kInvalidArgument, "data_source_ids: each entry is a data source id");
    }
    if (!seen.insert(id).second) {
      return Fail(Errc::kInvalidArgument, "data_source_ids: " + id + " is listed twice");
    }
  }
  return {};
}

bool IsOpenTask(TaskStatus s) { return s == TaskStatus::kPending || s == TaskStatus::kWaiting; }

}  // namespace

WorkflowService::WorkflowService(Store& store, const Crypto& crypto, const Clock& clock,
                                 const TemplateService& templates, WorkflowPolicy policy)
    : store_(store), crypto_(crypto), clock_(clock), templates_(templates), policy_(policy) {}

bool WorkflowService::Handles(const DataSource& ds, const PrivacyRequest& q) {
  if (ds.archived) return false;
  if (ds.request_types.empty()) return true;
  const std::string key = TypeKey(q);
  return std::find(ds.request_types.begin(), ds.request_types.end(), key) != ds.request_types.end();
}

Result<std::vector<DataSource>> WorkflowService::Applicable(Transaction& tx,
                                                            const PrivacyRequest& q) {
  auto all = tx.DataSources().List();
  if (!all) return all;
  std::vector<DataSource> out;
  for (auto& ds : *all) {
    if (ds.request_handling && Handles(ds, q)) out.push_back(std::move(ds));
  }
  return out;
}

Result<std::vector<DataSource>> WorkflowService::ApplicableSources(const PrivacyRequest& q) {
  Result<std::vector<DataSource>> out = std::vector<DataSource>{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = Applicable(tx, q);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Status WorkflowService::SendVendorRequest(Transaction& tx, const PrivacyRequest& q, const Task& t,
                                          const std::string& actor, UnixTime now) {
  auto mail = templates_.Render(tx, "vendor_request", VendorEmailData(templates_, crypto_, q, t));
  if (!mail) return tl::unexpected(mail.error());
  auto queued =
      QueueEmail(tx, crypto_,
                 {q.id, t.contact_email, actor, mail->subject, mail->body, "vendor_request"}, now);
  if (!queued) return tl::unexpected(queued.error());
  if (policy_.vendor_max_reminders <= 0) return {};
  return tx.Jobs().Enqueue({"", "task.remind", "{\"task_id\":" + JsonString(t.id) + "}",
                            now + policy_.vendor_reminder_after_seconds});
}

Result<RequestStatus> WorkflowService::FinishIfDone(Transaction& tx, const PrivacyRequest& q,
                                                    UnixTime now) {
  return FinishIfTasksDone(tx, q, now);
}

std::string IntegrationRunPayload(const std::string& task_id) {
  return "{\"task_id\":" + JsonString(task_id) + "}";
}

Status QueueIntegrationRun(Transaction& tx, const Task& t, UnixTime now) {
  return tx.Jobs().Enqueue({"", "task.run", IntegrationRunPayload(t.id), now});
}

Result<RequestStatus> FinishIfTasksDone(Transaction& tx, const PrivacyRequest& q, UnixTime now) {
  auto tasks = tx.Tasks().ListForRequest(q.id);
  if (!tasks) return tl::unexpected(tasks.error());
  int done = 0;
  int skipped = 0;
  for (const Task& t : *tasks) {
    if (!IsFinished(t.status)) return q.status;
    (t.status == TaskStatus::kDone ? done : skipped)++;
  }
  auto next = Apply(q.status, RequestAction::kTasksFinished, Actor::kSystem);
  if (!next) return tl::unexpected(next.error());
  if (auto s = tx.Requests().Transition(q.id, q.status, next->to, next->outcome, now); !s) {
    return tl::unexpected(s.error());
  }
  // A copy request's package is built from the export spools before the reply.
  if (next->to == RequestStatus::kReply) {
    if (auto s = QueuePackageBuild(tx, q, now); !s) return tl::unexpected(s.error());
  }
  if (auto s = AppendAudit(
          tx, "system", q.id, "request.tasks_finished",
          "{\"done\":" + std::to_string(done) + ",\"skipped\":" + std::to_string(skipped) + "}",
          now);
      !s) {
    return tl::unexpected(s.error());
  }
  return next->to;
}

Result<std::vector<DataSource>> WorkflowService::Chosen(Transaction& tx, const PrivacyRequest& q,
                                                        const std::vector<std::string>& ids) {
  std::vector<DataSource> sources;
  for (const auto& id : ids) {
    auto ds = tx.DataSources().Get(id);
    if (!ds) {
      if (ds.error().code != Errc::kNotFound) return tl::unexpected(ds.error());
      return Fail(Errc::kInvalidArgument, "data_source_ids: no data source " + id);
    }
    if (ds->archived) {
      return Fail(Errc::kInvalidArgument, "data_source_ids: " + id + " is archived");
    }
    if (!Handles(*ds, q)) {
      return Fail(Errc::kInvalidArgument,
                  "data_source_ids: " + id + " does not handle " + TypeKey(q) + " requests");
    }
    sources.push_back(std::move(*ds));
  }
  return sources;
}

Result<Task> WorkflowService::CreateTask(Transaction& tx, const PrivacyRequest& q,
                                         const DataSource& ds, const std::string& actor,
                                         UnixTime now) {
  Task t;
  t.id = NewId(crypto_, "task_");
  t.request_id = q.id;
  t.data_source_id = ds.id;
  t.source_name = ds.name;
  t.process = ds.process;
  t.status = ds.process == "email" ? TaskStatus::kWaiting : TaskStatus::kPending;
  t.instructions = ds.instructions;
  t.contact_email = ds.process == "email" ? ds.contact_email : "";
  t.result = "{}";
  t.created_at = t.updated_at = now;
  if (auto s = tx.Tasks().Insert(t); !s) return tl::unexpected(s.error());
  if (auto s = AppendAudit(tx, actor, q.id, "task.created",
                           "{\"task_id\":" + JsonString(t.id) + ",\"data_source_id\":" +
                               JsonString(ds.id) + ",\"process\":" + JsonString(ds.process) + "}",
                           now);
      !s) {
    return tl::unexpected(s.error());
  }
  if (t.process == "email") {
    if (auto s = SendVendorRequest(tx, q, t, actor, now); !s) return tl::unexpected(s.error());
  }
  if (t.process == "integration") {
    if (auto s = QueueIntegrationRun(tx, t, now); !s) return tl::unexpected(s.error());
  }
  return t;
}

Status WorkflowService::Suppress(Transaction& tx, const PrivacyRequest& q, const std::string& actor,
                                 UnixTime now) {
  const std::string& email = q.subject.email;
  auto added = tx.Suppression().Add(
      {crypto_.IdentityHash(email), email, crypto_.Sha256Hex(email), q.id, now});
  if (!added) return tl::unexpected(added.error());
  if (!*added) return {};  // listed before, by an earlier request
  return AppendAudit(tx, actor, q.id, "suppression.added",
                     "{\"request_id\":" + JsonString(q.id) + "}", now);
}

Result<ContinueResult> WorkflowService::Continue(const std::string& request_id,
                                                 const std::optional<std::vector<std::string>>& ids,
                                                 const std::string& actor) {
  if (ids) {
    if (auto s = CheckIdList(*ids); !s) return tl::unexpected(s.error());
  }
  const UnixTime now = clock_.Now();
  ContinueResult out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return tl::unexpected(q.error());
    auto next = Apply(q->status, RequestAction::kContinue, Actor::kAgent);
    if (!next) return tl::unexpected(next.error());
    if (!q->hold_reason.empty()) {
      return Fail(Errc::kConflict, "the request is on hold: release it first");
    }
    auto sources = ids ? Chosen(tx, *q, *ids) : Applicable(tx, *q);
    if (!sources) return tl::unexpected(sources.error());
    if (auto s = tx.Requests().Transition(request_id, q->status, next->to, next->outcome, now);
        !s) {
      return s;
    }
    std::string source_ids;
    for (const auto& ds : *sources) {
      source_ids += (source_ids.empty() ? "" : ",") + JsonString(ds.id);
    }
    if (auto s = AppendAudit(
            tx, actor, request_id, "request.continued",
            "{\"sources\":[" + source_ids + "],\"tasks\":" + std::to_string(sources->size()) + "}",
            now);
        !s) {
      return s;
    }
    q->status = next->to;
    q->updated_at = now;
    for (const auto& ds : *sources) {
      auto t = CreateTask(tx, *q, ds, actor, now);
      if (!t) return tl::unexpected(t.error());
      out.tasks.push_back(std::move(*t));
    }
    if (q->type == RequestType::kDoNotMail) {
      if (auto s = Suppress(tx, *q, actor, now); !s) return s;
    }
    auto status = FinishIfDone(tx, *q, now);  // no source: straight on to reply
    if (!status) return tl::unexpected(status.error());
    q->status = *status;
    out.request = std::move(*q);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<std::vector<Task>> WorkflowService::Tasks(const std::string& request_id) {
  Result<std::vector<Task>> out = std::vector<Task>{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    if (auto q = tx.Requests().Get(request_id); !q) return tl::unexpected(q.error());
    out = tx.Tasks().ListForRequest(request_id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<TaskChange> WorkflowService::ChangeTask(const std::string& request_id,
                                               const std::string& task_id, const TaskEdit& edit) {
  const UnixTime now = clock_.Now();
  TaskChange out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return tl::unexpected(q.error());
    if (q->status != RequestStatus::kProcess) {
      return Fail(Errc::kConflict, std::string("the request is in status ") +
                                       RequestStatusName(q->status) +
                                       ": tasks change only while it is in process");
    }
    // Locks the request row (a no-op status write), so that two agents finishing the last two
    // tasks at once on PostgreSQL cannot both miss that every task is finished.
    if (auto s = tx.Requests().Transition(request_id, q->status, q->status, std::nullopt, now);
        !s) {
      return s;
    }
    auto t = tx.Tasks().Get(task_id);
    if (!t || t->request_id != request_id) {
      if (!t && t.error().code != Errc::kNotFound) return tl::unexpected(t.error());
      return Fail(Errc::kNotFound, "no such task in this request");
    }
    const TaskStatus before = t->status;
    if (auto s = edit(tx, *q, *t, now); !s) return s;
    t->updated_at = now;
    if (auto s = tx.Tasks().Update(*t, before); !s) return s;
    auto status = FinishIfDone(tx, *q, now);
    if (!status) return tl::unexpected(status.error());
    out = {std::move(*t), *status};
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<TaskChange> WorkflowService::CompleteTask(const std::string& request_id,
                                                 const std::string& task_id,
                                                 const std::string& note,
                                                 const std::string& actor) {
  if (auto s = CheckNote("note", note); !s) return tl::unexpected(s.error());
  return ChangeTask(
      request_id, task_id,
      [&](Transaction& tx, const PrivacyRequest&, Task& t, UnixTime now) -> Status {
        if (!IsOpenTask(t.status)) {
          return Fail(Errc::kConflict, std::string("the task is ") + TaskStatusName(t.status) +
                                           ": only pending or waiting tasks complete");
        }
        t.status = TaskStatus::kDone;
        t.note = note;
        t.completed_by = actor;
        t.completed_at = now;
        return AppendAudit(
            tx, actor, request_id, "task.completed",
            "{\"task_id\":" + JsonString(t.id) + ",\"by\":" + JsonString(actor) + "}", now);
      });
}

Result<TaskChange> WorkflowService::SkipTask(const std::string& request_id,
                                             const std::string& task_id, const std::string& reason,
                                             const std::string& actor) {
  if (reason.empty()) return Fail(Errc::kInvalidArgument, "reason: required (why it is skipped)");
  if (auto s = CheckNote("reason", reason); !s) return tl::unexpected(s.error());
  return ChangeTask(request_id, task_id,
                    [&](Transaction& tx, const PrivacyRequest&, Task& t, UnixTime now) -> Status {
                      if (IsFinished(t.status)) {
                        return Fail(Errc::kConflict,
                                    std::string("the task is already ") + TaskStatusName(t.status));
                      }
                      t.status = TaskStatus::kSkipped;
                      t.note = reason;
                      t.completed_by = actor;
                      t.completed_at = now;
                      return AppendAudit(tx, actor, request_id, "task.skipped", TaskDetail(t), now);
                    });
}

Result<TaskChange> WorkflowService::RetryTask(const std::string& request_id,
                                              const std::string& task_id,
                                              const std::string& actor) {
  return ChangeTask(request_id, task_id,
                    [&](Transaction& tx, const PrivacyRequest& q, Task& t, UnixTime now) -> Status {
                      if (t.process == "email" && t.status == TaskStatus::kWaiting) {
                        // A new message; reminders count again from here. The reminder jobs
                        // scheduled before see the task changed after them and stand down
                        // (RemindVendor).
                        t.reminders = 0;
                        if (auto s = SendVendorRequest(tx, q, t, actor, now); !s) return s;
                      } else if (t.status == TaskStatus::kFailed) {
                        t.status = TaskStatus::kPending;
                        if (t.process == "integration") {
                          if (auto s = QueueIntegrationRun(tx, t, now); !s) return s;
                        }
                      } else {
                        return Fail(Errc::kConflict,
                                    std::string("the task is ") + TaskStatusName(t.status) +
                                        ": only a failed task, or an email task still "
                                        "waiting for the vendor, can be retried");
                      }
                      return AppendAudit(tx, actor, request_id, "task.retried", TaskDetail(t), now);
                    });
}

VendorTaskView WorkflowService::ViewOf(const PrivacyRequest& q, const Task& t) const {
  VendorTaskView v;
  v.task_id = t.id;
  v.reference = q.reference;
  v.org_name = templates_.org().org_name;
  v.type = TypeKey(q);
  v.type_label = TypeLabel(q);
  v.source_name = t.source_name;
  v.status = t.status;
  v.action_needed = IsOpenTask(t.status) && q.status == RequestStatus::kProcess;
  v.due_at = q.due_at;
  return v;
}

Result<VendorTaskView> WorkflowService::VendorView(const std::string& task_id,
                                                   const std::string& token) {
  if (!IsVendorToken(crypto_, task_id, token)) {
    return Fail(Errc::kNotFound, "no such task, or the link is not valid");
  }
  Result<VendorTaskView> out = Fail(Errc::kNotFound, "no such task, or the link is not valid");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return t.error().code == Errc::kNotFound ? Status{} : tl::unexpected(t.error());
    if (t->process != "email") return {};
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    out = ViewOf(*q, *t);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<VendorTaskView> WorkflowService::VendorConfirm(const std::string& task_id,
                                                      const std::string& token,
                                                      const std::string& note) {
  if (!IsVendorToken(crypto_, task_id, token)) {
    return Fail(Errc::kNotFound, "no such task, or the link is not valid");
  }
  if (auto s = CheckNote("note", note); !s) return tl::unexpected(s.error());
  const UnixTime now = clock_.Now();
  Result<VendorTaskView> out = Fail(Errc::kNotFound, "no such task, or the link is not valid");
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return t.error().code == Errc::kNotFound ? Status{} : tl::unexpected(t.error());
    if (t->process != "email") return {};
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    if (!IsOpenTask(t->status) || q->status != RequestStatus::kProcess) {
      out = ViewOf(*q, *t);  // confirmed before, skipped, or the request moved on
      return {};
    }
    if (auto s = tx.Requests().Transition(q->id, q->status, q->status, std::nullopt, now); !s) {
      return s;
    }
    const TaskStatus before = t->status;
    t->status = TaskStatus::kDone;
    t->note = note;
    t->completed_by = "vendor";
    t->completed_at = now;
    t->updated_at = now;
    if (auto s = tx.Tasks().Update(*t, before); !s) return s;
    if (auto s = AppendAudit(tx, "vendor", q->id, "task.completed",
                             "{\"task_id\":" + JsonString(t->id) + ",\"by\":\"vendor\"}", now);
        !s) {
      return s;
    }
    auto status = FinishIfDone(tx, *q, now);
    if (!status) return tl::unexpected(status.error());
    out = ViewOf(*q, *t);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Status WorkflowService::RemindVendor(const std::string& task_id) {
  const UnixTime now = clock_.Now();
  const int delay = policy_.vendor_reminder_after_seconds;
  // A little tolerance for clocks of several worker machines; a tenth of the delay, at most
  // five minutes, is far less than the time between two sends of one task.
  const int slack = std::min(delay / 10, 300);
  return store_.Write([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return t.error().code == Errc::kNotFound ? Status{} : tl::unexpected(t.error());
    if (t->process != "email" || t->status != TaskStatus::kWaiting ||
        t->reminders >= policy_.vendor_max_reminders) {
      return {};
    }
    // Every send (the request, a retry, a reminder) touches the task; a job scheduled before
    // the latest send is superseded by the one that send scheduled.
    if (now + slack < t->updated_at + delay) return {};
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    if (q->status != RequestStatus::kProcess) return {};
    auto mail =
        templates_.Render(tx, "vendor_reminder", VendorEmailData(templates_, crypto_, *q, *t));
    if (!mail) return tl::unexpected(mail.error());
    auto queued = QueueEmail(
        tx, crypto_,
        {q->id, t->contact_email, "system", mail->subject, mail->body, "vendor_reminder"}, now);
    if (!queued) return tl::unexpected(queued.error());
    t->reminders += 1;
    t->updated_at = now;
    if (auto s = tx.Tasks().Update(*t, TaskStatus::kWaiting); !s) return s;
    if (auto s = AppendAudit(tx, "system", q->id, "task.reminded",
                             "{\"task_id\":" + JsonString(t->id) +
                                 ",\"reminder\":" + std::to_string(t->reminders) + "}",
                             now);
        !s) {
      return s;
    }
    if (t->reminders >= policy_.vendor_max_reminders) return {};
    return tx.Jobs().Enqueue(
        {"", "task.remind", "{\"task_id\":" + JsonString(t->id) + "}", now + delay});
  });
}

Result<SuppressionPage> WorkflowService::Suppressed(int limit, const std::string& cursor) {
  if (limit < 1 || limit > 1000) {
    return Fail(Errc::kInvalidArgument, "limit: a whole number from 1 to 1000");
  }
  Result<SuppressionPage> out = SuppressionPage{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.Suppression().List(limit, cursor);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
