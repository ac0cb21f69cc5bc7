// The store suite: migrations, users, sessions, tokens, requests, database URLs.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "store/store_test_fixture.h"

namespace rd::store {
namespace {

TEST_F(StoreTest, MigrationsAreRecordedAndIdempotent) {
  auto again = Migrate(*db_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->current_version, LatestSchemaVersion());
}

TEST_F(StoreTest, NewerSchemaThanBinaryIsRefused) {
  Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)");
  auto r = Migrate(*db_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::kConflict);
  EXPECT_NE(r.error().message.find("9999"), std::string::npos);
}

TEST_F(StoreTest, UsersRoundTripAndEmailsAreUnique) {
  core::User u{"usr_1", "a@example.com", core::Role::kAgent, "$argon2id$x", 100, 0, 0, false};
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) { return tx.Users().Insert(u); }));
  auto dup = store_->Write([&](core::Transaction& tx) {
    core::User other = u;
    other.id = "usr_2";
    return tx.Users().Insert(other);
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::kConflict);
  EXPECT_EQ(dup.error().message.find("a@example.com"), std::string::npos)
      << "errors must not carry personal data";

  ASSERT_TRUE(store_->Write(
      [&](core::Transaction& tx) { return tx.Users().SetLoginState("usr_1", 3, 12345); }));
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    auto found = tx.Users().FindByEmail("a@example.com");
    EXPECT_TRUE(found);
    EXPECT_EQ(found->id, "usr_1");
    EXPECT_EQ(found->role, core::Role::kAgent);
    EXPECT_EQ(found->failed_logins, 3);
    EXPECT_EQ(found->locked_until, 12345);
    EXPECT_EQ(tx.Users().FindById("nope").error().code, core::Errc::kNotFound);
    EXPECT_EQ(*tx.Users().Count(), 1);
    EXPECT_EQ(tx.Users().List()->size(), 1u);
    return {};
  }));
}

TEST_F(StoreTest, FailedTransactionLeavesNothingBehind) {
  core::User u{"usr_1", "a@example.com", core::Role::kAgent, "h", 100, 0, 0, false};
  auto st = store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Users().Insert(u); !s) return s;
    if (auto e = tx.Audit().Append({"system", std::nullopt, "user.created", "{}"}, 1); !e) {
      return tl::unexpected(e.error());
    }
    return core::Fail(core::Errc::kInvalidArgument, "changed my mind");
  });
  ASSERT_FALSE(st);
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    EXPECT_EQ(*tx.Users().Count(), 0);
    return {};
  }));
  EXPECT_EQ(Verify().events, 0);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(StoreTest, SessionsAndTokens) {
  core::User u{"usr_1", "a@example.com", core::Role::kAdmin, "h", 100, 0, 0, false};
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Users().Insert(u); !s) return s;
    if (auto s = tx.Sessions().Insert({"hash1", "usr_1", "csrf", 100, 200}); !s) return s;
    if (auto s = tx.Sessions().Insert({"hash2", "usr_1", "csrf", 100, 50}); !s) return s;
    return tx.ApiTokens().Insert({"tok_1", "ci", "usr_1", core::Role::kAgent, "th", 100, 0, false});
  }));
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Sessions().DeleteExpired(100); !s) return s;
    EXPECT_TRUE(tx.Sessions().Find("hash1"));
    EXPECT_EQ(tx.Sessions().Find("hash2").error().code, core::Errc::kNotFound);
    auto t = tx.ApiTokens().FindByHash("th");
    EXPECT_TRUE(t);
    EXPECT_EQ(t->role, core::Role::kAgent);
    EXPECT_FALSE(t->revoked);
    if (auto s = tx.ApiTokens().Revoke("tok_1"); !s) return s;
    EXPECT_TRUE(tx.ApiTokens().FindByHash("th")->revoked);
    EXPECT_EQ(tx.ApiTokens().Revoke("tok_x").error().code, core::Errc::kNotFound);
    return tx.Sessions().Delete("hash1");
  }));
}

TEST_F(StoreTest, RequestsKeepIdentitiesAndFindThemByKeyedHash) {
  Insert(MakeRequest("req_a", 5000));
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    auto q = tx.Requests().Get("req_a");
    EXPECT_TRUE(q);
    EXPECT_EQ(q->subject.email, "req_a@example.com");
    EXPECT_EQ(q->subject.name, "Ada Lovelace");
    EXPECT_EQ(q->subject.phone, "+44 20 7946 0000");
    EXPECT_EQ(q->due_at, 5000);
    EXPECT_FALSE(q->outcome);
    EXPECT_EQ(tx.Requests().Get("req_b").error().code, core::Errc::kNotFound);
    return {};
  }));
  core::RequestQuery by_identity;
  by_identity.identity_hash = crypto_->IdentityHash("req_a@example.com");
  EXPECT_EQ(List(by_identity).items.size(), 1u);
  by_identity.identity_hash = crypto_->IdentityHash("someone@example.com");
  EXPECT_TRUE(List(by_identity).items.empty());
}

TEST_F(StoreTest, ListPagesInDueOrderWithoutGapsOrRepeats) {
  // Several requests share a due time: the cursor must break ties by id.
  for (int i = 0; i < 25; ++i) {
    Insert(MakeRequest("req_" + std::to_string(100 + i), 1000 + (i % 5) * 10,
                       i % 2 ? core::RequestStatus::kReview : core::RequestStatus::kProcess));
  }
  core::RequestQuery q;
  q.limit = 4;
  std::vector<std::string> seen;
  core::UnixTime last_due = 0;
  for (int page = 0; page < 20; ++page) {
    auto p = List(q);
    for (const auto& r : p.items) {
      EXPECT_GE(r.due_at, last_due);
      last_due = r.due_at;
      seen.push_back(r.id);
    }
    if (p.next_cursor.empty()) break;
    q.cursor = p.next_cursor;
  }
  EXPECT_EQ(seen.size(), 25u);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());

  core::RequestQuery by_status;
  by_status.status = core::RequestStatus::kReview;
  by_status.limit = 100;
  EXPECT_EQ(List(by_status).items.size(), 12u);

  core::RequestQuery overdue;
  overdue.overdue_only = true;
  overdue.now = 1015;  // due 1000 and 1010 are past
  overdue.limit = 100;
  EXPECT_EQ(List(overdue).items.size(), 10u);

  core::RequestQuery bad;
  bad.cursor = "x'; DROP TABLE users; --";
  auto st = store_->Read([&](core::Transaction& tx) -> core::Status {
    auto p = tx.Requests().List(bad);
    EXPECT_FALSE(p);
    EXPECT_EQ(p.error().code, core::Errc::kInvalidArgument);
    return {};
  });
  EXPECT_TRUE(st);
}

TEST(DatabaseUrl, PostgresUrlBecomesConninfo) {
  auto c = PostgresConninfo("postgresql://rd:p%40ss'w@db.internal:6543/rights?sslmode=require");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c,
            "user='rd' password='p@ss\\'w' host='db.internal' port='6543' dbname='rights' "
            "sslmode='require'");
  EXPECT_FALSE(PostgresConninfo("postgresql://h:abc/db"));
  EXPECT_EQ(RedactUrl("postgresql://rd:secret@h/db"), "postgresql://rd:***@h/db");
  EXPECT_EQ(RedactUrl("sqlite:///x.db"), "sqlite:///x.db");
}

TEST(DatabaseUrl, UnknownSchemeAndUnreachableServerAreClearErrors) {
  auto bad = Database::Open("mysql://x/y", 1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::Errc::kInvalidArgument);
  auto down = Database::Open("postgresql://rd:topsecret@127.0.0.1:1/db", 1);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, core::Errc::kUnavailable);
  EXPECT_EQ(down.error().message.find("topsecret"), std::string::npos);
}

TEST_F(StoreTest, CountsMedianDaysToClosePerTypeOverTheLast90Days) {
  constexpr core::UnixTime kDay = 86400;
  const core::UnixTime now = 1'800'000'000;
  const auto closed = [&](const std::string& id, core::RequestType type, core::UnixTime received,
                          core::UnixTime took) {
    core::PrivacyRequest q = MakeRequest(id, received + 30 * kDay, core::RequestStatus::kClosed);
    q.type = type;
    q.outcome = core::Outcome::kFulfilled;
    q.received_at = received;
    q.updated_at = received + took;
    Insert(q);
  };
  // Deletion: 2, 4 and 9 days -> median 4. Copy: 1 and 4 days -> median 2.5.
  closed("req_d1", core::RequestType::kDeletion, now - 20 * kDay, 2 * kDay);
  closed("req_d2", core::RequestType::kDeletion, now - 30 * kDay, 9 * kDay);
  closed("req_d3", core::RequestType::kDeletion, now - 10 * kDay, 4 * kDay);
  closed("req_c1", core::RequestType::kCopy, now - 5 * kDay, kDay);
  closed("req_c2", core::RequestType::kCopy, now - 6 * kDay, 4 * kDay);
  // Closed before the window: not counted. Open requests: not counted.
  closed("req_old", core::RequestType::kDeletion, now - 200 * kDay, 100 * kDay);
  Insert(MakeRequest("req_open", now + 10 * kDay));
  core::RequestCounts counts;
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    auto c = tx.Requests().Counts(now, now + 7 * kDay);
    if (!c) return tl::unexpected(c.error());
    counts = *c;
    return {};
  }));
  ASSERT_EQ(counts.median_days_to_close.size(), 2u);
  EXPECT_DOUBLE_EQ(counts.median_days_to_close.at("deletion"), 4.0);
  EXPECT_DOUBLE_EQ(counts.median_days_to_close.at("copy"), 2.5);
  EXPECT_EQ(counts.by_status.at("closed"), 6);
  EXPECT_EQ(counts.open, 1);
}

}  // namespace
}  // namespace rd::store
