#include "core/integration_service.h"

#include <algorithm>

#include "core/audit_trail.h"
#include "core/data_source.h"
#include "core/json_text.h"
#include "core/package_service.h"
#include "core/workflow_service.h"

namespace rd::core {
namespace {

std::string TaskDetail(const Task& t, const std::string& action) {
  return "{\"task_id\":" + JsonString(t.id) +
         ",\"data_source_id\":" + JsonString(t.data_source_id) +
         ",\"action\":" + JsonString(action);
}

std::string ErrorResult(const std::string& action, const std::string& error) {
  return "{\"action\":" + JsonString(action) + ",\"error\":" + JsonString(error) + "}";
}

}  // namespace

std::string IntegrationAction(const PrivacyRequest& q) {
  switch (q.type) {
    case RequestType::kDeletion:
      return "erase";
    case RequestType::kCopy:
      return "export";
    case RequestType::kDoNotSell:
    case RequestType::kDoNotMail:
      return "opt_out";
    default:
      return "";
  }
}

Identities SubjectIdentities(const PrivacyRequest& q) {
  Identities ids{{"email", q.subject.email}};
  if (!q.subject.phone.empty()) ids["phone_number"] = q.subject.phone;
  return ids;
}

IntegrationService::IntegrationService(Store& store, const Crypto& crypto, const Clock& clock,
                                       const ConnectorRegistry& connectors,
                                       IntegrationPolicy policy)
    : store_(store), crypto_(crypto), clock_(clock), connectors_(connectors), policy_(policy) {}

Status IntegrationService::Record(const std::string& task_id, TaskStatus status,
                                  const std::string& result, const std::string& audit_kind,
                                  const std::string& audit_detail) {
  const UnixTime now = clock_.Now();
  return store_.Write([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return tl::unexpected(t.error());
    if (t->status != TaskStatus::kRunning) return {};  // skipped or finished meanwhile
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    if (q->status != RequestStatus::kProcess) return {};
    // Locks the request row, so that two tasks finishing at once on PostgreSQL cannot both
    // miss that every task is finished.
    if (auto s = tx.Requests().Transition(q->id, q->status, q->status, std::nullopt, now); !s) {
      return s;
    }
    t->status = status;
    t->result = result;
    t->updated_at = now;
    if (status == TaskStatus::kDone || status == TaskStatus::kFailed) {
      t->completed_by = "system";
      t->completed_at = now;
    }
    if (auto s = tx.Tasks().Update(*t, TaskStatus::kRunning); !s) return s;
    if (status != TaskStatus::kPending) {
      // Done by a batch of another task's job: its own queued job has nothing left to do.
      if (auto s = tx.Jobs().CompleteQueued("task.run", IntegrationRunPayload(task_id), now); !s) {
        return s;
      }
    }
    if (!audit_kind.empty()) {
      if (auto s = AppendAudit(tx, "system", q->id, audit_kind, audit_detail, now); !s) return s;
    }
    if (status != TaskStatus::kDone) return {};
    return FinishIfTasksDone(tx, *q, now).map([](RequestStatus) {});
  });
}

Status IntegrationService::RunTask(const std::string& task_id, bool last_attempt) {
  const UnixTime now = clock_.Now();
  Task task;
  PrivacyRequest request;
  DataSource source;
  bool run = false;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return t.error().code == Errc::kNotFound ? Status{} : tl::unexpected(t.error());
    if (t->process != "integration") return {};
    if (t->status != TaskStatus::kPending && t->status != TaskStatus::kRunning) return {};
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    if (q->status != RequestStatus::kProcess) return {};
    auto ds = tx.DataSources().Get(t->data_source_id);
    if (!ds) return tl::unexpected(ds.error());
    if (t->status == TaskStatus::kPending) {
      t->status = TaskStatus::kRunning;
      t->updated_at = now;
      if (auto s = tx.Tasks().Update(*t, TaskStatus::kPending); !s) return s;
      if (auto s = AppendAudit(tx, "system", q->id, "task.started",
                               TaskDetail(*t, IntegrationAction(*q)) + "}", now);
          !s) {
        return s;
      }
    }
    task = *t;
    request = *q;
    source = *ds;
    run = true;
    return {};
  });
  if (!st || !run) return st;

  const std::string action = IntegrationAction(request);
  const std::string detail = TaskDetail(task, action);
  auto fail = [&](const std::string& error) {
    return Record(task_id, TaskStatus::kFailed, ErrorResult(action, error), "task.failed",
                  detail + "}");
  };
  if (action.empty()) {
    return fail(TypeKey(request) +
                " requests are handled by hand: complete or skip this task with a note");
  }
  auto connector = connectors_.Open(source);
  if (!connector) return fail(connector.error().message);
  (*connector)
      ->ForJob({task.id, request.id, TypeKey(request), request.jurisdiction, CallbackUrl(task.id),
                task.created_at});
  // Deletions go in set-based batches where the connector gains by it (SQL); one at a time
  // elsewhere, where a connector may also defer (a webhook answering 202).
  if (action == "erase" && std::min(policy_.erase_batch, (*connector)->EraseBatchLimit()) > 1) {
    return RunErasures(task, request, **connector, last_attempt);
  }
  const Identities ids = SubjectIdentities(request);
  Result<ConnectorResult> done = Fail(Errc::kInternal, "no action");
  if (action == "erase") {
    // Keyed by the master key and the request: retries mask to the same values.
    done = (*connector)->Erase(ids, crypto_.IdentityHash("erasure-secret:" + request.id));
  } else if (action == "export") {
    // The rows go to the task's sealed spool, not to the result: the copy package is built
    // from it once every task is finished.
    SpoolSink spool(store_, crypto_, task.id);
    if (auto s = spool.Start(); !s) {
      done = tl::unexpected(s.error());
    } else {
      done = (*connector)->Export(ids, spool);
      if (done) {
        if (auto f = spool.Finish(); !f) done = tl::unexpected(f.error());
      }
    }
  } else {
    done = (*connector)->OptOut(ids);
  }
  if (!done) {
    if (done.error().code == Errc::kInvalidArgument || last_attempt) {
      if (auto s = fail(done.error().message); !s) return s;
      return done.error().code == Errc::kInvalidArgument ? Status{}
                                                         : Status(tl::unexpected(done.error()));
    }
    // Back to pending until the job's next attempt; the error shows meanwhile.
    if (auto s = Record(task_id, TaskStatus::kPending, ErrorResult(action, done.error().message),
                        "", "");
        !s) {
      return s;
    }
    return tl::unexpected(done.error());
  }
  if (done->deferred) {
    const UnixTime deadline = clock_.Now() + policy_.callback_timeout_seconds;
    return Defer(task_id,
                 "{\"action\":" + JsonString(action) + ",\"deferred\":true,\"callback_deadline\":" +
                     JsonString(FormatRfc3339(deadline)) + "}",
                 detail + "}");
  }
  return Record(task_id, TaskStatus::kDone, ConnectorResultJson(*done, false), "task.completed",
                detail + ",\"counts\":" + ConnectorCountsJson(*done) + "}");
}

std::string IntegrationService::CallbackUrl(const std::string& task_id) const {
  std::string base = policy_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v1/webhooks/tasks/" + task_id;
}

Status IntegrationService::Defer(const std::string& task_id, const std::string& result,
                                 const std::string& audit_detail) {
  const UnixTime now = clock_.Now();
  return store_.Write([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return tl::unexpected(t.error());
    if (t->status != TaskStatus::kRunning) return {};  // skipped meanwhile
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    if (q->status != RequestStatus::kProcess) return {};
    t->status = TaskStatus::kWaiting;
    t->result = result;
    t->updated_at = now;
    if (auto s = tx.Tasks().Update(*t, TaskStatus::kRunning); !s) return s;
    if (auto s = AppendAudit(tx, "system", q->id, "task.deferred", audit_detail, now); !s) {
      return s;
    }
    return tx.Jobs().Enqueue({"", "task.callback_deadline",
                              "{\"task_id\":" + JsonString(t->id) + "}",
                              now + policy_.callback_timeout_seconds});
  });
}

Result<CallbackOutcome> IntegrationService::Callback(const std::string& task_id,
                                                     const CallbackMessage& msg) {
  const UnixTime now = clock_.Now();
  DataSource source;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return tl::unexpected(t.error());
    if (t->process != "integration") {
      return Fail(Errc::kNotFound, "task: no task of this id waits for a callback");
    }
    auto ds = tx.DataSources().Get(t->data_source_id);
    if (!ds) return tl::unexpected(ds.error());
    source = std::move(*ds);
    return {};
  });
  if (!st) {
    if (st.error().code == Errc::kNotFound) {
      return Fail(Errc::kNotFound, "task: no task of this id waits for a callback");
    }
    return tl::unexpected(st.error());
  }
  RowCollector rows(policy_.max_export_rows);
  auto cb = connectors_.ReadCallback(source, msg, now, rows);
  if (!cb) return tl::unexpected(cb.error());
  if (cb->id != task_id) {
    return Fail(Errc::kInvalidArgument, "body.id: must be the id of the task in the URL");
  }
  // Signed: an export's rows go to the task's sealed spool, as a 200 answer's do, and the
  // result keeps counts only.
  rows.MoveInto(cb->result);
  bool any_rows = false;
  for (const auto& c : cb->result.collections) any_rows = any_rows || !c.rows.empty();
  if (any_rows) {
    SpoolSink spool(store_, crypto_, task_id);
    if (auto s = spool.Start(); !s) return tl::unexpected(s.error());
    for (auto& c : cb->result.collections) {
      for (auto& row : c.rows) {
        if (auto s = spool.Row(c.name, std::move(row)); !s) return tl::unexpected(s.error());
      }
      c.rows.clear();
    }
    if (auto s = spool.Finish(); !s) return tl::unexpected(s.error());
  }
  CallbackOutcome out;
  out.task_id = task_id;
  st = store_.Write([&](Transaction& tx) -> Status {
    auto fresh = tx.WebhookCallbacks().Remember(cb->signature, task_id, now, now - 3600);
    if (!fresh) return tl::unexpected(fresh.error());
    if (!*fresh) {
      return Fail(Errc::kConflict,
                  "Rightsdesk-Signature: this callback was received before; each is accepted "
                  "once");
    }
    auto t = tx.Tasks().Get(task_id);
    if (!t) return tl::unexpected(t.error());
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    // Running too: a quick system may call back before the worker that got its 202 has
    // recorded the wait (Defer then finds the task finished and leaves it).
    const TaskStatus before = t->status;
    if (t->process != "integration" ||
        (before != TaskStatus::kWaiting && before != TaskStatus::kRunning) ||
        q->status != RequestStatus::kProcess) {
      return Fail(Errc::kConflict, std::string("task: not waiting for a callback (it is ") +
                                       TaskStatusName(t->status) + ")");
    }
    // Locks the request row, as Record does.
    if (auto s = tx.Requests().Transition(q->id, q->status, q->status, std::nullopt, now); !s) {
      return s;
    }
    const std::string action = IntegrationAction(*q);
    const std::string detail = TaskDetail(*t, action);
    ConnectorResult& r = cb->result;
    r.action = action;
    std::string kind;
    std::string audit;
    if (cb->status == "failed") {
      t->status = TaskStatus::kFailed;
      t->result = ErrorResult(action, cb->error.empty() ? "the system reported a failure"
                                                        : "the system reported: " + cb->error);
      kind = "task.failed";
      audit = detail + ",\"via\":\"callback\"}";
    } else {
      t->status = TaskStatus::kDone;
      std::string json = ConnectorResultJson(r, false);
      // {"status": "completed"|"not_found", ...the counts}
      t->result = "{\"status\":" + JsonString(cb->status) + "," + json.substr(1);
      kind = "task.completed";
      audit = detail + ",\"via\":\"callback\",\"status\":" + JsonString(cb->status) +
              ",\"counts\":" + ConnectorCountsJson(r) + "}";
    }
    t->completed_by = "webhook";
    t->completed_at = now;
    t->updated_at = now;
    if (auto s = tx.Tasks().Update(*t, before); !s) return s;
    if (auto s = AppendAudit(tx, "webhook", q->id, kind, audit, now); !s) return s;
    out.status = t->status;
    out.request_status = q->status;
    if (t->status != TaskStatus::kDone) return {};
    auto next = FinishIfTasksDone(tx, *q, now);
    if (!next) return tl::unexpected(next.error());
    out.request_status = *next;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Status IntegrationService::ExpireCallback(const std::string& task_id) {
  const UnixTime now = clock_.Now();
  return store_.Write([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(task_id);
    if (!t) return t.error().code == Errc::kNotFound ? Status{} : tl::unexpected(t.error());
    // A task retried since waits from a later time, with a later deadline job of its own.
    if (t->process != "integration" || t->status != TaskStatus::kWaiting ||
        t->updated_at + policy_.callback_timeout_seconds > now) {
      return {};
    }
    auto q = tx.Requests().Get(t->request_id);
    if (!q) return tl::unexpected(q.error());
    if (q->status != RequestStatus::kProcess) return {};
    const std::string action = IntegrationAction(*q);
    t->status = TaskStatus::kFailed;
    t->result = ErrorResult(action,
                            "no callback came within the callback timeout; retry the task, or "
                            "complete or skip it with a note");
    t->completed_by = "system";
    t->completed_at = now;
    t->updated_at = now;
    if (auto s = tx.Tasks().Update(*t, TaskStatus::kWaiting); !s) return s;
    return AppendAudit(tx, "system", q->id, "task.failed",
                       TaskDetail(*t, action) + ",\"reason\":\"callback_timeout\"}", now);
  });
}

Status IntegrationService::RunErasures(const Task& task, const PrivacyRequest& request,
                                       Connector& connector, bool last_attempt) {
  struct Member {
    Task task;
    PrivacyRequest request;
  };
  std::vector<Member> batch{{task, request}};
  const std::size_t limit = std::min(policy_.erase_batch, connector.EraseBatchLimit());
  if (limit > 1) {
    const UnixTime now = clock_.Now();
    std::vector<Member> more;
    Status claimed = store_.Write([&](Transaction& tx) -> Status {
      more.clear();
      auto pending = tx.Tasks().ListPendingForSource(task.data_source_id, "integration", limit - 1);
      if (!pending) return tl::unexpected(pending.error());
      for (auto& t : *pending) {
        auto q = tx.Requests().Get(t.request_id);
        if (!q) return tl::unexpected(q.error());
        if (q->status != RequestStatus::kProcess || IntegrationAction(*q) != "erase") continue;
        t.status = TaskStatus::kRunning;
        t.updated_at = now;
        if (auto s = tx.Tasks().Update(t, TaskStatus::kPending); !s) {
          if (s.error().code == Errc::kConflict) continue;  // another worker took it
          return s;
        }
        if (auto s = AppendAudit(
                tx, "system", q->id, "task.started",
                TaskDetail(t, "erase") + ",\"batch_of\":" + JsonString(task.id) + "}", now);
            !s) {
          return s;
        }
        if (auto s = tx.Jobs().RescheduleQueued("task.run", IntegrationRunPayload(t.id),
                                                now + policy_.batch_resume_seconds);
            !s) {
          return s;
        }
        more.push_back({std::move(t), std::move(*q)});
      }
      return {};
    });
    if (!claimed) return claimed;
    for (auto& m : more) batch.push_back(std::move(m));
  }

  std::vector<ErasureSubject> subjects;
  for (const auto& m : batch) {
    // Keyed by the master key and the request: retries mask to the same values.
    subjects.push_back(
        {SubjectIdentities(m.request), crypto_.IdentityHash("erasure-secret:" + m.request.id)});
  }
  auto done = connector.EraseMany(subjects);
  if (done && done->size() != batch.size()) {
    done = Fail(Errc::kInternal, "erase: the connector returned a result per subject missing");
  }
  if (!done) {
    const bool give_up = done.error().code == Errc::kInvalidArgument;
    const std::string result = ErrorResult("erase", done.error().message);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string detail = TaskDetail(batch[i].task, "erase") + "}";
      const bool fail = give_up || (i == 0 && last_attempt);
      auto s = fail ? Record(batch[i].task.id, TaskStatus::kFailed, result, "task.failed", detail)
                    // Back to pending until the job's next attempt; the error shows meanwhile.
                    : Record(batch[i].task.id, TaskStatus::kPending, result, "", "");
      if (!s) return s;
    }
    return give_up ? Status{} : Status(tl::unexpected(done.error()));
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const ConnectorResult& r = (*done)[i];
    if (auto s = Record(
            batch[i].task.id, TaskStatus::kDone, ConnectorResultJson(r, false), "task.completed",
            TaskDetail(batch[i].task, "erase") + ",\"counts\":" + ConnectorCountsJson(r) + "}");
        !s) {
      return s;
    }
  }
  return {};
}

Status IntegrationService::Prescan(const std::string& request_id) {
  PrivacyRequest request;
  std::vector<DataSource> sources;
  bool scan = false;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return q.error().code == Errc::kNotFound ? Status{} : tl::unexpected(q.error());
    if (q->status != RequestStatus::kReview) return {};
    auto all = tx.DataSources().List();
    if (!all) return tl::unexpected(all.error());
    const std::string type = TypeKey(*q);
    for (auto& ds : *all) {
      if (ds.process == "integration" && SourceApplies(ds, type)) sources.push_back(std::move(ds));
    }
    request = *q;
    scan = true;
    return {};
  });
  if (!st || !scan) return st;
  const Identities ids = SubjectIdentities(request);
  std::vector<PrescanEntry> entries;
  for (const auto& ds : sources) {
    PrescanEntry e;
    e.request_id = request_id;
    e.data_source_id = ds.id;
    e.collections = "{}";
    auto connector = connectors_.Open(ds);
    if (connector)
      (*connector)->ForJob({"", request.id, TypeKey(request), request.jurisdiction, "", 0});
    auto found = connector ? (*connector)->Find(ids)
                           : Result<ConnectorResult>(tl::unexpected(connector.error()));
    if (found) {
      e.found = found->Total(&CollectionOutcome::found);
      e.collections = "{";
      for (const auto& c : found->collections) {
        e.collections += (e.collections.size() > 1 ? "," : "") + JsonString(c.name) + ":" +
                         std::to_string(c.found);
      }
      e.collections += "}";
    } else {
      e.error = found.error().message;
    }
    e.scanned_at = clock_.Now();
    entries.push_back(std::move(e));
  }
  if (entries.empty()) return {};
  return store_.Write([&](Transaction& tx) -> Status {
    for (const auto& e : entries) {
      if (auto s = tx.Prescans().Put(e); !s) return s;
    }
    return AppendAudit(tx, "system", request_id, "request.prescanned",
                       "{\"sources\":" + std::to_string(entries.size()) + "}", clock_.Now());
  });
}

Result<std::vector<PrescanEntry>> IntegrationService::PrescanOf(const std::string& request_id) {
  Result<std::vector<PrescanEntry>> out = std::vector<PrescanEntry>{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.Prescans().ListForRequest(request_id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
