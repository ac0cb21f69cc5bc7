#include "core/reply_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/fake_clock.h"
#include "core/request_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

class ReplyServiceTest : public ::testing::Test {
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
    replies_ = std::make_unique<ReplyService>(temp_->store(), *templates_, temp_->crypto(), clock_);
  }

  // A request in review (entered by an agent).
  PrivacyRequest InReview(const std::string& type = "deletion") {
    NewRequest in;
    in.type = type;
    in.subject.email = "ana@example.com";
    in.subject.name = "Ana";
    in.skip_verification = true;
    auto q = requests_->Create(in, "user:usr_agent");
    EXPECT_TRUE(q) << q.error().message;
    return *q;
  }

  // A request that went through process with tasks in `statuses` and is now in reply. The task
  // workflow is another service's; here the rows are written directly.
  PrivacyRequest InReplyWithTasks(const std::vector<TaskStatus>& statuses) {
    const PrivacyRequest q = InReview();
    const UnixTime now = clock_.Now();
    EXPECT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
      if (auto s = tx.Requests().Transition(q.id, RequestStatus::kReview, RequestStatus::kProcess,
                                            std::nullopt, now);
          !s) {
        return s;
      }
      for (std::size_t i = 0; i < statuses.size(); ++i) {
        const std::string n = std::to_string(i);
        DataSource ds;
        ds.id = "ds_" + q.id.substr(4) + n;
        ds.name = "Source " + n;
        ds.category = "crm";
        ds.process = "manual";
        ds.created_at = ds.updated_at = now;
        if (auto s = tx.DataSources().Insert(ds); !s) return s;
        Task t;
        t.id = "task_" + q.id.substr(4) + n;
        t.request_id = q.id;
        t.data_source_id = ds.id;
        t.source_name = ds.name;
        t.process = "manual";
        t.status = statuses[i];
        t.note = statuses[i] == TaskStatus::kSkipped ? "not used for this customer" : "";
        t.result = "{}";
        t.created_at = t.updated_at = now + static_cast<UnixTime>(i);
        if (auto s = tx.Tasks().Insert(t); !s) return s;
      }
      return tx.Requests().Transition(q.id, RequestStatus::kProcess, RequestStatus::kReply,
                                      std::nullopt, now);
    }));
    return q;
  }

  std::vector<AuditEvent> History(const std::string& id) {
    auto h = requests_->History(id);
    EXPECT_TRUE(h) << h.error().message;
    return *h;
  }

  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<ReplyService> replies_;
};

TEST_F(ReplyServiceTest, NoTasksMeansFulfilled) {
  const PrivacyRequest q = InReplyWithTasks({});
  auto d = replies_->Draft(q.id);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->outcome, Outcome::kFulfilled);
  EXPECT_EQ(d->template_key, "reply.deletion.fulfilled");
  EXPECT_EQ(d->to, "ana@example.com");
  EXPECT_NE(d->subject.find(q.reference), std::string::npos);
  EXPECT_NE(d->body.find("Hello Ana,"), std::string::npos) << d->body;
  EXPECT_NE(d->body.find("We have deleted the personal data"), std::string::npos);
}

TEST_F(ReplyServiceTest, EveryTaskDoneIsFulfilledAndASkippedOneIsPartial) {
  const PrivacyRequest done = InReplyWithTasks({TaskStatus::kDone, TaskStatus::kDone});
  EXPECT_EQ(replies_->Draft(done.id)->outcome, Outcome::kFulfilled);

  const PrivacyRequest partial = InReplyWithTasks({TaskStatus::kDone, TaskStatus::kSkipped});
  ASSERT_TRUE(
      templates_->Put("reply.deletion.partially_fulfilled", "Partly done: {{reference}}",
                      "{{#tasks}}- {{source_name}}: {{status}}{{#note}} ({{note}}){{/note}}\n"
                      "{{/tasks}}",
                      "user:usr_admin"));
  auto d = replies_->Draft(partial.id);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->outcome, Outcome::kPartiallyFulfilled);
  EXPECT_EQ(d->template_key, "reply.deletion.partially_fulfilled");
  EXPECT_EQ(d->subject, "Partly done: " + partial.reference);
  EXPECT_EQ(d->body, "- Source 0: done\n- Source 1: skipped (not used for this customer)\n");

  const PrivacyRequest failed = InReplyWithTasks({TaskStatus::kFailed});
  EXPECT_EQ(replies_->Draft(failed.id)->outcome, Outcome::kPartiallyFulfilled);
}

TEST_F(ReplyServiceTest, ARejectionUsesTheReasonsTemplateWithTheNote) {
  const PrivacyRequest q = InReview();
  ASSERT_TRUE(requests_->Reject(q.id, "no_match", "Searched CRM and billing.", "user:usr_agent"));
  ASSERT_TRUE(templates_->Put("reply.rejected.no_match", "{{reference}}: nothing found",
                              "Note: {{note}}", "user:usr_admin"));
  auto d = replies_->Draft(q.id);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->outcome, Outcome::kRejected);
  EXPECT_EQ(d->template_key, "reply.rejected.no_match");
  EXPECT_EQ(d->body, "Note: Searched CRM and billing.");

  auto override = replies_->Send(q.id, "s", "b", std::string("fulfilled"), "user:usr_agent");
  ASSERT_FALSE(override);
  EXPECT_EQ(override.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(override.error().message.rfind("outcome: ", 0), 0u);

  auto sent = replies_->Send(q.id, d->subject, "Edited: nothing about you.", std::nullopt,
                             "user:usr_agent");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->request.status, RequestStatus::kClosed);
  EXPECT_EQ(sent->request.outcome, Outcome::kRejected);
  EXPECT_EQ(requests_->Get(q.id)->outcome, Outcome::kRejected);
}

TEST_F(ReplyServiceTest, SendingEmailsTheSubjectClosesAndAudits) {
  const PrivacyRequest q = InReplyWithTasks({TaskStatus::kDone});
  auto sent =
      replies_->Send(q.id, "Your request", "Done.\nThanks.", std::nullopt, "user:usr_agent");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->template_key, "reply.deletion.fulfilled");
  auto stored = requests_->Get(q.id);
  EXPECT_EQ(stored->status, RequestStatus::kClosed);
  EXPECT_EQ(stored->outcome, Outcome::kFulfilled);
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto m = tx.Messages().Get(sent->message_id);
    EXPECT_TRUE(m);
    EXPECT_EQ(m->recipient, "ana@example.com");
    EXPECT_EQ(m->sender, "user:usr_agent");
    EXPECT_EQ(m->body, "Done.\nThanks.");
    return {};
  }));
  std::vector<std::string> kinds;
  for (const auto& e : History(q.id)) {
    kinds.push_back(e.kind);
    EXPECT_EQ(e.detail.find("ana@"), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find("Thanks"), std::string::npos) << e.detail;
  }
  ASSERT_GE(kinds.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(kinds.end() - 3, kinds.end()),
            (std::vector<std::string>{"email.queued", "request.replied", "request.closed"}));

  auto again = replies_->Send(q.id, "Your request", "Again", std::nullopt, "user:usr_agent");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_NE(again.error().message.find("closed"), std::string::npos);
}

TEST_F(ReplyServiceTest, AnAgentMayCallItPartial) {
  const PrivacyRequest q = InReplyWithTasks({TaskStatus::kDone});
  auto bad = replies_->Send(q.id, "s", "b", std::string("rejected"), "user:usr_agent");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
  auto sent = replies_->Send(q.id, "s", "b", std::string("partially_fulfilled"), "user:usr_agent");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->request.outcome, Outcome::kPartiallyFulfilled);
  EXPECT_EQ(sent->template_key, "reply.deletion.partially_fulfilled");
}

TEST_F(ReplyServiceTest, WrongStatusIsAConflictNamingTheStatus) {
  const PrivacyRequest q = InReview();
  auto d = replies_->Draft(q.id);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::kConflict);
  EXPECT_NE(d.error().message.find("review"), std::string::npos) << d.error().message;
  auto s = replies_->Send(q.id, "s", "b", std::nullopt, "user:usr_agent");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::kConflict);
  EXPECT_EQ(replies_->Draft("req_missing").error().code, Errc::kNotFound);
}

TEST_F(ReplyServiceTest, OnHoldIsRefusedUntilReleased) {
  const PrivacyRequest q = InReplyWithTasks({});
  ASSERT_TRUE(temp_->store().Write(
      [&](Transaction& tx) { return tx.Requests().SetHold(q.id, "legal hold", clock_.Now()); }));
  auto s = replies_->Send(q.id, "s", "b", std::nullopt, "user:usr_agent");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::kConflict);
  EXPECT_EQ(s.error().message, "the request is on hold: release it first");
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply) << "nothing changed";
  ASSERT_TRUE(temp_->store().Write(
      [&](Transaction& tx) { return tx.Requests().SetHold(q.id, "", clock_.Now()); }));
  EXPECT_TRUE(replies_->Send(q.id, "s", "b", std::nullopt, "user:usr_agent"));
}

TEST_F(ReplyServiceTest, BadReplyTextIsRefusedNamingTheField) {
  const PrivacyRequest q = InReplyWithTasks({});
  const struct {
    std::string subject, body, field;
  } cases[] = {
      {"", "b", "subject: "}, {std::string(301, 's'), "b", "subject: "}, {"a\nb", "b", "subject: "},
      {"s", "", "body: "},    {"s", std::string(50001, 'b'), "body: "},
  };
  for (const auto& c : cases) {
    auto r = replies_->Send(q.id, c.subject, c.body, std::nullopt, "user:usr_agent");
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind(c.field, 0), 0u) << r.error().message;
  }
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReply);
}

}  // namespace
}  // namespace rd::core
