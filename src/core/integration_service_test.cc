#include "core/integration_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "core/data_source_service.h"
#include "core/fake_clock.h"
#include "core/package_service.h"
#include "core/request_service.h"
#include "core/sealed_stream.h"
#include "core/workflow_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

// A connector that answers from a script and records what it was asked.
struct Script {
  std::vector<Error> erase_errors;  // returned by the next Erase calls, in order
  int erase_calls = 0;
  int find_calls = 0;
  Identities last_ids;
  std::string last_secret;
  bool defer = false;  // Erase and OptOut answer "accepted, result later"
  ConnectorJob last_job;
  std::function<void()> during_erase;     // runs inside Erase (a system calling back at once)
  std::size_t batch_limit = 1;            // EraseBatchLimit(); above 1, EraseMany is scripted
  std::vector<std::size_t> batch_sizes;   // subjects per EraseMany call
  std::vector<std::string> batch_emails;  // every subject's email, in order
};

class ScriptedConnector final : public Connector {
 public:
  explicit ScriptedConnector(Script& s) : s_(s) {}
  Status Test() override { return {}; }
  Result<ConnectorResult> Find(const Identities& ids) override {
    s_.find_calls++;
    s_.last_ids = ids;
    return Outcome("find");
  }
  Result<ConnectorResult> Export(const Identities& ids, RowSink& sink) override {
    s_.last_ids = ids;
    auto r = Outcome("export");
    if (auto st = sink.Row(r.collections[0].name, "{\"email\":\"ana@example.com\"}"); !st) {
      return tl::unexpected(st.error());
    }
    r.collections[0].exported = 1;
    return r;
  }
  Result<ConnectorResult> Erase(const Identities& ids, const std::string& secret) override {
    s_.last_ids = ids;
    s_.last_secret = secret;
    if (s_.erase_calls++ < static_cast<int>(s_.erase_errors.size())) {
      return tl::unexpected(s_.erase_errors[static_cast<std::size_t>(s_.erase_calls - 1)]);
    }
    if (s_.during_erase) s_.during_erase();
    if (s_.defer) {
      ConnectorResult later;
      later.action = "erase";
      later.deferred = true;
      return later;
    }
    auto r = Outcome("erase");
    r.collections[0].erased = 2;
    r.verified = true;
    return r;
  }
  Result<std::vector<ConnectorResult>> EraseMany(
      const std::vector<ErasureSubject>& subjects) override {
    if (s_.batch_limit <= 1) return Connector::EraseMany(subjects);
    s_.batch_sizes.push_back(subjects.size());
    if (s_.erase_calls++ < static_cast<int>(s_.erase_errors.size())) {
      return tl::unexpected(s_.erase_errors[static_cast<std::size_t>(s_.erase_calls - 1)]);
    }
    std::vector<ConnectorResult> out;
    for (const auto& subject : subjects) {
      s_.batch_emails.push_back(subject.ids.at("email"));
      auto r = Outcome("erase");
      r.collections[0].erased = static_cast<std::int64_t>(out.size()) + 1;
      r.verified = true;
      r.batch_subjects = static_cast<std::int64_t>(subjects.size());
      out.push_back(r);
    }
    return out;
  }
  std::size_t EraseBatchLimit() const override { return s_.batch_limit; }
  Result<ConnectorResult> OptOut(const Identities&) override {
    auto r = Outcome("opt_out");
    r.collections[0].opted_out = 2;
    return r;
  }
  void ForJob(const ConnectorJob& job) override { s_.last_job = job; }

 private:
  static ConnectorResult Outcome(const std::string& action) {
    ConnectorResult r;
    r.action = action;
    CollectionOutcome c;
    c.name = "customers";
    c.found = 2;
    r.collections.push_back(c);
    return r;
  }
  Script& s_;
};

class ScriptedRegistry final : public ConnectorRegistry {
 public:
  explicit ScriptedRegistry(Script& s) : s_(s) {}
  Result<std::string> Prepare(const std::string& connector, const std::string&,
                              const std::string&) const override {
    if (connector.find("bad") != std::string::npos) {
      return Fail(Errc::kInvalidArgument, "connector.url: bad");
    }
    return connector;
  }
  std::string Redact(const std::string& stored) const override { return stored; }
  Result<std::string> DatabaseUrl(const DataSource&) const override {
    return Fail(Errc::kInvalidArgument, "connector: scripted sources have no database");
  }
  Result<std::unique_ptr<Connector>> Open(const DataSource& ds) const override {
    if (ds.dataset == "unloadable") return Fail(Errc::kInvalidArgument, "dataset: broken");
    return std::unique_ptr<Connector>(new ScriptedConnector(s_));
  }
  // Scripted callbacks: signature "good" passes (the body is the status, "completed" with 3
  // rows erased), anything else is refused; the signature accepted once is the timestamp.
  Result<ConnectorCallback> ReadCallback(const DataSource&, const CallbackMessage& msg, UnixTime,
                                         RowSink&) const override {
    if (msg.signature != "good") return Fail(Errc::kUnauthenticated, "Rightsdesk-Signature: bad");
    if (msg.body == "malformed") return Fail(Errc::kInvalidArgument, "body.status: required");
    ConnectorCallback cb;
    cb.id = s_.last_job.id;  // about the job the connector was last given
    cb.status = msg.body;
    cb.signature = msg.timestamp;
    if (cb.status == "failed") {
      cb.error = "disk full";
    } else {
      CollectionOutcome c;
      c.name = "accounts";
      c.found = 3;
      c.erased = 3;
      cb.result.collections.push_back(c);
    }
    return cb;
  }

 private:
  Script& s_;
};

class IntegrationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    templates_ =
        std::make_unique<TemplateService>(temp_->store(), renderer_, temp_->crypto(), clock_,
                                          OrgInfo{"Example Shop", "https://privacy.shop.example"});
    requests_ =
        std::make_unique<RequestService>(temp_->store(), temp_->crypto(), clock_, *templates_);
    sources_ =
        std::make_unique<DataSourceService>(temp_->store(), temp_->crypto(), clock_, &registry_);
    workflow_ = std::make_unique<WorkflowService>(temp_->store(), temp_->crypto(), clock_,
                                                  *templates_, WorkflowPolicy{});
    integrations_ = std::make_unique<IntegrationService>(temp_->store(), temp_->crypto(), clock_,
                                                         registry_, IntegrationPolicy{});
  }

  PrivacyRequest Request(const std::string& type = "deletion",
                         const std::string& email = "ana@example.com") {
    NewRequest in;
    in.type = type;
    in.subject = {email, "Ana Example", "+14155550134"};
    in.skip_verification = true;
    auto q = requests_->Create(in, "user:usr_agent");
    EXPECT_TRUE(q) << q.error().message;
    return *q;
  }

  DataSource Source(const std::string& dataset = "dataset: []") {
    DataSourceFields f;
    f.name = "Shop DB";
    f.category = "database";
    f.process = "integration";
    f.connector = R"({"kind":"sql","url":"sqlite:///shop.db"})";
    f.dataset = dataset;
    auto ds = sources_->Create(f, "user:usr_admin");
    EXPECT_TRUE(ds) << ds.error().message;
    return *ds;
  }

  std::vector<Job> Jobs(const std::string& kind) {
    std::vector<Job> out;
    EXPECT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
      for (;;) {
        auto j = tx.Jobs().Claim("test", clock_.Now(), 60);
        if (!j) return tl::unexpected(j.error());
        if (!*j) return {};
        if ((*j)->kind == kind) out.push_back(**j);
        if (auto s = tx.Jobs().Complete((*j)->id, "test", clock_.Now()); !s) return s;
      }
    }));
    return out;
  }

  std::vector<AuditEvent> Events(const std::string& request_id) {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) {
      return tx.Audit().ForEach(request_id, 0, 0, [&](const AuditEvent& e) { out.push_back(e); });
    }));
    return out;
  }

  const AuditEvent* Event(const std::vector<AuditEvent>& events, const std::string& kind) {
    for (const auto& e : events) {
      if (e.kind == kind) return &e;
    }
    return nullptr;
  }

  // Continues `q` onto `ds` and returns the task, with its task.run job claimed.
  Task Continue(const PrivacyRequest& q, const DataSource& ds) {
    Jobs("");  // drains the acknowledgement's jobs
    auto r = workflow_->Continue(q.id, std::vector<std::string>{ds.id}, "user:usr_agent");
    EXPECT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->tasks.at(0).status, TaskStatus::kPending);
    EXPECT_EQ(Jobs("task.run").size(), 1u);
    return r->tasks.at(0);
  }

  Script script_;
  ScriptedRegistry registry_{script_};
  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<DataSourceService> sources_;
  std::unique_ptr<WorkflowService> workflow_;
  std::unique_ptr<IntegrationService> integrations_;
};

TEST_F(IntegrationServiceTest, ADeletionTaskErasesAndTheRequestMovesToReply) {
  const auto q = Request("deletion");
  const auto t = Continue(q, Source());
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  auto tasks = workflow_->Tasks(q.id);
  ASSERT_TRUE(tasks);
  EXPECT_EQ(tasks->at(0).status, TaskStatus::kDone);
  EXPECT_EQ(tasks->at(0).completed_by, "system");
  EXPECT_NE(tasks->at(0).result.find("\"action\":\"erase\""), std::string::npos);
  EXPECT_NE(tasks->at(0).result.find("\"erased\":2"), std::string::npos);
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply);
  EXPECT_EQ(script_.last_ids,
            (Identities{{"email", "ana@example.com"}, {"phone_number", "+14155550134"}}));
  EXPECT_EQ(script_.last_secret, temp_->crypto().IdentityHash("erasure-secret:" + q.id));
  const auto events = Events(q.id);
  ASSERT_NE(Event(events, "task.started"), nullptr);
  ASSERT_NE(Event(events, "task.completed"), nullptr);
  EXPECT_NE(Event(events, "task.completed")->detail.find("\"erased\":2"), std::string::npos);
  ASSERT_NE(Event(events, "request.tasks_finished"), nullptr);
  for (const auto& e : events) EXPECT_EQ(e.detail.find("ana@"), std::string::npos) << e.kind;

  // The job again (its worker died after the commit): nothing more happens.
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  EXPECT_EQ(script_.erase_calls, 1);
}

TEST_F(IntegrationServiceTest, AnErasureTakesThePendingErasuresOfItsSourceAlong) {
  script_.batch_limit = 10;
  const auto ds = Source();
  std::vector<PrivacyRequest> qs;
  std::vector<Task> ts;
  for (const char* who : {"a@example.com", "b@example.com", "c@example.com"}) {
    qs.push_back(Request("deletion", who));
  }
  const auto copy = Request("copy", "d@example.com");
  Jobs("");  // the acknowledgements' jobs; the task.run jobs below stay queued
  for (const auto& q : qs) {
    auto r = workflow_->Continue(q.id, std::vector<std::string>{ds.id}, "user:usr_agent");
    ASSERT_TRUE(r) << r.error().message;
    ts.push_back(r->tasks.at(0));
  }
  ASSERT_TRUE(workflow_->Continue(copy.id, std::vector<std::string>{ds.id}, "user:usr_agent"));

  ASSERT_TRUE(integrations_->RunTask(ts[1].id, false));
  EXPECT_EQ(script_.batch_sizes, std::vector<std::size_t>{3});
  ASSERT_EQ(script_.batch_emails.size(), 3u);
  EXPECT_EQ(script_.batch_emails[0], "b@example.com");  // its own subject first
  std::sort(script_.batch_emails.begin() + 1, script_.batch_emails.end());
  EXPECT_EQ(script_.batch_emails,
            (std::vector<std::string>{"b@example.com", "a@example.com", "c@example.com"}));
  for (std::size_t i = 0; i < qs.size(); ++i) {
    EXPECT_EQ(requests_->Get(qs[i].id)->status, RequestStatus::kReply) << i;
    const auto task = workflow_->Tasks(qs[i].id)->at(0);
    EXPECT_EQ(task.status, TaskStatus::kDone);
    EXPECT_NE(task.result.find("\"batch_subjects\":3"), std::string::npos) << task.result;
    const auto events = Events(qs[i].id);
    int completed = 0;
    for (const auto& e : events) completed += e.kind == "task.completed";
    EXPECT_EQ(completed, 1);
    const std::string started = Event(events, "task.started")->detail;
    EXPECT_EQ(started.find("batch_of") != std::string::npos, i != 1) << started;
  }
  // Each task with its own subject's counts (the script numbers them in batch order).
  EXPECT_NE(workflow_->Tasks(qs[1].id)->at(0).result.find("\"erased\":1"), std::string::npos);
  // The copy was not taken along; the jobs of the tasks taken along have nothing left.
  EXPECT_EQ(workflow_->Tasks(copy.id)->at(0).status, TaskStatus::kPending);
  clock_.Advance(3600);
  const auto left = Jobs("task.run");
  ASSERT_EQ(left.size(), 1u);  // the copy's
  for (const auto& t : ts) EXPECT_EQ(left[0].payload.find(t.id), std::string::npos);
}

TEST_F(IntegrationServiceTest, AFailedBatchPutsItsTasksBackAndTheirJobsResumeThemLater) {
  script_.batch_limit = 10;
  script_.erase_errors = {{Errc::kUnavailable, "cannot connect"}};
  const auto ds = Source();
  std::vector<Task> ts;
  std::vector<PrivacyRequest> qs;
  for (const char* who : {"a@example.com", "b@example.com"}) qs.push_back(Request("deletion", who));
  Jobs("");
  for (const auto& q : qs) {
    auto r = workflow_->Continue(q.id, std::vector<std::string>{ds.id}, "user:usr_agent");
    ASSERT_TRUE(r) << r.error().message;
    ts.push_back(r->tasks.at(0));
  }
  ASSERT_FALSE(integrations_->RunTask(ts[0].id, false));
  for (const auto& q : qs) {
    const auto task = workflow_->Tasks(q.id)->at(0);
    EXPECT_EQ(task.status, TaskStatus::kPending);
    EXPECT_NE(task.result.find("cannot connect"), std::string::npos);
  }
  // The second task's job was put off by the worker lease: not due now, due after it.
  auto due = Jobs("task.run");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_NE(due[0].payload.find(ts[0].id), std::string::npos);
  clock_.Advance(IntegrationPolicy{}.batch_resume_seconds);
  due = Jobs("task.run");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_NE(due[0].payload.find(ts[1].id), std::string::npos);
  // Its job resumes it, taking the first along again.
  ASSERT_TRUE(integrations_->RunTask(ts[1].id, false));
  EXPECT_EQ(script_.batch_sizes, (std::vector<std::size_t>{2, 2}));
  for (const auto& q : qs) EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply);
}

TEST_F(IntegrationServiceTest, ACopySpoolsTheRowsSealedAndOptOutsOptOut) {
  const auto copy = Request("copy");
  const auto ds = Source();
  const auto t = Continue(copy, ds);
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  auto tasks = workflow_->Tasks(copy.id);
  // Counts only in the result; the row is in the task's sealed spool.
  EXPECT_NE(tasks->at(0).result.find("\"exported\":1"), std::string::npos) << tasks->at(0).result;
  EXPECT_EQ(tasks->at(0).result.find("ana@"), std::string::npos) << tasks->at(0).result;
  SealedLineReader spool(temp_->store(), temp_->crypto(), SpoolStream(t.id));
  auto line = spool.Next();
  ASSERT_TRUE(line && *line) << (line ? "" : line.error().message);
  EXPECT_EQ(**line, "\"customers\"\t{\"email\":\"ana@example.com\"}");
  EXPECT_FALSE(*spool.Next());
  // The request moved to reply with its package queued.
  EXPECT_EQ(requests_->Get(copy.id)->status, RequestStatus::kReply);
  Status st = temp_->store().Read([&](Transaction& tx) -> Status {
    auto p = tx.Packages().FindByRequest(copy.id);
    EXPECT_TRUE(p);
    if (p) EXPECT_EQ(p->status, "building");
    return {};
  });
  ASSERT_TRUE(st);
  // The rows stay out of the history.
  for (const auto& e : Events(copy.id)) EXPECT_EQ(e.detail.find("ana@"), std::string::npos);

  const auto dns = Request("do_not_sell");
  const auto t2 = Continue(dns, ds);
  ASSERT_TRUE(integrations_->RunTask(t2.id, false));
  EXPECT_NE(workflow_->Tasks(dns.id)->at(0).result.find("\"opted_out\":2"), std::string::npos);
  EXPECT_EQ(requests_->Get(dns.id)->status, RequestStatus::kReply);
}

TEST_F(IntegrationServiceTest, RetriesUntilTheLastAttemptThenFailsForAnAgentToRetry) {
  script_.erase_errors = {{Errc::kUnavailable, "cannot connect"},
                          {Errc::kUnavailable, "cannot connect"}};
  const auto q = Request("deletion");
  const auto t = Continue(q, Source());
  auto first = integrations_->RunTask(t.id, false);
  ASSERT_FALSE(first);
  auto task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kPending);
  EXPECT_NE(task.result.find("cannot connect"), std::string::npos);
  ASSERT_FALSE(integrations_->RunTask(t.id, true));  // the last attempt
  task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kFailed);
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kProcess);
  ASSERT_NE(Event(Events(q.id), "task.failed"), nullptr);

  // The agent retries: queued again, and this time it works.
  auto retried = workflow_->RetryTask(q.id, t.id, "user:usr_agent");
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->task.status, TaskStatus::kPending);
  EXPECT_EQ(Jobs("task.run").size(), 1u);
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  EXPECT_EQ(workflow_->Tasks(q.id)->at(0).status, TaskStatus::kDone);
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply);
}

TEST_F(IntegrationServiceTest, ADeferredTaskWaitsForItsSignedCallback) {
  script_.defer = true;
  const auto q = Request("deletion");
  const auto t = Continue(q, Source());
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  auto task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kWaiting);
  EXPECT_NE(task.result.find("\"deferred\":true"), std::string::npos) << task.result;
  EXPECT_NE(task.result.find(FormatRfc3339(clock_.Now() + 7 * 86400)), std::string::npos);
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kProcess);
  ASSERT_NE(Event(Events(q.id), "task.deferred"), nullptr);
  // What the connector was told the job is.
  EXPECT_EQ(script_.last_job.id, t.id);
  EXPECT_EQ(script_.last_job.request_id, q.id);
  EXPECT_EQ(script_.last_job.request_type, "deletion");
  EXPECT_EQ(script_.last_job.jurisdiction, q.jurisdiction);
  EXPECT_EQ(script_.last_job.callback_url, "http://127.0.0.1:8080/api/v1/webhooks/tasks/" + t.id);
  EXPECT_EQ(script_.last_job.created_at, t.created_at);
  // The job again (a worker died after the commit): the waiting task is left alone.
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  EXPECT_EQ(script_.erase_calls, 1);

  // Refused callbacks change nothing.
  auto unknown = integrations_->Callback("task_missing", {"1", "good", "completed"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
  auto forged = integrations_->Callback(t.id, {"1", "forged", "completed"});
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, Errc::kUnauthenticated);
  auto malformed = integrations_->Callback(t.id, {"1", "good", "malformed"});
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(workflow_->Tasks(q.id)->at(0).status, TaskStatus::kWaiting);

  clock_.Advance(30);
  auto done = integrations_->Callback(t.id, {"1", "good", "completed"});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, TaskStatus::kDone);
  EXPECT_EQ(done->request_status, RequestStatus::kReply);
  task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kDone);
  EXPECT_EQ(task.completed_by, "webhook");
  EXPECT_NE(task.result.find("\"status\":\"completed\""), std::string::npos) << task.result;
  EXPECT_NE(task.result.find("\"erased\":3"), std::string::npos) << task.result;
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply);
  const auto events = Events(q.id);
  const AuditEvent* completed = nullptr;
  for (const auto& e : events) {
    if (e.kind == "task.completed") completed = &e;
  }
  ASSERT_NE(completed, nullptr);
  EXPECT_EQ(completed->actor, "webhook");
  EXPECT_NE(completed->detail.find("\"erased\":3"), std::string::npos) << completed->detail;
  ASSERT_NE(Event(events, "request.tasks_finished"), nullptr);

  // The same callback again is a replay; another one finds the task no longer waiting.
  auto replay = integrations_->Callback(t.id, {"1", "good", "completed"});
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, Errc::kConflict);
  EXPECT_NE(replay.error().message.find("received before"), std::string::npos);
  auto late = integrations_->Callback(t.id, {"2", "good", "completed"});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::kConflict);
  EXPECT_NE(late.error().message.find("not waiting"), std::string::npos);
}

TEST_F(IntegrationServiceTest, ACallbackBeforeTheWaitIsRecordedStillCounts) {
  script_.defer = true;
  const auto q = Request("deletion");
  const auto t = Continue(q, Source());
  Result<CallbackOutcome> quick = Fail(Errc::kInternal, "not called");
  script_.during_erase = [&] { quick = integrations_->Callback(t.id, {"1", "good", "completed"}); };
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  ASSERT_TRUE(quick) << quick.error().message;
  const auto task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kDone);
  EXPECT_EQ(task.completed_by, "webhook");
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply);
  EXPECT_EQ(Event(Events(q.id), "task.deferred"), nullptr);
}

TEST_F(IntegrationServiceTest, AFailedCallbackOrNoneByTheDeadlineFailsTheTaskForARetry) {
  script_.defer = true;
  const auto q = Request("deletion");
  const auto t = Continue(q, Source());
  // Not waiting yet: a callback (naming this task) is refused and not remembered.
  script_.last_job.id = t.id;
  auto early = integrations_->Callback(t.id, {"1", "good", "failed"});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, Errc::kConflict);

  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  auto failed = integrations_->Callback(t.id, {"1", "good", "failed"});
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->status, TaskStatus::kFailed);
  auto task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kFailed);
  EXPECT_NE(task.result.find("disk full"), std::string::npos);
  for (const auto& e : Events(q.id)) EXPECT_EQ(e.detail.find("disk full"), std::string::npos);

  // Retried: deferred again, and this time nobody calls back.
  ASSERT_TRUE(workflow_->RetryTask(q.id, t.id, "user:usr_agent"));
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  EXPECT_EQ(workflow_->Tasks(q.id)->at(0).status, TaskStatus::kWaiting);
  clock_.Advance(7 * 86400 - 1);
  ASSERT_TRUE(integrations_->ExpireCallback(t.id));  // a deadline job early: nothing yet
  EXPECT_EQ(workflow_->Tasks(q.id)->at(0).status, TaskStatus::kWaiting);
  clock_.Advance(1);
  // Both waits scheduled their deadline job.
  EXPECT_EQ(Jobs("task.callback_deadline").size(), 2u);
  ASSERT_TRUE(integrations_->ExpireCallback(t.id));
  task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kFailed);
  EXPECT_NE(task.result.find("no callback came"), std::string::npos);
  bool timed_out = false;
  for (const auto& e : Events(q.id)) {
    if (e.kind == "task.failed" && e.detail.find("callback_timeout") != std::string::npos) {
      timed_out = e.actor == "system";
    }
  }
  EXPECT_TRUE(timed_out);
  // Retried once more, it waits from now: the old deadline does not touch it.
  ASSERT_TRUE(workflow_->RetryTask(q.id, t.id, "user:usr_agent"));
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  ASSERT_TRUE(integrations_->ExpireCallback(t.id));
  EXPECT_EQ(workflow_->Tasks(q.id)->at(0).status, TaskStatus::kWaiting);
  // An agent may still complete a waiting task by hand.
  auto by_hand = workflow_->CompleteTask(q.id, t.id, "checked in the admin tool", "user:usr_agent");
  ASSERT_TRUE(by_hand) << by_hand.error().message;
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply);
}

TEST_F(IntegrationServiceTest, ManualTypesAndBrokenMappingsFailAtOnce) {
  const auto edit = Request("right_to_edit");
  const auto t = Continue(edit, Source());
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  auto task = workflow_->Tasks(edit.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kFailed);
  EXPECT_NE(task.result.find("right_to_edit requests are handled by hand"), std::string::npos);
  // Skipping it lets the request move on.
  ASSERT_TRUE(workflow_->SkipTask(edit.id, t.id, "corrected by hand", "user:usr_agent"));
  EXPECT_EQ(requests_->Get(edit.id)->status, RequestStatus::kReply);

  const auto q = Request("deletion");
  const auto t2 = Continue(q, Source("unloadable"));
  ASSERT_TRUE(integrations_->RunTask(t2.id, false));
  task = workflow_->Tasks(q.id)->at(0);
  EXPECT_EQ(task.status, TaskStatus::kFailed);
  EXPECT_NE(task.result.find("dataset: broken"), std::string::npos);
}

TEST_F(IntegrationServiceTest, ATaskOfAWithdrawnOrSkippedRequestDoesNotRun) {
  const auto q = Request("deletion");
  const auto t = Continue(q, Source());
  ASSERT_TRUE(workflow_->SkipTask(q.id, t.id, "not needed", "user:usr_agent"));
  ASSERT_TRUE(integrations_->RunTask(t.id, false));
  EXPECT_EQ(script_.erase_calls, 0);
  ASSERT_TRUE(integrations_->RunTask("task_missing", false));
}

TEST_F(IntegrationServiceTest, ThePrescanCountsPerSourceForARequestInReview) {
  const auto ds = Source();
  DataSourceFields off;
  off.name = "Not in request handling";
  off.category = "database";
  off.process = "integration";
  off.request_handling = false;
  off.connector = "{}";
  off.dataset = "dataset: []";
  ASSERT_TRUE(sources_->Create(off, "user:usr_admin"));
  const auto q = Request("deletion");
  EXPECT_EQ(Jobs("request.prescan").size(), 1u);  // queued on reaching review
  ASSERT_TRUE(integrations_->Prescan(q.id));
  auto scan = integrations_->PrescanOf(q.id);
  ASSERT_TRUE(scan);
  ASSERT_EQ(scan->size(), 1u);
  EXPECT_EQ(scan->at(0).data_source_id, ds.id);
  EXPECT_EQ(scan->at(0).found, 2);
  EXPECT_EQ(scan->at(0).collections, "{\"customers\":2}");
  EXPECT_EQ(script_.find_calls, 1);
  ASSERT_NE(Event(Events(q.id), "request.prescanned"), nullptr);

  // Once the request has left review, a late job does nothing.
  ASSERT_TRUE(workflow_->Continue(q.id, std::vector<std::string>{}, "user:usr_agent"));
  ASSERT_TRUE(integrations_->Prescan(q.id));
  EXPECT_EQ(script_.find_calls, 1);
}

TEST_F(IntegrationServiceTest, IntegrationSourcesAreCheckedByTheRegistry) {
  DataSourceFields f;
  f.name = "Bad";
  f.category = "database";
  f.process = "integration";
  f.connector = "{\"url\":\"bad\"}";
  f.dataset = "dataset: []";
  auto r = sources_->Create(f, "user:usr_admin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "connector.url: bad");
  EXPECT_TRUE(sources_->List()->empty());
}

}  // namespace
}  // namespace rd::core
