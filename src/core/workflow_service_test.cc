#include "core/workflow_service.h"

#include <gtest/gtest.h>

#include <regex>

#include "core/data_source_service.h"
#include "core/fake_clock.h"
#include "core/links.h"
#include "core/request_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

constexpr int kReminderAfter = 86400;

class WorkflowServiceTest : public ::testing::Test {
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
    sources_ = std::make_unique<DataSourceService>(temp_->store(), temp_->crypto(), clock_);
    WorkflowPolicy policy;
    policy.vendor_reminder_after_seconds = kReminderAfter;
    policy.vendor_max_reminders = 2;
    workflow_ = std::make_unique<WorkflowService>(temp_->store(), temp_->crypto(), clock_,
                                                  *templates_, policy);
  }

  PrivacyRequest Request(const std::string& type = "deletion",
                         const std::string& email = "ana@example.com") {
    NewRequest in;
    in.type = type;
    in.subject = {email, "Ana Example", "+1 415 555 0134"};
    in.skip_verification = true;
    auto q = requests_->Create(in, "user:usr_agent");
    EXPECT_TRUE(q) << q.error().message;
    return *q;
  }

  DataSource Source(const std::string& name, const std::string& process,
                    std::vector<std::string> types = {}, bool handling = true) {
    DataSourceFields f;
    f.name = name;
    f.category = "crm";
    f.process = process;
    f.request_handling = handling;
    f.request_types = std::move(types);
    if (process == "email") f.contact_email = "privacy@" + name + ".example";
    if (process == "manual") f.instructions = "Erase in the admin screen.";
    auto ds = sources_->Create(f, "user:usr_admin");
    EXPECT_TRUE(ds) << ds.error().message;
    return *ds;
  }

  // The request's messages after the acknowledgement every request gets on reaching review.
  std::vector<Message> Messages(const std::string& request_id) {
    std::vector<Message> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      auto m = tx.Messages().ListForRequest(request_id);
      if (!m) return tl::unexpected(m.error());
      for (const auto& msg : *m) {
        if (msg.subject.find("we received your privacy request") == std::string::npos) {
          out.push_back(msg);
        }
      }
      return {};
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

  std::vector<std::string> Kinds(const std::string& request_id) {
    std::vector<std::string> out;
    for (const auto& e : Events(request_id)) out.push_back(e.kind);
    return out;
  }

  int Count(const std::vector<std::string>& kinds, const std::string& kind) {
    return static_cast<int>(std::count(kinds.begin(), kinds.end(), kind));
  }

  // Claims and completes every job due at `now`, returning them.
  std::vector<Job> DueJobs(UnixTime now) {
    std::vector<Job> out;
    EXPECT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
      for (;;) {
        auto j = tx.Jobs().Claim("test", now, 60);
        if (!j) return tl::unexpected(j.error());
        if (!*j) return {};
        out.push_back(**j);
        if (auto s = tx.Jobs().Complete((*j)->id, "test", now); !s) return s;
      }
    }));
    return out;
  }

  std::vector<Job> DueReminders(UnixTime now) {
    std::vector<Job> out;
    for (auto& j : DueJobs(now)) {
      if (j.kind == "task.remind") out.push_back(j);
    }
    return out;
  }

  RequestStatus StatusOf(const std::string& id) { return requests_->Get(id)->status; }

  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<DataSourceService> sources_;
  std::unique_ptr<WorkflowService> workflow_;
};

TEST_F(WorkflowServiceTest, ASourceWithOpenTasksCannotBeArchived) {
  const auto q = Request();
  const auto manual = Source("billing", "manual");
  const auto email = Source("mailer", "email");
  auto r = workflow_->Continue(q.id, std::vector<std::string>{manual.id, email.id}, "user:a");
  ASSERT_TRUE(r) << r.error().message;
  // Pending (manual) and waiting (email) tasks both hold their source.
  for (const auto* ds : {&manual, &email}) {
    auto st = sources_->Archive(ds->id, "user:admin");
    ASSERT_FALSE(st) << ds->name;
    EXPECT_EQ(st.error().code, Errc::kConflict);
    EXPECT_NE(st.error().message.find("1 open task"), std::string::npos) << st.error().message;
    EXPECT_FALSE(sources_->Get(ds->id)->archived);
  }
  ASSERT_TRUE(workflow_->CompleteTask(q.id, r->tasks[0].id, "done", "user:a"));
  ASSERT_TRUE(workflow_->SkipTask(q.id, r->tasks[1].id, "vendor gone", "user:a"));
  EXPECT_TRUE(sources_->Archive(manual.id, "user:admin"));
  EXPECT_TRUE(sources_->Archive(email.id, "user:admin"));
  EXPECT_EQ(sources_->Archive(email.id, "user:admin").error().code, Errc::kNotFound);
}

TEST_F(WorkflowServiceTest, ContinueOnChosenSourcesCreatesTasksAndEmailsTheVendor) {
  const auto q = Request();
  const auto manual = Source("billing", "manual");
  const auto email = Source("mailer", "email");
  Source("unused", "manual");
  auto r = workflow_->Continue(q.id, std::vector<std::string>{manual.id, email.id}, "user:usr_a");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request.status, RequestStatus::kProcess);
  ASSERT_EQ(r->tasks.size(), 2u);
  EXPECT_EQ(r->tasks[0].status, TaskStatus::kPending);
  EXPECT_EQ(r->tasks[0].instructions, "Erase in the admin screen.");
  EXPECT_EQ(r->tasks[0].source_name, "billing");
  EXPECT_EQ(r->tasks[1].status, TaskStatus::kWaiting);
  EXPECT_EQ(r->tasks[1].contact_email, "privacy@mailer.example");
  EXPECT_EQ(StatusOf(q.id), RequestStatus::kProcess);

  const auto messages = Messages(q.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].recipient, "privacy@mailer.example");
  EXPECT_NE(messages[0].subject.find(q.reference), std::string::npos);
  const std::string& body = messages[0].body;
  EXPECT_NE(body.find("delete all personal data you hold about this person"), std::string::npos);
  EXPECT_NE(body.find("Email: ana@example.com"), std::string::npos);
  EXPECT_NE(body.find("Name: Ana Example"), std::string::npos);
  EXPECT_NE(body.find("https://privacy.shop.example/vendor/tasks/" + r->tasks[1].id +
                      "?token=" + VendorToken(temp_->crypto(), r->tasks[1].id)),
            std::string::npos);

  const auto kinds = Kinds(q.id);
  EXPECT_EQ(Count(kinds, "request.continued"), 1);
  EXPECT_EQ(Count(kinds, "task.created"), 2);
  for (const auto& e : Events(q.id)) {
    EXPECT_EQ(e.detail.find("ana@example.com"), std::string::npos) << e.kind;
  }
  // The first reminder is due after the delay, not before.
  EXPECT_TRUE(DueReminders(clock_.Now() + kReminderAfter - 1).empty());
  EXPECT_EQ(DueReminders(clock_.Now() + kReminderAfter).size(), 1u);
}

TEST_F(WorkflowServiceTest, WithoutIdsThePreselectionApplies) {
  const auto q = Request("deletion");
  const auto all = Source("all", "manual");
  const auto deletion = Source("erase", "email", {"deletion", "copy"});
  Source("copy-only", "manual", {"copy"});
  Source("not-in-handling", "manual", {}, false);
  const auto archived = Source("gone", "manual");
  ASSERT_TRUE(sources_->Archive(archived.id, "user:a"));

  auto applicable = workflow_->ApplicableSources(q);
  ASSERT_TRUE(applicable);
  std::vector<std::string> names;
  for (const auto& ds : *applicable) names.push_back(ds.name);
  EXPECT_EQ(names, (std::vector<std::string>{"all", "erase"}));

  auto r = workflow_->Continue(q.id, std::nullopt, "user:a");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->tasks.size(), 2u);
  EXPECT_EQ(r->tasks[0].data_source_id, all.id);
  EXPECT_EQ(r->tasks[1].data_source_id, deletion.id);
}

TEST_F(WorkflowServiceTest, BadSourcesAreRefusedByIdAndNothingIsStored) {
  const auto q = Request("deletion");
  const auto good = Source("good", "manual");
  const auto copy_only = Source("copy-only", "manual", {"copy"});
  const auto archived = Source("gone", "manual");
  ASSERT_TRUE(sources_->Archive(archived.id, "user:a"));
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{good.id, copy_only.id}, "data_source_ids: " + copy_only.id + " does not handle deletion"},
      {{good.id, "ds_missing"}, "data_source_ids: no data source ds_missing"},
      {{archived.id}, "data_source_ids: " + archived.id + " is archived"},
      {{good.id, good.id}, "data_source_ids: " + good.id + " is listed twice"},
  };
  for (const auto& [ids, message] : cases) {
    auto r = workflow_->Continue(q.id, ids, "user:a");
    ASSERT_FALSE(r) << message;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind(message, 0), 0u) << r.error().message;
  }
  EXPECT_EQ(StatusOf(q.id), RequestStatus::kReview);
  EXPECT_TRUE(workflow_->Tasks(q.id)->empty());
  EXPECT_TRUE(Messages(q.id).empty());
  EXPECT_EQ(Count(Kinds(q.id), "request.continued"), 0);
}

TEST_F(WorkflowServiceTest, OnlyARequestInReviewAndNotOnHoldContinues) {
  const auto q = Request();
  ASSERT_TRUE(temp_->store().Write(
      [&](Transaction& tx) { return tx.Requests().SetHold(q.id, "legal hold", clock_.Now()); }));
  auto held = workflow_->Continue(q.id, std::vector<std::string>{}, "user:a");
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error().code, Errc::kConflict);
  EXPECT_EQ(held.error().message, "the request is on hold: release it first");
  ASSERT_TRUE(temp_->store().Write(
      [&](Transaction& tx) { return tx.Requests().SetHold(q.id, "", clock_.Now()); }));

  const auto m = Source("m", "manual");
  ASSERT_TRUE(workflow_->Continue(q.id, std::vector<std::string>{m.id}, "user:a"));
  auto again = workflow_->Continue(q.id, std::vector<std::string>{m.id}, "user:a");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_EQ(workflow_->Continue("req_missing", std::nullopt, "user:a").error().code,
            Errc::kNotFound);
}

TEST_F(WorkflowServiceTest, CompletingAndSkippingTheLastTaskMovesTheRequestToReply) {
  const auto q = Request();
  const auto manual = Source("billing", "manual");
  const auto email = Source("mailer", "email");
  auto r = workflow_->Continue(q.id, std::vector<std::string>{manual.id, email.id}, "user:a");
  ASSERT_TRUE(r);
  const std::string manual_task = r->tasks[0].id;
  const std::string email_task = r->tasks[1].id;

  auto done = workflow_->CompleteTask(q.id, manual_task, "Ticket OPS-12, erased.", "user:usr_b");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->task.status, TaskStatus::kDone);
  EXPECT_EQ(done->task.note, "Ticket OPS-12, erased.");
  EXPECT_EQ(done->task.completed_by, "user:usr_b");
  EXPECT_EQ(done->request_status, RequestStatus::kProcess);
  auto twice = workflow_->CompleteTask(q.id, manual_task, "", "user:usr_b");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::kConflict);

  auto no_reason = workflow_->SkipTask(q.id, email_task, "", "user:usr_b");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().message.rfind("reason:", 0), 0u);
  auto skipped = workflow_->SkipTask(q.id, email_task, "Vendor holds no data.", "user:usr_b");
  ASSERT_TRUE(skipped) << skipped.error().message;
  EXPECT_EQ(skipped->task.status, TaskStatus::kSkipped);
  EXPECT_EQ(skipped->request_status, RequestStatus::kReply);
  EXPECT_EQ(StatusOf(q.id), RequestStatus::kReply);

  const auto events = Events(q.id);
  bool finished = false;
  for (const auto& e : events) {
    EXPECT_EQ(e.detail.find("OPS-12"), std::string::npos) << "notes stay out of the audit";
    if (e.kind == "request.tasks_finished") {
      finished = true;
      EXPECT_EQ(e.actor, "system");
      EXPECT_EQ(e.detail, "{\"done\":1,\"skipped\":1}");
    }
    if (e.kind == "task.completed") {
      EXPECT_EQ(e.detail, "{\"task_id\":\"" + manual_task + "\",\"by\":\"user:usr_b\"}");
    }
  }
  EXPECT_TRUE(finished);

  // The request left process: tasks no longer change.
  auto late = workflow_->RetryTask(q.id, email_task, "user:usr_b");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::kConflict);
}

TEST_F(WorkflowServiceTest, ATaskOfAnotherRequestIsNotFound) {
  const auto q1 = Request("deletion", "a@example.com");
  const auto q2 = Request("deletion", "b@example.com");
  const auto m = Source("m", "manual");
  auto r1 = workflow_->Continue(q1.id, std::vector<std::string>{m.id}, "user:a");
  ASSERT_TRUE(workflow_->Continue(q2.id, std::vector<std::string>{m.id}, "user:a"));
  auto wrong = workflow_->CompleteTask(q2.id, r1->tasks[0].id, "", "user:a");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::kNotFound);
  auto long_note = workflow_->CompleteTask(q1.id, r1->tasks[0].id, std::string(5001, 'x'), "u");
  ASSERT_FALSE(long_note);
  EXPECT_EQ(long_note.error().message.rfind("note:", 0), 0u);
}

TEST_F(WorkflowServiceTest, ZeroSourcesGoStraightToReply) {
  const auto q = Request();
  auto r = workflow_->Continue(q.id, std::vector<std::string>{}, "user:a");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->tasks.empty());
  EXPECT_EQ(r->request.status, RequestStatus::kReply);
  EXPECT_EQ(StatusOf(q.id), RequestStatus::kReply);
  const auto kinds = Kinds(q.id);
  EXPECT_EQ(Count(kinds, "request.continued"), 1);
  EXPECT_EQ(Count(kinds, "request.tasks_finished"), 1);
}

TEST_F(WorkflowServiceTest, DoNotMailAddsTheAddressToTheSuppressionListOnce) {
  const auto first = Request("do_not_mail", "Opt.Out@Example.com");
  const auto second = Request("do_not_mail", "opt.out@example.com");
  ASSERT_TRUE(workflow_->Continue(first.id, std::vector<std::string>{}, "user:a"));
  ASSERT_TRUE(workflow_->Continue(second.id, std::vector<std::string>{}, "user:a"));
  auto list = workflow_->Suppressed(100, "");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].email, "opt.out@example.com");
  EXPECT_EQ(list->items[0].email_sha256, temp_->crypto().Sha256Hex("opt.out@example.com"));
  EXPECT_EQ(list->items[0].request_id, first.id);
  EXPECT_EQ(Count(Kinds(first.id), "suppression.added"), 1);
  EXPECT_EQ(Count(Kinds(second.id), "suppression.added"), 0);
  // A deletion request does not suppress.
  const auto deletion = Request("deletion", "other@example.com");
  ASSERT_TRUE(workflow_->Continue(deletion.id, std::vector<std::string>{}, "user:a"));
  EXPECT_EQ(workflow_->Suppressed(100, "")->items.size(), 1u);
  EXPECT_EQ(workflow_->Suppressed(0, "").error().code, Errc::kInvalidArgument);
}

TEST_F(WorkflowServiceTest, RetryResendsAWaitingVendorEmailOrRequeuesAFailedTask) {
  const auto q = Request();
  const auto manual = Source("billing", "manual");
  const auto email = Source("mailer", "email");
  auto r = workflow_->Continue(q.id, std::vector<std::string>{manual.id, email.id}, "user:a");
  ASSERT_TRUE(r);
  const std::string manual_task = r->tasks[0].id;
  const std::string email_task = r->tasks[1].id;

  clock_.Advance(3600);
  auto resent = workflow_->RetryTask(q.id, email_task, "user:a");
  ASSERT_TRUE(resent) << resent.error().message;
  EXPECT_EQ(resent->task.status, TaskStatus::kWaiting);
  EXPECT_EQ(resent->task.reminders, 0);
  EXPECT_EQ(Messages(q.id).size(), 2u);
  EXPECT_EQ(Count(Kinds(q.id), "task.retried"), 1);

  auto pending = workflow_->RetryTask(q.id, manual_task, "user:a");
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().code, Errc::kConflict);

  // A failed task (an integration gave up) goes back to pending.
  ASSERT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
    auto t = tx.Tasks().Get(manual_task);
    t->status = TaskStatus::kFailed;
    return tx.Tasks().Update(*t, TaskStatus::kPending);
  }));
  auto requeued = workflow_->RetryTask(q.id, manual_task, "user:a");
  ASSERT_TRUE(requeued) << requeued.error().message;
  EXPECT_EQ(requeued->task.status, TaskStatus::kPending);

  ASSERT_TRUE(workflow_->CompleteTask(q.id, manual_task, "", "user:a"));
  auto done = workflow_->RetryTask(q.id, manual_task, "user:a");
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, Errc::kConflict);
}

TEST_F(WorkflowServiceTest, RemindersFollowTheDelayUpToTheMaximum) {
  const auto q = Request();
  const auto email = Source("mailer", "email");
  auto r = workflow_->Continue(q.id, std::vector<std::string>{email.id}, "user:a");
  ASSERT_TRUE(r);
  const std::string task = r->tasks[0].id;

  // A job that runs too early (superseded) does nothing.
  ASSERT_TRUE(workflow_->RemindVendor(task));
  EXPECT_EQ(Messages(q.id).size(), 1u);

  for (int n = 1; n <= 2; ++n) {
    clock_.Advance(kReminderAfter);
    auto due = DueReminders(clock_.Now());
    ASSERT_EQ(due.size(), 1u) << n;
    ASSERT_TRUE(workflow_->RemindVendor(task));
    const auto messages = Messages(q.id);
    ASSERT_EQ(messages.size(), static_cast<std::size_t>(1 + n));
    EXPECT_EQ(messages.back().recipient, "privacy@mailer.example");
    EXPECT_EQ(messages.back().subject.rfind("Reminder:", 0), 0u);
    EXPECT_EQ(workflow_->Tasks(q.id)->front().reminders, n);
  }
  // The maximum (2) is reached: no further job, and a stray one sends nothing.
  clock_.Advance(kReminderAfter);
  EXPECT_TRUE(DueReminders(clock_.Now()).empty());
  ASSERT_TRUE(workflow_->RemindVendor(task));
  EXPECT_EQ(Messages(q.id).size(), 3u);
  EXPECT_EQ(Count(Kinds(q.id), "task.reminded"), 2);
}

TEST_F(WorkflowServiceTest, AConfirmedTaskGetsNoReminder) {
  const auto q = Request();
  const auto email = Source("mailer", "email");
  auto r = workflow_->Continue(q.id, std::vector<std::string>{email.id}, "user:a");
  ASSERT_TRUE(r);
  const std::string task = r->tasks[0].id;
  ASSERT_TRUE(workflow_->VendorConfirm(task, VendorToken(temp_->crypto(), task), ""));
  clock_.Advance(kReminderAfter);
  ASSERT_TRUE(workflow_->RemindVendor(task));
  EXPECT_EQ(Messages(q.id).size(), 1u);
}

TEST_F(WorkflowServiceTest, TheVendorConfirmsWithTheSignedLinkOnly) {
  const auto q = Request();
  const auto manual = Source("billing", "manual");
  const auto email = Source("mailer", "email");
  auto r = workflow_->Continue(q.id, std::vector<std::string>{manual.id, email.id}, "user:a");
  ASSERT_TRUE(r);
  const std::string task = r->tasks[1].id;
  const std::string token = VendorToken(temp_->crypto(), task);

  for (const auto& [id, tok] : std::vector<std::pair<std::string, std::string>>{
           {task, ""},
           {task, "0123456789abcdef0123456789abcdef"},
           {task, VendorToken(temp_->crypto(), r->tasks[0].id)},
           {"task_missing", VendorToken(temp_->crypto(), "task_missing")},
           {r->tasks[0].id, VendorToken(temp_->crypto(), r->tasks[0].id)},  // not an email task
       }) {
    EXPECT_EQ(workflow_->VendorView(id, tok).error().code, Errc::kNotFound) << id << " " << tok;
    EXPECT_EQ(workflow_->VendorConfirm(id, tok, "").error().code, Errc::kNotFound);
  }
  EXPECT_EQ(workflow_->Tasks(q.id)->at(1).status, TaskStatus::kWaiting);

  auto view = workflow_->VendorView(task, token);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->reference, q.reference);
  EXPECT_EQ(view->org_name, "Example Shop");
  EXPECT_EQ(view->type, "deletion");
  EXPECT_EQ(view->source_name, "mailer");
  EXPECT_TRUE(view->action_needed);

  auto confirmed = workflow_->VendorConfirm(task, token, "Deleted on our side.");
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->status, TaskStatus::kDone);
  EXPECT_FALSE(confirmed->action_needed);
  auto again = workflow_->VendorConfirm(task, token, "");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, TaskStatus::kDone);
  const auto t = workflow_->Tasks(q.id)->at(1);
  EXPECT_EQ(t.completed_by, "vendor");
  EXPECT_EQ(t.note, "Deleted on our side.");
  EXPECT_EQ(Count(Kinds(q.id), "task.completed"), 1);
  EXPECT_EQ(StatusOf(q.id), RequestStatus::kProcess);  // the manual task is still open

  ASSERT_TRUE(workflow_->CompleteTask(q.id, r->tasks[0].id, "", "user:a"));
  EXPECT_EQ(StatusOf(q.id), RequestStatus::kReply);
}

}  // namespace
}  // namespace rd::core
