#include "core/integration_service.h"

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
  return Record(task_id, TaskStatus::kDone, ConnectorResultJson(*done, false), "task.completed",
                detail + ",\"counts\":" + ConnectorCountsJson(*done) + "}");
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
