#include "core/integration_service.h"

#include <gtest/gtest.h>

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
    auto r = Outcome("erase");
    r.collections[0].erased = 2;
    r.verified = true;
    return r;
  }
  Result<ConnectorResult> OptOut(const Identities&) override {
    auto r = Outcome("opt_out");
    r.collections[0].opted_out = 2;
    return r;
  }

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

  PrivacyRequest Request(const std::string& type = "deletion") {
    NewRequest in;
    in.type = type;
    in.subject = {"ana@example.com", "Ana Example", "+14155550134"};
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
