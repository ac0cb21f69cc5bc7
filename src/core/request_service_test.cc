#include "core/request_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/fake_clock.h"
#include "core/request_service_test_fixture.h"
#include "crypto/sodium_crypto.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

using namespace rd::core::testing;  // NOLINT(google-build-using-namespace)

TEST_F(RequestServiceTest, CreateNamesTheFieldThatIsWrong) {
  const std::vector<BadInput> cases = {
      {"unknown type", [](NewRequest& r) { r.type = "erase_everything"; }, "type"},
      {"empty type", [](NewRequest& r) { r.type.clear(); }, "type"},
      {"bad email", [](NewRequest& r) { r.subject.email = "ana at example"; }, "subject.email"},
      {"missing email", [](NewRequest& r) { r.subject.email.clear(); }, "subject.email"},
      {"long name", [](NewRequest& r) { r.subject.name = std::string(201, 'n'); }, "subject.name"},
      {"name with newline", [](NewRequest& r) { r.subject.name = "Ana\nBcc: x"; }, "subject.name"},
      {"phone with letters", [](NewRequest& r) { r.subject.phone = "call me"; }, "subject.phone"},
      {"phone too short", [](NewRequest& r) { r.subject.phone = "12345"; }, "subject.phone"},
      {"phone too long", [](NewRequest& r) { r.subject.phone = "1234567890123456"; },
       "subject.phone"},
      {"plus inside phone", [](NewRequest& r) { r.subject.phone = "415+5550134"; },
       "subject.phone"},
      {"unknown jurisdiction", [](NewRequest& r) { r.jurisdiction = "atlantis"; }, "jurisdiction"},
      {"details too long", [](NewRequest& r) { r.details = std::string(10001, 'd'); }, "details"},
      {"control character in details", [](NewRequest& r) { r.details = "bell\x07"; }, "details"},
  };
  for (const auto& c : cases) {
    NewRequest in = Valid();
    c.spoil(in);
    auto r = requests_->Create(in, "user:usr_test");
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << c.what;
    EXPECT_TRUE(StartsWith(r.error().message, std::string(c.field) + ":"))
        << c.what << ": " << r.error().message;
  }
  // Nothing was stored.
  EXPECT_TRUE(ListAll(RequestQuery{}).empty());
}

TEST_F(RequestServiceTest, UnknownJurisdictionMessageListsTheKnownOnes) {
  NewRequest in = Valid();
  in.jurisdiction = "atlantis";
  auto r = requests_->Create(in, "user:usr_test");
  ASSERT_FALSE(r);
  for (const char* key : {"gdpr", "ccpa", "lgpd", "default"}) {
    EXPECT_NE(r.error().message.find(key), std::string::npos) << r.error().message;
  }
}

TEST_F(RequestServiceTest, CreateAcceptsLimitsAndOptionalFields) {
  NewRequest in = Valid();
  in.subject.name = std::string(200, 'n');
  in.subject.phone = "123456";
  in.details = std::string(10000, 'd');
  EXPECT_TRUE(requests_->Create(in, "user:usr_test"));

  NewRequest minimal;
  minimal.type = "copy";
  minimal.subject.email = "bob@example.com";
  auto r = requests_->Create(minimal, "user:usr_test");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->jurisdiction, "default");
}

TEST_F(RequestServiceTest, CreateStoresWhatWasSent) {
  NewRequest in = Valid("  Ana@Example.COM ");
  in.type = "do_not_sell";
  in.channel = Channel::kPrivacyCenter;
  const PrivacyRequest created = Create(in);
  EXPECT_TRUE(StartsWith(created.id, "req_")) << created.id;
  EXPECT_EQ(created.subject.email, "ana@example.com");

  auto got = requests_->Get(created.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->reference, created.reference);
  EXPECT_EQ(got->type, RequestType::kDoNotSell);
  EXPECT_EQ(got->status, RequestStatus::kUnverified);
  EXPECT_FALSE(got->outcome.has_value());
  EXPECT_EQ(got->channel, Channel::kPrivacyCenter);
  EXPECT_EQ(got->jurisdiction, "gdpr");
  EXPECT_EQ(got->subject.email, "ana@example.com");
  EXPECT_EQ(got->subject.name, "Ana Example");
  EXPECT_EQ(got->subject.phone, "+1 (415) 555-0134");
  EXPECT_EQ(got->details, "Please delete my account.\nThanks.");
  EXPECT_EQ(got->received_at, clock_.Now());
  EXPECT_EQ(got->updated_at, clock_.Now());
  EXPECT_EQ(got->due_at, created.due_at);
  EXPECT_TRUE(got->assignee.empty());
}

TEST_F(RequestServiceTest, GetUnknownIsNotFound) {
  auto got = requests_->Get("req_000000000000000000000000");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kNotFound);
}

TEST_F(RequestServiceTest, VerificationDecidesFirstStatus) {
  NewRequest in = Valid();
  EXPECT_EQ(Create(in).status, RequestStatus::kUnverified);
  in.skip_verification = true;
  EXPECT_EQ(Create(in).status, RequestStatus::kReview);
}

TEST_F(RequestServiceTest, DueDateFollowsJurisdiction) {
  clock_.Set(At("2026-01-31T09:00:00Z"));
  const UnixTime now = clock_.Now();
  NewRequest in = Valid();
  in.jurisdiction = "gdpr";
  EXPECT_EQ(FormatRfc3339(Create(in).due_at), "2026-02-28T09:00:00Z");
  in.jurisdiction = "ccpa";
  EXPECT_EQ(Create(in).due_at, now + 45 * kDay);
  in.jurisdiction = "lgpd";
  EXPECT_EQ(Create(in).due_at, now + 15 * kDay);
  in.jurisdiction = "";
  const PrivacyRequest by_default = Create(in);
  EXPECT_EQ(by_default.jurisdiction, "default");
  EXPECT_EQ(by_default.due_at, now + 30 * kDay);
}

TEST_F(RequestServiceTest, ReferencesAreShortReadableAndUnique) {
  const std::regex shape("^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$");
  std::set<std::string> refs;
  for (int i = 0; i < 50; ++i) {
    const std::string ref = Create(Valid()).reference;
    EXPECT_TRUE(std::regex_match(ref, shape)) << ref;
    // Letters that read like digits (I, L, O) or words (U) are left out.
    EXPECT_EQ(ref.find_first_of("ILOU"), std::string::npos) << ref;
    refs.insert(ref);
  }
  EXPECT_EQ(refs.size(), 50u);
}

// --- search -----------------------------------------------------------------------------

TEST_F(RequestServiceTest, CreateAppendsAuditEventWithoutPersonalData) {
  const PrivacyRequest r = Create(Valid("ana@example.com"));
  std::vector<AuditEvent> events;
  Status st = store_->Read([&](Transaction& tx) -> Status {
    return tx.Audit().ForEach(std::nullopt, 0, 0,
                              [&](const AuditEvent& e) { events.push_back(e); });
  });
  ASSERT_TRUE(st) << st.error().message;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "request.received");
  EXPECT_EQ(events[0].request_id, r.id);
  EXPECT_EQ(events[0].actor, "user:usr_test");
  EXPECT_EQ(events[0].at, r.received_at);
  EXPECT_EQ(events[0].detail.find("ana@example.com"), std::string::npos) << events[0].detail;
  EXPECT_EQ(events[0].detail.find("Ana Example"), std::string::npos) << events[0].detail;

  Create(Valid("bob@example.com"));
  AuditVerification v;
  st = store_->Read([&](Transaction& tx) -> Status {
    auto r = tx.Audit().Verify();
    if (!r) return tl::unexpected(r.error());
    v = *r;
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 2);
}

TEST_F(RequestServiceTest, RejectedCreateLeavesNoAuditEvent) {
  NewRequest in = Valid();
  in.type = "nonsense";
  ASSERT_FALSE(requests_->Create(in, "user:usr_test"));
  int events = 0;
  Status st = store_->Read([&](Transaction& tx) -> Status {
    return tx.Audit().ForEach(std::nullopt, 0, 0, [&](const AuditEvent&) { ++events; });
  });
  ASSERT_TRUE(st);
  EXPECT_EQ(events, 0);
}

TEST_F(RequestServiceTest, RejectOnlyFromReviewWithAKnownReason) {
  NewRequest in = Valid();
  in.skip_verification = true;
  const PrivacyRequest q = Create(in);
  EXPECT_EQ(requests_->Reject(q.id, "dunno", "", "user:a").error().code, Errc::kInvalidArgument);
  auto rejected = requests_->Reject(q.id, "suspected_fraud", "Mismatch.", "user:a");
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->status, RequestStatus::kReply);
  EXPECT_EQ(rejected->outcome, Outcome::kRejected);
  auto stored = requests_->Get(q.id);
  EXPECT_EQ(stored->rejection_reason, "suspected_fraud");
  EXPECT_EQ(stored->rejection_note, "Mismatch.");
  EXPECT_EQ(requests_->Reject(q.id, "other", "", "user:a").error().code, Errc::kConflict);
  NewRequest unverified = Valid("b@example.com");
  unverified.skip_verification = false;
  EXPECT_EQ(requests_->Reject(Create(unverified).id, "other", "", "user:a").error().code,
            Errc::kConflict);
  EXPECT_EQ(requests_->Reject("req_missing", "other", "", "user:a").error().code, Errc::kNotFound);
  auto history = requests_->History(q.id);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().kind, "request.rejected");
  EXPECT_EQ(history->back().detail.find("Mismatch"), std::string::npos);
}

TEST_F(RequestServiceTest, AssignRefusesUnknownUsersAndViewers) {
  const PrivacyRequest q = Create(Valid());
  EXPECT_EQ(requests_->Assign(q.id, "usr_missing", "user:a").error().code, Errc::kInvalidArgument);
  auto unassigned = requests_->Assign(q.id, "", "user:a");
  ASSERT_TRUE(unassigned);
  EXPECT_TRUE(unassigned->assignee.empty());
  EXPECT_EQ(requests_->History(q.id)->back().kind, "request.unassigned");
}

// --- acknowledgement ----------------------------------------------------------------------

TEST_F(RequestServiceTest, ARequestCreatedInReviewIsAcknowledgedByEmail) {
  NewRequest in = Valid("ack@example.com");
  in.skip_verification = true;
  const PrivacyRequest acknowledged = Create(in);
  const PrivacyRequest unverified = Create(Valid("later@example.com"));
  Status st = store_->Read([&](Transaction& tx) -> Status {
    auto messages = tx.Messages().ListForRequest(acknowledged.id);
    EXPECT_EQ(messages->size(), 1u);
    EXPECT_EQ(messages->front().recipient, "ack@example.com");
    EXPECT_NE(messages->front().subject.find(acknowledged.reference), std::string::npos);
    EXPECT_NE(messages->front().body.find("Hello Ana Example,"), std::string::npos);
    EXPECT_TRUE(tx.Messages().ListForRequest(unverified.id)->empty())
        << "an unverified request is acknowledged once verified";
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  auto history = requests_->History(acknowledged.id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->back().kind, "email.queued");
  EXPECT_NE(history->back().detail.find("\"purpose\":\"acknowledgement\""), std::string::npos);
}

}  // namespace
}  // namespace rd::core
