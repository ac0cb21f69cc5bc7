#include "core/integration_service.h"

#include <gtest/gtest.h>

#include "core/integration_service_fixture.h"

namespace rd::core {
namespace {

using integration_fixture::IntegrationServiceTest;
using integration_fixture::Script;

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
    if (p) {
      EXPECT_EQ(p->status, "building");
    }
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
