#include "core/case_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/data_source.h"
#include "core/fake_clock.h"
#include "core/request_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

constexpr UnixTime kDay = 86400;

UnixTime At(const std::string& rfc3339) {
  UnixTime t = 0;
  EXPECT_TRUE(ParseRfc3339(rfc3339, &t)) << rfc3339;
  return t;
}

class CaseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    clock_.Set(At("2026-11-02T09:00:00Z"));
    templates_ =
        std::make_unique<TemplateService>(temp_->store(), renderer_, temp_->crypto(), clock_,
                                          OrgInfo{"Example Shop", "https://privacy.shop.example"});
    requests_ =
        std::make_unique<RequestService>(temp_->store(), temp_->crypto(), clock_, *templates_);
    CasePolicy policy;
    policy.duplicate_window_seconds = 90 * kDay;
    cases_ =
        std::make_unique<CaseService>(temp_->store(), temp_->crypto(), clock_, *templates_, policy);
  }

  PrivacyRequest Create(const std::string& jurisdiction, const std::string& type = "deletion",
                        const std::string& email = "ana@example.com") {
    NewRequest in;
    in.type = type;
    in.subject = {email, "Ana Example", ""};
    in.jurisdiction = jurisdiction;
    in.skip_verification = true;
    auto q = requests_->Create(in, "user:usr_agent");
    EXPECT_TRUE(q) << q.error().message;
    return *q;
  }

  // The request's messages after the acknowledgement every request gets on reaching review.
  std::vector<Message> MessagesOf(const std::string& id) {
    auto m = cases_->Messages(id);
    EXPECT_TRUE(m) << m.error().message;
    std::vector<Message> out;
    for (const auto& msg : m ? *m : std::vector<Message>{}) {
      if (msg.subject.find("we received your privacy request") == std::string::npos) {
        out.push_back(msg);
      }
    }
    return out;
  }

  std::vector<AuditEvent> History(const std::string& id) {
    auto h = requests_->History(id);
    EXPECT_TRUE(h) << h.error().message;
    return h ? *h : std::vector<AuditEvent>{};
  }

  void Close(const std::string& id) {
    ASSERT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
      auto q = tx.Requests().Get(id);
      if (!q) return tl::unexpected(q.error());
      return tx.Requests().Transition(id, q->status, RequestStatus::kClosed, Outcome::kFulfilled,
                                      clock_.Now());
    }));
  }

  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<CaseService> cases_;
};

TEST_F(CaseServiceTest, ExtendMovesTheDueDateByTheRuleOnceAndTellsTheSubject) {
  const PrivacyRequest q = Create("ccpa");
  clock_.Advance(10 * kDay);
  auto extended = cases_->Extend(q.id, "We are waiting for our payment provider.", "user:usr_a");
  ASSERT_TRUE(extended) << extended.error().message;
  EXPECT_EQ(extended->due_at, q.due_at + 45 * kDay);
  ASSERT_TRUE(extended->extended_at);
  EXPECT_EQ(*extended->extended_at, clock_.Now());
  EXPECT_EQ(extended->extension_reason, "We are waiting for our payment provider.");
  auto stored = requests_->Get(q.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->due_at, extended->due_at);

  const auto messages = MessagesOf(q.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].recipient, "ana@example.com");
  EXPECT_EQ(messages[0].sender, "user:usr_a");
  EXPECT_NE(messages[0].subject.find("more time needed"), std::string::npos);
  EXPECT_NE(messages[0].body.find("waiting for our payment provider"), std::string::npos);
  EXPECT_NE(messages[0].body.find("Instead of " + FormatDate(q.due_at)), std::string::npos);
  EXPECT_NE(messages[0].body.find(FormatDate(extended->due_at)), std::string::npos);

  const auto events = History(q.id);
  const auto& last = events.back();
  EXPECT_EQ(last.kind, "request.extended");
  EXPECT_EQ(last.detail, "{\"previous_due_at\":\"" + FormatRfc3339(q.due_at) + "\",\"due_at\":\"" +
                             FormatRfc3339(extended->due_at) + "\"}");
  EXPECT_EQ(last.detail.find("payment"), std::string::npos);

  auto again = cases_->Extend(q.id, "Still waiting.", "user:usr_a");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_NE(again.error().message.find("already extended once"), std::string::npos);
  EXPECT_EQ(MessagesOf(q.id).size(), 1u);
}

TEST_F(CaseServiceTest, GdprExtendsByTwoCalendarMonths) {
  const PrivacyRequest q = Create("gdpr");
  EXPECT_EQ(FormatRfc3339(q.due_at), "2026-12-02T09:00:00Z");
  auto extended = cases_->Extend(q.id, "Many systems to search.", "user:usr_a");
  ASSERT_TRUE(extended) << extended.error().message;
  EXPECT_EQ(FormatRfc3339(extended->due_at), "2027-02-02T09:00:00Z");
}

TEST_F(CaseServiceTest, ExtensionAfterTheOriginalDueDateIsRefused) {
  const PrivacyRequest q = Create("gdpr");
  clock_.Set(q.due_at);
  const auto history = History(q.id).size();
  clock_.Advance(1);
  auto late = cases_->Extend(q.id, "Too late now.", "user:usr_a");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::kConflict);
  EXPECT_NE(late.error().message.find("original due date"), std::string::npos);
  EXPECT_EQ(requests_->Get(q.id)->due_at, q.due_at);
  EXPECT_TRUE(MessagesOf(q.id).empty());
  EXPECT_EQ(History(q.id).size(), history);
}

TEST_F(CaseServiceTest, ARuleWithoutExtensionRefusesIt) {
  const PrivacyRequest q = Create("lgpd");
  auto r = cases_->Extend(q.id, "Please.", "user:usr_a");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_EQ(r.error().message, "the LGPD (Brazil) rule allows no extension");
}

TEST_F(CaseServiceTest, ExtendNeedsAReasonAndAnOpenRequest) {
  const PrivacyRequest q = Create("ccpa");
  for (const std::string& bad :
       {std::string(), std::string("  \n "), std::string(2001, 'x'), std::string("bell\x07")}) {
    auto r = cases_->Extend(q.id, bad, "user:usr_a");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind("reason:", 0), 0u) << r.error().message;
  }
  EXPECT_FALSE(requests_->Get(q.id)->extended_at);
  EXPECT_TRUE(cases_->Extend(q.id, "Line one.\nLine two.", "user:usr_a"));

  const PrivacyRequest closed = Create("ccpa", "copy");
  Close(closed.id);
  auto r = cases_->Extend(closed.id, "Why not.", "user:usr_a");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_EQ(cases_->Extend("req_missing", "x", "user:usr_a").error().code, Errc::kNotFound);
}

TEST_F(CaseServiceTest, HoldAndReleaseAreAuditedWithTheTimeHeld) {
  const PrivacyRequest q = Create("gdpr");
  auto held = cases_->Hold(q.id, "Legal hold: litigation.", "user:usr_a");
  ASSERT_TRUE(held) << held.error().message;
  EXPECT_EQ(held->hold_reason, "Legal hold: litigation.");
  EXPECT_EQ(held->held_at, clock_.Now());
  auto stored = requests_->Get(q.id);
  EXPECT_EQ(stored->hold_reason, "Legal hold: litigation.");

  auto twice = cases_->Hold(q.id, "Again.", "user:usr_a");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::kConflict);
  // A request on hold is not decided: no rejection until it is released.
  auto rejected = requests_->Reject(q.id, "no_match", "", "user:usr_a");
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, Errc::kConflict);
  EXPECT_EQ(rejected.error().message, "the request is on hold: release it first");
  EXPECT_EQ(requests_->Get(q.id)->status, RequestStatus::kReview);
  EXPECT_EQ(cases_->Hold(q.id, "", "user:usr_a").error().code, Errc::kInvalidArgument);

  clock_.Advance(3600);
  auto released = cases_->Release(q.id, "user:usr_b");
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_TRUE(released->hold_reason.empty());
  EXPECT_FALSE(released->held_at);
  stored = requests_->Get(q.id);
  EXPECT_TRUE(stored->hold_reason.empty());
  EXPECT_FALSE(stored->held_at);
  EXPECT_EQ(stored->status, RequestStatus::kReview);

  auto again = cases_->Release(q.id, "user:usr_b");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_EQ(again.error().message, "the request is not on hold");

  const auto events = History(q.id);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[events.size() - 2].kind, "request.held");
  EXPECT_EQ(events[events.size() - 2].detail, "{}");
  EXPECT_EQ(events.back().kind, "request.released");
  EXPECT_EQ(events.back().detail, "{\"held_seconds\":3600}");
  EXPECT_EQ(events.back().actor, "user:usr_b");
}

TEST_F(CaseServiceTest, HoldIsRefusedBeforeVerificationAndAfterClose) {
  NewRequest in;
  in.type = "copy";
  in.subject.email = "u@example.com";
  in.skip_verification = false;
  auto unverified = requests_->Create(in, "user:usr_a");
  ASSERT_TRUE(unverified);
  EXPECT_EQ(cases_->Hold(unverified->id, "x", "user:usr_a").error().code, Errc::kConflict);
  const PrivacyRequest q = Create("gdpr");
  Close(q.id);
  EXPECT_EQ(cases_->Hold(q.id, "x", "user:usr_a").error().code, Errc::kConflict);
}

TEST_F(CaseServiceTest, AgentMessagesGoToTheSubjectThroughTheTemplate) {
  const PrivacyRequest q = Create("gdpr");
  auto m = cases_->SendMessage(q.id, "Which account number is yours?", "user:usr_a");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->direction, "out");
  EXPECT_EQ(m->recipient, "ana@example.com");
  EXPECT_EQ(m->sender, "user:usr_a");
  EXPECT_NE(m->subject.find("about your privacy request " + q.reference), std::string::npos);
  EXPECT_NE(m->body.find("Which account number is yours?"), std::string::npos);
  EXPECT_NE(m->body.find("https://privacy.shop.example/privacy/requests/" + q.id + "?token="),
            std::string::npos);
  const auto events = History(q.id);
  EXPECT_EQ(events.back().kind, "email.queued");
  EXPECT_NE(events.back().detail.find("\"purpose\":\"agent_message\""), std::string::npos);

  EXPECT_EQ(cases_->SendMessage(q.id, "", "user:usr_a").error().code, Errc::kInvalidArgument);
  EXPECT_EQ(cases_->SendMessage(q.id, std::string(20001, 'x'), "user:usr_a").error().code,
            Errc::kInvalidArgument);
  Close(q.id);
  auto closed = cases_->SendMessage(q.id, "Hello?", "user:usr_a");
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, Errc::kConflict);
  EXPECT_EQ(MessagesOf(q.id).size(), 1u);
  EXPECT_EQ(cases_->Messages("req_missing").error().code, Errc::kNotFound);
}

TEST_F(CaseServiceTest, DuplicatesAreTheSameEmailAndTypeWithinTheWindow) {
  const PrivacyRequest first = Create("gdpr", "deletion", "Ana@Example.com");
  clock_.Advance(10 * kDay);
  const PrivacyRequest second = Create("gdpr", "deletion", "ana@example.com");
  const PrivacyRequest copy = Create("gdpr", "copy", "ana@example.com");
  const PrivacyRequest other = Create("gdpr", "deletion", "bo@example.com");

  auto review = cases_->Review(second);
  ASSERT_TRUE(review) << review.error().message;
  ASSERT_EQ(review->duplicates.size(), 1u);
  EXPECT_EQ(review->duplicates[0].id, first.id);
  // The earlier one sees the later one too.
  review = cases_->Review(first);
  ASSERT_EQ(review->duplicates.size(), 1u);
  EXPECT_EQ(review->duplicates[0].id, second.id);
  EXPECT_TRUE(cases_->Review(copy)->duplicates.empty());
  EXPECT_TRUE(cases_->Review(other)->duplicates.empty());

  // 100 days later the first two are outside the 90-day window.
  clock_.Advance(100 * kDay);
  const PrivacyRequest later = Create("gdpr", "deletion", "ana@example.com");
  EXPECT_TRUE(cases_->Review(later)->duplicates.empty());
}

TEST_F(CaseServiceTest, ApplicableSourcesAreThoseInRequestHandlingForTheType) {
  auto source = [&](const std::string& id, bool handling, std::vector<std::string> types,
                    bool archive) {
    DataSource ds;
    ds.id = id;
    ds.name = id;
    ds.category = "crm";
    ds.process = "manual";
    ds.request_handling = handling;
    ds.request_types = std::move(types);
    ds.created_at = ds.updated_at = clock_.Now();
    ASSERT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
      if (auto s = tx.DataSources().Insert(ds); !s) return s;
      return archive ? tx.DataSources().Archive(id, clock_.Now()) : Status{};
    }));
  };
  source("ds_all", true, {}, false);
  source("ds_copy_only", true, {"copy"}, false);
  source("ds_deletion", true, {"copy", "deletion"}, false);
  source("ds_not_handling", false, {}, false);
  source("ds_archived", true, {}, true);

  const PrivacyRequest q = Create("ccpa", "deletion");
  auto review = cases_->Review(q);
  ASSERT_TRUE(review) << review.error().message;
  std::vector<std::string> ids;
  for (const auto& ds : review->applicable_sources) ids.push_back(ds.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ds_all", "ds_deletion"}));

  DataSource ds;
  ds.request_handling = true;
  EXPECT_TRUE(SourceApplies(ds, "limit_sensitive"));
  ds.request_types = {"copy"};
  EXPECT_FALSE(SourceApplies(ds, "deletion"));
}

TEST_F(CaseServiceTest, AcknowledgementClockFollowsTheRule) {
  const PrivacyRequest ccpa = Create("ccpa");  // received on a Monday
  auto review = cases_->Review(ccpa);
  ASSERT_TRUE(review->acknowledge_by);
  EXPECT_EQ(FormatRfc3339(*review->acknowledge_by), "2026-11-16T09:00:00Z");
  EXPECT_FALSE(cases_->Review(Create("gdpr", "copy"))->acknowledge_by);
}

}  // namespace
}  // namespace rd::core
