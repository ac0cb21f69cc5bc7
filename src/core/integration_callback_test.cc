// The integration service's deferred tasks: a webhook answers 202 and calls back later.
#include <gtest/gtest.h>

#include "core/integration_service.h"
#include "core/integration_service_fixture.h"

namespace rd::core {
namespace {

using integration_fixture::IntegrationServiceTest;
using integration_fixture::Script;

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

}  // namespace
}  // namespace rd::core
