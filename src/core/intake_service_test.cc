#include "core/intake_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>

#include <regex>

#include "core/fake_clock.h"
#include "core/request_type_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

class IntakeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    IntakePolicy policy;
    policy.per_identity_per_day = 2;
    templates_ =
        std::make_unique<TemplateService>(temp_->store(), renderer_, temp_->crypto(), clock_,
                                          OrgInfo{"Example Shop", "https://privacy.shop.example"});
    intake_ = std::make_unique<IntakeService>(temp_->store(), temp_->crypto(), clock_, *templates_,
                                              policy);
  }

  Submission Valid(const std::string& email = "Sam@Example.org") {
    Submission s;
    s.type = "deletion";
    s.subject.email = email;
    s.jurisdiction = "ccpa";
    s.client_address = "192.0.2.1";
    return s;
  }

  // The code in the verification email of `request_id`.
  std::string CodeOf(const std::string& request_id) {
    std::string code;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      auto messages = tx.Messages().ListForRequest(request_id);
      if (!messages) return tl::unexpected(messages.error());
      for (const Message& msg : *messages) {
        std::smatch m;
        if (std::regex_search(msg.body, m, std::regex("\\n    (\\d{6})\\n"))) code = m[1];
      }
      return {};
    }));
    return code;
  }

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

  // The purposes of the emails queued for `request_id` (from their "email.queued" events).
  std::vector<std::string> Purposes(const std::string& request_id) {
    std::vector<std::string> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      return tx.Audit().ForEach(request_id, 0, 0, [&](const AuditEvent& e) {
        std::smatch m;
        if (e.kind == "email.queued" &&
            std::regex_search(e.detail, m, std::regex("\"purpose\":\"([a-z_.]+)\""))) {
          out.push_back(m[1]);
        }
      });
    }));
    return out;
  }

  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<IntakeService> intake_;
};

TEST_F(IntakeServiceTest, SubmissionStoresTheRequestTheEmailAndTheJobsTogether) {
  auto r = intake_->Submit(Valid());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request.status, RequestStatus::kUnverified);
  EXPECT_EQ(r->request.channel, Channel::kPrivacyCenter);
  EXPECT_EQ(r->request.subject.email, "sam@example.org");
  EXPECT_EQ(r->status_token.size(), 32u);
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto messages = tx.Messages().ListForRequest(r->request.id);
    EXPECT_EQ(messages->size(), 1u);
    const Message& m = messages->front();
    EXPECT_EQ(m.recipient, "sam@example.org");
    EXPECT_NE(m.subject.find("Example Shop"), std::string::npos);
    EXPECT_NE(m.subject.find(r->request.reference), std::string::npos);
    EXPECT_NE(m.body.find("https://privacy.shop.example/privacy/requests/" + r->request.id),
              std::string::npos);
    EXPECT_FALSE(m.sent_at);
    auto v = tx.Verifications().Find(r->request.id);
    EXPECT_TRUE(v);
    EXPECT_EQ(v->expires_at, clock_.Now() + 30 * 60);
    EXPECT_EQ(v->code_hash.find(CodeOf(r->request.id)), std::string::npos) << "stored hashed";
    return {};
  }));
  // Only the email is due now; the expiry job waits 7 days. Neither carries personal data.
  const auto now_jobs = DueJobs(clock_.Now());
  ASSERT_EQ(now_jobs.size(), 1u);
  EXPECT_EQ(now_jobs[0].kind, "email.send");
  EXPECT_EQ(now_jobs[0].payload.find("sam@"), std::string::npos);
  const auto later = DueJobs(clock_.Now() + 7 * 86400);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].kind, "request.expire");
}

TEST_F(IntakeServiceTest, TheRightCodeVerifiesOnce) {
  auto r = intake_->Submit(Valid());
  ASSERT_TRUE(r);
  const std::string code = CodeOf(r->request.id);
  ASSERT_EQ(code.size(), 6u);
  auto v = intake_->VerifyCode(r->request.id, code);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, RequestStatus::kReview);
  EXPECT_EQ(v->verification_method, "email_code");
  EXPECT_EQ(*v->verified_at, clock_.Now());
  auto again = intake_->VerifyCode(r->request.id, code);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
}

TEST_F(IntakeServiceTest, AnExpiredCodeIsRefused) {
  auto r = intake_->Submit(Valid());
  ASSERT_TRUE(r);
  const std::string code = CodeOf(r->request.id);
  clock_.Advance(30 * 60);
  auto v = intake_->VerifyCode(r->request.id, code);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::kInvalidArgument);
  EXPECT_NE(v.error().message.find("expired"), std::string::npos);
}

TEST_F(IntakeServiceTest, UnverifiedRequestsExpireAndVerifiedOnesDoNot) {
  auto stale = intake_->Submit(Valid("a@example.org"));
  auto fresh = intake_->Submit(Valid("b@example.org"));
  ASSERT_TRUE(stale && fresh);
  ASSERT_TRUE(intake_->VerifyCode(fresh->request.id, CodeOf(fresh->request.id)));
  ASSERT_TRUE(intake_->ExpireIfUnverified(stale->request.id));
  ASSERT_TRUE(intake_->ExpireIfUnverified(fresh->request.id));
  ASSERT_TRUE(intake_->ExpireIfUnverified(stale->request.id));  // idempotent
  auto s = intake_->StatusFor(stale->request.id, stale->status_token);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, RequestStatus::kClosed);
  EXPECT_EQ(s->outcome, Outcome::kUnverified);
  EXPECT_EQ(intake_->StatusFor(fresh->request.id, fresh->status_token)->status,
            RequestStatus::kReview);
  // The code of an expired request no longer works.
  EXPECT_EQ(intake_->VerifyCode(stale->request.id, CodeOf(stale->request.id)).error().code,
            Errc::kConflict);
}

// An agent who enters a request and asks for email verification (POST /api/v1/requests with
// skip_verification false) gets a request the subject can confirm: the code and link are
// emailed and the request expires unconfirmed, as a Privacy Center submission does. Before,
// it sat in unverified with no email and no expiry, a request nobody could move.
TEST_F(IntakeServiceTest, AnAgentsUnverifiedRequestIsSentTheCodeAndExpires) {
  NewRequest in;
  in.type = "copy";
  in.subject.email = "Pat@Example.org";
  in.subject.name = "Pat Example";
  in.jurisdiction = "gdpr";
  in.skip_verification = true;  // overridden: this path always asks the subject to confirm
  auto q = intake_->CreateUnverified(in, "user:usr_agent");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, RequestStatus::kUnverified);
  EXPECT_EQ(q->channel, Channel::kManual);
  EXPECT_FALSE(q->status_token_hash.empty());

  std::vector<std::pair<std::string, std::string>> events;
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto messages = tx.Messages().ListForRequest(q->id);
    EXPECT_EQ(messages->size(), 1u);
    EXPECT_EQ(messages->front().recipient, "pat@example.org");
    EXPECT_NE(messages->front().subject.find("confirm your privacy request " + q->reference),
              std::string::npos);
    EXPECT_TRUE(tx.Verifications().Find(q->id));
    return tx.Audit().ForEach(q->id, 0, 0,
                              [&](const AuditEvent& e) { events.emplace_back(e.kind, e.actor); });
  }));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"request.received", "user:usr_agent"}, {"verification.code_sent", "system"}};
  EXPECT_EQ(events, expected);
  EXPECT_TRUE(Purposes(q->id).empty()) << "acknowledged once verified, not before";
  const auto now_jobs = DueJobs(clock_.Now());
  ASSERT_EQ(now_jobs.size(), 1u);
  EXPECT_EQ(now_jobs[0].kind, "email.send");
  const auto later = DueJobs(clock_.Now() + 7 * 86400);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].kind, "request.expire");

  auto verified = intake_->VerifyCode(q->id, CodeOf(q->id));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->status, RequestStatus::kReview);
  EXPECT_EQ(Purposes(q->id), std::vector<std::string>{"acknowledgement"});

  // Bad input stores nothing, as for any request.
  in.subject.email = "not an address";
  auto bad = intake_->CreateUnverified(in, "user:usr_agent");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(bad.error().message.rfind("subject.email", 0), 0u) << bad.error().message;
}

TEST_F(IntakeServiceTest, StatusNeedsTheRightToken) {
  auto r = intake_->Submit(Valid());
  ASSERT_TRUE(r);
  EXPECT_TRUE(intake_->StatusFor(r->request.id, r->status_token));
  EXPECT_EQ(intake_->StatusFor(r->request.id, "").error().code, Errc::kNotFound);
  EXPECT_EQ(intake_->StatusFor(r->request.id, std::string(32, '0')).error().code, Errc::kNotFound);
  EXPECT_EQ(intake_->StatusFor("req_missing", r->status_token).error().code, Errc::kNotFound);
}

TEST_F(IntakeServiceTest, OneIdentityIsLimitedPerDay) {
  EXPECT_TRUE(intake_->Submit(Valid("x@example.org")));
  EXPECT_TRUE(intake_->Submit(Valid("X@example.org")));
  auto third = intake_->Submit(Valid("x@example.org"));
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, Errc::kRateLimited);
  clock_.Advance(86400);
  EXPECT_TRUE(intake_->Submit(Valid("x@example.org")));
}

TEST_F(IntakeServiceTest, InvalidSubmissionsStoreNothing) {
  Submission bad = Valid();
  bad.type = "forget";
  EXPECT_EQ(intake_->Submit(bad).error().code, Errc::kInvalidArgument);
  bad = Valid();
  bad.corrections = "\"x\"";
  EXPECT_NE(intake_->Submit(bad).error().message.find("corrections"), std::string::npos);
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto page = tx.Requests().List(RequestQuery{});
    EXPECT_TRUE(page->items.empty());
    return {};
  }));
}

// What the Privacy Center's route calls: the same submission, answered after its commit.
TEST_F(IntakeServiceTest, AnAsyncSubmissionIsAnsweredAfterItsCommitAndBadOnesAtOnce) {
  Submission gpc = Valid("gpc@example.org");
  gpc.gpc = true;
  std::promise<Result<SubmissionReceipt>> answer;
  intake_->SubmitAsync(gpc, [&](Result<SubmissionReceipt> r) { answer.set_value(std::move(r)); });
  auto r = answer.get_future().get();
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->gpc_request);
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    EXPECT_TRUE(tx.Requests().Get(r->request.id));
    EXPECT_TRUE(tx.Requests().Get(r->gpc_request->id));
    EXPECT_TRUE(tx.Verifications().Find(r->request.id));
    EXPECT_EQ(tx.Messages().ListForRequest(r->request.id)->size(), 1u);
    return {};
  }));
  EXPECT_FALSE(CodeOf(r->request.id).empty());

  Submission bad = Valid();
  bad.type = "forget";
  bool answered = false;
  intake_->SubmitAsync(bad, [&](Result<SubmissionReceipt> e) {
    answered = true;
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, Errc::kInvalidArgument);
  });
  EXPECT_TRUE(answered) << "refused before any write, on the caller's thread";
}

TEST_F(IntakeServiceTest, GlobalPrivacyControlOptOutNeedsNoVerification) {
  Submission s = Valid();
  s.type = "do_not_sell";
  s.gpc = true;
  auto r = intake_->Submit(s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request.status, RequestStatus::kReview);
  EXPECT_EQ(r->request.channel, Channel::kGpc);
  EXPECT_FALSE(r->gpc_request);
  // No code email and no expiry: only the acknowledgement (and the integrations' pre-scan).
  const auto jobs = DueJobs(clock_.Now() + 30 * 86400);
  std::vector<std::string> kinds;
  for (const auto& j : jobs) kinds.push_back(j.kind);
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"email.send", "request.prescan"}));
  EXPECT_EQ(Purposes(r->request.id), std::vector<std::string>{"acknowledgement"});

  Submission other = Valid("other@example.org");
  other.gpc = true;
  auto both = intake_->Submit(other);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->request.status, RequestStatus::kUnverified);
  ASSERT_TRUE(both->gpc_request);
  EXPECT_EQ(both->gpc_request->type, RequestType::kDoNotSell);
  EXPECT_EQ(both->gpc_request->status, RequestStatus::kReview);
  EXPECT_EQ(both->gpc_request->subject.email, "other@example.org");
  EXPECT_EQ(Purposes(both->gpc_request->id), std::vector<std::string>{"acknowledgement"});
}

TEST_F(IntakeServiceTest, VerificationIsAcknowledgedByEmailInTheSameTransaction) {
  auto r = intake_->Submit(Valid());
  ASSERT_TRUE(r);
  EXPECT_TRUE(Purposes(r->request.id).empty()) << "nothing acknowledged before verification";
  ASSERT_TRUE(intake_->VerifyCode(r->request.id, CodeOf(r->request.id)));
  EXPECT_EQ(Purposes(r->request.id), std::vector<std::string>{"acknowledgement"});
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto messages = tx.Messages().ListForRequest(r->request.id);
    EXPECT_EQ(messages->size(), 2u);
    // Both were written at the same second: find the acknowledgement by its subject.
    const Message* ack = nullptr;
    for (const Message& m : *messages) {
      if (m.subject.find("we received your privacy request") != std::string::npos) ack = &m;
    }
    EXPECT_NE(ack, nullptr);
    if (ack == nullptr) return {};
    EXPECT_EQ(ack->recipient, "sam@example.org");
    EXPECT_NE(ack->body.find(r->request.reference), std::string::npos);
    return {};
  }));
}

TEST_F(IntakeServiceTest, AnAdminsVerificationTemplateIsUsed) {
  ASSERT_TRUE(templates_->Put("verification", "Confirm {{reference}} for {{org_name}}",
                              "Your code: {{code}}\n\n    {{code}}\n", "user:usr_admin"));
  auto r = intake_->Submit(Valid());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto messages = tx.Messages().ListForRequest(r->request.id);
    EXPECT_EQ(messages->front().subject, "Confirm " + r->request.reference + " for Example Shop");
    EXPECT_EQ(messages->front().body.rfind("Your code: ", 0), 0u);
    return {};
  }));
  EXPECT_TRUE(intake_->VerifyCode(r->request.id, CodeOf(r->request.id)));
}

// The template in force is kept between submissions; an admin's change applies to the next one.
TEST_F(IntakeServiceTest, ATemplateChangedAfterASubmissionAppliesToTheNext) {
  ASSERT_TRUE(intake_->Submit(Valid()));
  ASSERT_TRUE(templates_->Put("verification", "Second text {{reference}}", "Code {{code}}\n",
                              "user:usr_admin"));
  Submission s = Valid();
  s.subject.email = "other@example.org";
  auto r = intake_->Submit(s);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto messages = tx.Messages().ListForRequest(r->request.id);
    EXPECT_EQ(messages->front().subject, "Second text " + r->request.reference);
    return {};
  }));
}

// A change another process makes (here: straight into the store) applies once the kept
// settings are older than kSettingsTtlSeconds.
TEST_F(IntakeServiceTest, AChangeMadeElsewhereAppliesAfterTheSettingsTtl) {
  ASSERT_TRUE(intake_->Submit(Valid()));
  ASSERT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
    return tx.Templates().Put({"verification", "Elsewhere {{reference}}", "Code {{code}}\n",
                               clock_.Now(), "user:usr_admin"});
  }));
  auto subject_of = [&](const std::string& email) {
    Submission s = Valid();
    s.subject.email = email;
    auto r = intake_->Submit(s);
    EXPECT_TRUE(r);
    std::string subject;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      subject = tx.Messages().ListForRequest(r->request.id)->front().subject;
      return {};
    }));
    return subject;
  };
  EXPECT_EQ(subject_of("b@example.org").rfind("Elsewhere", 0), std::string::npos);
  clock_.Advance(IntakeService::kSettingsTtlSeconds);
  EXPECT_EQ(subject_of("c@example.org").rfind("Elsewhere", 0), 0u);
}

// Admin configuration of request types (RequestTypeService) as the Privacy Center meets it.
class IntakeTypesTest : public IntakeServiceTest {
 protected:
  void Configure(const std::string& key, RequestTypeUpdate u) {
    RequestTypeService types(temp_->store(), clock_);
    auto r = types.Put(key, u, "user:usr_admin");
    ASSERT_TRUE(r) << r.error().message;
  }
  static RequestTypeUpdate Enabled(bool on) {
    RequestTypeUpdate u;
    u.enabled = on;
    return u;
  }
  std::size_t Stored() {
    std::size_t n = 0;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      auto page = tx.Requests().List(RequestQuery{});
      if (!page) return tl::unexpected(page.error());
      n = page->items.size();
      return {};
    }));
    return n;
  }
};

TEST_F(IntakeTypesTest, ASwitchedOffTypeIsRefusedAndStoresNothing) {
  Configure("deletion", Enabled(false));
  auto r = intake_->Submit(Valid());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "type: deletion requests are not accepted");
  EXPECT_EQ(Stored(), 0u);
  EXPECT_TRUE(DueJobs(clock_.Now()).empty()) << "no email";
}

TEST_F(IntakeTypesTest, ATypeSwitchedOffAfterASubmissionIsRefusedAtOnce) {
  ASSERT_TRUE(intake_->Submit(Valid()));
  Configure("deletion", Enabled(false));
  Submission s = Valid();
  s.subject.email = "other@example.org";
  auto r = intake_->Submit(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "type: deletion requests are not accepted");
}

TEST_F(IntakeTypesTest, ACustomRightIsSubmittedLikeAnyType) {
  RequestTypeUpdate u;
  u.name = "Limit use of my sensitive data";
  u.deadline_days = 30;
  Configure("limit_sensitive", u);
  Submission s = Valid();
  s.type = "limit_sensitive";
  auto r = intake_->Submit(s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request.type, RequestType::kCustom);
  EXPECT_EQ(r->request.custom_type, "limit_sensitive");
  EXPECT_EQ(r->request.status, RequestStatus::kUnverified);
  EXPECT_EQ(r->request.due_at, r->request.received_at + 30 * 86400);
}

TEST_F(IntakeTypesTest, GpcRecordsNoOptOutWhenDoNotSellIsSwitchedOff) {
  Configure("do_not_sell", Enabled(false));
  Submission s = Valid();
  s.gpc = true;
  auto r = intake_->Submit(s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->gpc_request);
  EXPECT_EQ(Stored(), 1u);

  Submission opt_out = Valid("other@example.org");
  opt_out.type = "do_not_sell";
  opt_out.gpc = true;
  auto refused = intake_->Submit(opt_out);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "type: do_not_sell requests are not accepted");
  EXPECT_EQ(Stored(), 1u);
}

}  // namespace
}  // namespace rd::core
