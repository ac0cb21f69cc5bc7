#include "core/subject_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>

#include "core/case_service.h"
#include "core/fake_clock.h"
#include "core/intake_service.h"
#include "core/links.h"
#include "core/request_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

class SubjectServiceTest : public ::testing::Test {
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
    IntakePolicy intake;
    intake.per_address_per_hour = 0;
    intake.per_identity_per_day = 0;
    intake_ = std::make_unique<IntakeService>(temp_->store(), temp_->crypto(), clock_, *templates_,
                                              intake);
    cases_ = std::make_unique<CaseService>(temp_->store(), temp_->crypto(), clock_, *templates_,
                                           CasePolicy{});
    SubjectPolicy policy;
    policy.max_messages_per_hour = 3;
    subjects_ = std::make_unique<SubjectService>(temp_->store(), temp_->crypto(), clock_,
                                                 *templates_, policy);
  }

  // A request in review, as an agent enters it, and its status token.
  std::pair<PrivacyRequest, std::string> InReview() {
    NewRequest in;
    in.type = "deletion";
    in.subject = {"sam@example.org", "Sam", ""};
    in.jurisdiction = "gdpr";
    in.skip_verification = true;
    auto q = requests_->Create(in, "user:usr_a");
    EXPECT_TRUE(q) << q.error().message;
    return {*q, StatusToken(temp_->crypto(), q->id)};
  }

  // A Privacy Center submission, still unverified, and its status token.
  SubmissionReceipt Submitted() {
    Submission s;
    s.type = "copy";
    s.subject.email = "sam@example.org";
    s.client_address = "192.0.2.1";
    auto r = intake_->Submit(s);
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

  std::string CodeOf(const std::string& request_id) {
    std::string code;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      auto messages = tx.Messages().ListForRequest(request_id);
      if (!messages) return tl::unexpected(messages.error());
      std::smatch m;
      const std::string body = messages->front().body;
      if (std::regex_search(body, m, std::regex("\\n    (\\d{6})\\n"))) code = m[1];
      return {};
    }));
    return code;
  }

  // The request's messages after the acknowledgement every request gets on reaching review.
  std::vector<Message> MessagesAfterAcknowledgement(const std::string& id) {
    std::vector<Message> out;
    const auto all = cases_->Messages(id);
    for (const auto& m : *all) {
      if (m.subject.find("we received your privacy request") == std::string::npos) out.push_back(m);
    }
    return out;
  }
  std::size_t MessageCount(const std::string& id) {
    return MessagesAfterAcknowledgement(id).size();
  }

  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<CaseService> cases_;
  std::unique_ptr<SubjectService> subjects_;
};

TEST_F(SubjectServiceTest, EveryCallNeedsTheStatusToken) {
  auto [q, token] = InReview();
  auto other = InReview();
  for (const std::string& bad : {std::string(), std::string("00"), other.second}) {
    auto page = subjects_->StatusPage(q.id, bad);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, Errc::kNotFound);
    EXPECT_EQ(subjects_->PostMessage(q.id, bad, "hello").error().code, Errc::kNotFound);
    EXPECT_EQ(subjects_->Withdraw(q.id, bad).error().code, Errc::kNotFound);
  }
  auto unknown = subjects_->StatusPage("req_missing", token);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
  EXPECT_EQ(unknown.error().message, subjects_->StatusPage(q.id, "00").error().message);
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReview);
  EXPECT_EQ(MessageCount(q.id), 0u);
}

TEST_F(SubjectServiceTest, StatusPageShowsTheSubjectsConversationOnly) {
  const SubmissionReceipt r = Submitted();
  const std::string id = r.request.id;
  ASSERT_TRUE(intake_->VerifyCode(id, CodeOf(id)));
  clock_.Advance(60);
  ASSERT_TRUE(cases_->SendMessage(id, "Which account is yours?", "user:usr_a"));
  // A vendor email of the same request is not the subject's business.
  ASSERT_TRUE(temp_->store().Write([&](Transaction& tx) {
    return tx.Messages().Insert({"msg_vendor", id, "out", "system", "privacy@vendor.example",
                                 "Delete Sam", "Please delete", clock_.Now(), std::nullopt});
  }));
  clock_.Advance(60);
  auto posted = subjects_->PostMessage(id, r.status_token, "The one ending in 4711-zq.");
  ASSERT_TRUE(posted) << posted.error().message;
  EXPECT_EQ(posted->direction, "in");

  auto page = subjects_->StatusPage(id, r.status_token);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->request.status, RequestStatus::kReview);
  EXPECT_TRUE(page->can_withdraw);
  // Not the verification email, not the vendor's: the acknowledgement, ours, and theirs.
  ASSERT_EQ(page->messages.size(), 3u);
  EXPECT_NE(page->messages[0].subject.find("we received your privacy request"), std::string::npos);
  EXPECT_EQ(page->messages[1].direction, "out");
  EXPECT_NE(page->messages[1].body.find("Which account is yours?"), std::string::npos);
  EXPECT_EQ(page->messages[2].direction, "in");
  EXPECT_EQ(page->messages[2].body, "The one ending in 4711-zq.");
  EXPECT_EQ(page->messages[2].at, clock_.Now());

  // The agent sees everything, the subject's message included.
  auto all = cases_->Messages(id);
  ASSERT_EQ(all->size(), 5u);  // with the verification email and the vendor's
  EXPECT_EQ(all->back().sender, "subject");
  EXPECT_EQ(all->back().recipient, "");
  auto history = requests_->History(id);
  EXPECT_EQ(history->back().kind, "message.received");
  EXPECT_EQ(history->back().actor, "subject");
  // The text is not in the audit detail (ids are hex: "zq" cannot occur in them).
  EXPECT_EQ(history->back().detail.find("4711-zq"), std::string::npos);
}

TEST_F(SubjectServiceTest, SubjectMessagesHaveLimits) {
  auto [q, token] = InReview();
  for (const std::string& bad :
       {std::string(), std::string(" \n"), std::string(5001, 'x'), std::string("esc\x1b[2J")}) {
    auto m = subjects_->PostMessage(q.id, token, bad);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(m.error().message.rfind("body:", 0), 0u) << m.error().message;
  }
  EXPECT_TRUE(subjects_->PostMessage(q.id, token, std::string(5000, 'x')));
  EXPECT_TRUE(subjects_->PostMessage(q.id, token, "two"));
  EXPECT_TRUE(subjects_->PostMessage(q.id, token, "three"));
  auto limited = subjects_->PostMessage(q.id, token, "four");
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, Errc::kRateLimited);
  EXPECT_EQ(MessageCount(q.id), 3u);
  clock_.Advance(3601);
  EXPECT_TRUE(subjects_->PostMessage(q.id, token, "an hour later"));

  ASSERT_TRUE(subjects_->Withdraw(q.id, token));
  auto closed = subjects_->PostMessage(q.id, token, "after");
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, Errc::kConflict);
}

TEST_F(SubjectServiceTest, UnverifiedRequestsTakeNoMessages) {
  const SubmissionReceipt r = Submitted();
  auto m = subjects_->PostMessage(r.request.id, r.status_token, "hello");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Errc::kConflict);
  EXPECT_EQ(MessageCount(r.request.id), 1u);  // the verification email only
  // Nor does the status page show the code to whoever holds the link.
  auto page = subjects_->StatusPage(r.request.id, r.status_token);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->messages.empty());
}

TEST_F(SubjectServiceTest, WithdrawClosesSkipsOpenTasksAndConfirms) {
  auto [q, token] = InReview();
  ASSERT_TRUE(cases_->Hold(q.id, "Waiting for legal.", "user:usr_a"));
  ASSERT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
    if (auto s = tx.Requests().Transition(q.id, RequestStatus::kReview, RequestStatus::kProcess,
                                          std::nullopt, clock_.Now());
        !s) {
      return s;
    }
    DataSource ds;
    ds.id = "ds_crm";
    ds.name = "CRM";
    ds.category = "crm";
    ds.process = "manual";
    if (auto s = tx.DataSources().Insert(ds); !s) return s;
    int n = 0;
    for (TaskStatus status :
         {TaskStatus::kPending, TaskStatus::kWaiting, TaskStatus::kDone, TaskStatus::kRunning}) {
      Task t;
      t.id = "task_" + std::to_string(n++);
      t.request_id = q.id;
      t.data_source_id = "ds_crm";
      t.source_name = "CRM";
      t.process = "manual";
      t.status = status;
      t.result = "{}";
      if (auto s = tx.Tasks().Insert(t); !s) return s;
    }
    return {};
  }));
  clock_.Advance(60);

  auto w = subjects_->Withdraw(q.id, token);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->status, RequestStatus::kClosed);
  EXPECT_EQ(w->outcome, Outcome::kWithdrawn);
  auto stored = requests_->Get(q.id);
  EXPECT_EQ(stored->status, RequestStatus::kClosed);
  EXPECT_EQ(stored->outcome, Outcome::kWithdrawn);
  EXPECT_TRUE(stored->hold_reason.empty());

  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto tasks = tx.Tasks().ListForRequest(q.id);
    EXPECT_EQ(tasks->size(), 4u);
    for (const auto& t : *tasks) {
      if (t.id == "task_0" || t.id == "task_1") {
        EXPECT_EQ(t.status, TaskStatus::kSkipped) << t.id;
        EXPECT_EQ(t.note, "withdrawn by the subject");
        EXPECT_EQ(t.completed_by, "subject");
        EXPECT_EQ(t.completed_at, clock_.Now());
      } else {
        EXPECT_NE(t.status, TaskStatus::kSkipped) << t.id;
      }
    }
    return {};
  }));

  auto messages = MessagesAfterAcknowledgement(q.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages.front().recipient, "sam@example.org");
  EXPECT_NE(messages.front().subject.find("is withdrawn"), std::string::npos);
  auto history = requests_->History(q.id);
  EXPECT_EQ(history->back().kind, "request.withdrawn");
  EXPECT_EQ(history->back().actor, "subject");
  EXPECT_EQ(history->back().detail, "{\"tasks_skipped\":2,\"hold_ended\":true}");

  auto page = subjects_->StatusPage(q.id, token);
  EXPECT_FALSE(page->can_withdraw);
  auto again = subjects_->Withdraw(q.id, token);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_EQ(MessageCount(q.id), 1u);
}

TEST_F(SubjectServiceTest, WithdrawingAnUnverifiedRequestEndsItsChallenge) {
  const SubmissionReceipt r = Submitted();
  const std::string code = CodeOf(r.request.id);
  ASSERT_TRUE(subjects_->Withdraw(r.request.id, r.status_token));
  auto verify = intake_->VerifyCode(r.request.id, code);
  ASSERT_FALSE(verify);
  EXPECT_EQ(verify.error().code, Errc::kConflict);
  // The expiry job later finds nothing to do.
  EXPECT_TRUE(intake_->ExpireIfUnverified(r.request.id));
  EXPECT_EQ(requests_->Get(r.request.id)->outcome, Outcome::kWithdrawn);
}

}  // namespace
}  // namespace rd::core
