// The store suite. It runs against SQLite by default and against PostgreSQL when
// RD_TEST_DATABASE holds a postgresql:// URL (ctest's "pg" label starts one), so both
// databases pass the same tests. Each test gets its own database file or schema.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "crypto/sodium_crypto.h"
#include "store/database.h"
#include "store/migrator.h"
#include "store/sql_repositories.h"
#include "store/sql_store.h"

namespace rd::store {
namespace {

std::string PgBaseUrl() {
  const char* url = std::getenv("RD_TEST_DATABASE");
  return url != nullptr ? url : "";
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitSodium());
    crypto_ = std::make_unique<crypto::SodiumCrypto>(std::string(32, 'k'));
    const std::string unique = crypto_->RandomHex(6);
    if (PgBaseUrl().empty()) {
      dir_ = std::filesystem::temp_directory_path() / ("rd-store-" + unique);
      url_ = "sqlite://" + (dir_ / "t.db").string();
    } else {
      schema_ = "t_" + unique;
      auto admin = Database::Open(PgBaseUrl(), 1);
      ASSERT_TRUE(admin) << admin.error().message;
      soci::session sql((*admin)->pool());
      sql << "CREATE SCHEMA " + schema_;
      const std::string base = PgBaseUrl();
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
             schema_;
    }
    db_ = Open();
    auto migrated = Migrate(*db_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    store_ = std::make_unique<SqlStore>(*db_, *crypto_);
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
    if (!schema_.empty()) {
      auto admin = Database::Open(PgBaseUrl(), 1);
      if (admin) {
        soci::session sql((*admin)->pool());
        sql << "DROP SCHEMA " + schema_ + " CASCADE";
      }
    } else {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  std::unique_ptr<Database> Open(int pool = 4) {
    auto db = Database::Open(url_, pool);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
  }

  // Runs raw SQL, as an attacker with database access would.
  void Exec(const std::string& statement) {
    soci::session sql(db_->pool());
    sql << statement;
  }

  core::AuditEvent Append(const std::string& kind, const std::string& detail = "{}") {
    core::AuditEvent out;
    auto st = store_->Write([&](core::Transaction& tx) -> core::Status {
      auto e = tx.Audit().Append({"system", std::nullopt, kind, detail}, 1'790'000'000);
      if (!e) return tl::unexpected(e.error());
      out = *e;
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return out;
  }

  core::AuditVerification Verify() {
    core::AuditVerification v;
    auto st = store_->Read([&](core::Transaction& tx) -> core::Status {
      auto r = tx.Audit().Verify();
      if (!r) return tl::unexpected(r.error());
      v = *r;
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return v;
  }

  core::PrivacyRequest MakeRequest(const std::string& id, core::UnixTime due,
                                   core::RequestStatus status = core::RequestStatus::kReview) {
    core::PrivacyRequest q;
    q.id = id;
    q.reference = "RD-" + id;
    q.type = core::RequestType::kDeletion;
    q.status = status;
    q.channel = core::Channel::kManual;
    q.jurisdiction = "gdpr";
    q.subject = {id + "@example.com", "Ada Lovelace", "+44 20 7946 0000"};
    q.received_at = due - 1000;
    q.due_at = due;
    q.updated_at = q.received_at;
    return q;
  }

  void Insert(const core::PrivacyRequest& q) {
    auto st = store_->Write([&](core::Transaction& tx) {
      return tx.Requests().Insert(q, crypto_->IdentityHash(q.subject.email));
    });
    ASSERT_TRUE(st) << st.error().message;
  }

  core::RequestPage List(const core::RequestQuery& query) {
    core::RequestPage page;
    auto st = store_->Read([&](core::Transaction& tx) -> core::Status {
      auto p = tx.Requests().List(query);
      if (!p) return tl::unexpected(p.error());
      page = *p;
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return page;
  }

  std::unique_ptr<crypto::SodiumCrypto> crypto_;
  std::filesystem::path dir_;
  std::string schema_;
  std::string url_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqlStore> store_;
};

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

TEST_F(StoreTest, JobsAreCountedByStatus) {
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Jobs().Enqueue({"", "email.send", "{}", 10}); !s) return s;
    return tx.Jobs().Enqueue({"", "email.send", "{}", 10});
  }));
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    auto counts = tx.Jobs().CountByStatus();
    EXPECT_TRUE(counts);
    EXPECT_EQ((*counts)["queued"], 2);
    return {};
  }));
}

TEST_F(StoreTest, JobsAreClaimedDueFirstAndFinished) {
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Jobs().Enqueue({"job_late", "k", "{}", 300}); !s) return s;
    if (auto s = tx.Jobs().Enqueue({"job_early", "k", "{\"n\":1}", 100}); !s) return s;
    return tx.Jobs().Enqueue({"job_future", "k", "{}", 10'000});
  }));
  auto claim = [&](const std::string& worker, core::UnixTime now) {
    std::optional<core::Job> job;
    EXPECT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
      auto j = tx.Jobs().Claim(worker, now, 60);
      if (!j) return tl::unexpected(j.error());
      job = *j;
      return {};
    }));
    return job;
  };
  auto first = claim("w1", 500);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "job_early");
  EXPECT_EQ(first->payload, "{\"n\":1}");
  EXPECT_EQ(first->attempts, 1);
  EXPECT_EQ(claim("w2", 500)->id, "job_late");
  EXPECT_FALSE(claim("w3", 500)) << "job_future is not due";

  // w1 finishes; w2's lease (until 560) expires and w3 takes the job over.
  ASSERT_TRUE(store_->Write(
      [&](core::Transaction& tx) { return tx.Jobs().Complete("job_early", "w1", 510); }));
  auto taken_over = claim("w3", 561);
  ASSERT_TRUE(taken_over);
  EXPECT_EQ(taken_over->id, "job_late");
  EXPECT_EQ(taken_over->attempts, 2);
  // The old holder can no longer finish it.
  auto stale = store_->Write(
      [&](core::Transaction& tx) { return tx.Jobs().Complete("job_late", "w2", 562); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::Errc::kConflict);
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) {
    return tx.Jobs().Retry("job_late", "w3", 900, "smtp: connection refused", 563);
  }));
  EXPECT_FALSE(claim("w4", 899));
  auto retried = claim("w4", 900);
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->attempts, 3);
  ASSERT_TRUE(store_->Write(
      [&](core::Transaction& tx) { return tx.Jobs().Bury("job_late", "w4", "gave up", 901); }));
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) -> core::Status {
    auto counts = tx.Jobs().CountByStatus();
    EXPECT_EQ((*counts)["done"], 1);
    EXPECT_EQ((*counts)["failed"], 1);
    EXPECT_EQ((*counts)["queued"], 1);
    return {};
  }));
}

TEST_F(StoreTest, ConcurrentWorkerProcessesNeverClaimTheSameJob) {
  constexpr int kJobs = 120;
  constexpr int kWorkers = 4;
  ASSERT_TRUE(store_->Write([&](core::Transaction& tx) -> core::Status {
    for (int i = 0; i < kJobs; ++i) {
      if (auto s = tx.Jobs().Enqueue({"", "k", "{}", i}); !s) return s;
    }
    return {};
  }));
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::vector<pid_t> children;
  for (int w = 0; w < kWorkers; ++w) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      auto db = Database::Open(url_, 1);
      if (!db) _exit(3);
      SqlStore store(**db, *crypto_);
      const std::string me = "worker" + std::to_string(w);
      for (;;) {
        std::optional<core::Job> job;
        auto st = store.Write([&](core::Transaction& tx) -> core::Status {
          auto j = tx.Jobs().Claim(me, 1'000'000, 600);
          if (!j) return tl::unexpected(j.error());
          job = *j;
          if (job) return tx.Jobs().Complete(job->id, me, 1'000'000);
          return {};
        });
        if (!st) _exit(4);
        if (!job) break;
        const std::string line = job->id + "\n";
        if (write(fds[1], line.data(), line.size()) < 0) _exit(5);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  close(fds[1]);
  std::string claimed;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) claimed.append(buf, n);
  close(fds[0]);
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::vector<std::string> ids;
  for (std::size_t pos = 0, nl; (nl = claimed.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    ids.push_back(claimed.substr(pos, nl - pos));
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kJobs));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "a job was claimed twice";
}

TEST_F(StoreTest, AuditChainVerifiesWhenUntouched) {
  for (int i = 0; i < 10; ++i) Append("test.event", "{\"i\":" + std::to_string(i) + "}");
  const auto v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 10);
  EXPECT_FALSE(v.first_bad_event);
}

TEST_F(StoreTest, AuditVerifyNamesAChangedEvent) {
  for (int i = 0; i < 6; ++i) Append("test.event", "{\"i\":" + std::to_string(i) + "}");
  Exec("UPDATE audit_events SET detail = '{\"i\":99}' WHERE seq = 3");
  const auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_event, 3);
}

TEST_F(StoreTest, AuditVerifyNamesAnEventWhoseActorOrTimeChanged) {
  for (int i = 0; i < 4; ++i) Append("test.event");
  Exec("UPDATE audit_events SET actor = 'user:someone_else' WHERE seq = 2");
  EXPECT_EQ(Verify().first_bad_event, 2);
  Exec("UPDATE audit_events SET actor = 'system' WHERE seq = 2");
  EXPECT_TRUE(Verify().ok);
  Exec("UPDATE audit_events SET at = at + 1 WHERE seq = 4");
  EXPECT_EQ(Verify().first_bad_event, 4);
}

TEST_F(StoreTest, AuditVerifyDetectsARecomputedHash) {
  // An attacker who rewrites an event and its own hash still breaks the next link.
  for (int i = 0; i < 5; ++i) Append("test.event");
  core::AuditEvent e;
  ASSERT_TRUE(store_->Read([&](core::Transaction& tx) {
    return tx.Audit().ForEach(std::nullopt, 0, 0, [&](const core::AuditEvent& x) {
      if (x.seq == 2) e = x;
    });
  }));
  e.kind = "forged";
  const std::string forged = crypto_->Sha256Hex(e.prev_hash + CanonicalAuditJson(e));
  Exec("UPDATE audit_events SET kind = 'forged', hash = '" + forged + "' WHERE seq = 2");
  EXPECT_EQ(Verify().first_bad_event, 3);
}

TEST_F(StoreTest, AuditVerifyNamesADeletedEvent) {
  for (int i = 0; i < 6; ++i) Append("test.event");
  Exec("DELETE FROM audit_events WHERE seq = 4");
  const auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_event, 4);
}

TEST_F(StoreTest, AuditVerifyDetectsTheNewestEventsRemoved) {
  for (int i = 0; i < 6; ++i) Append("test.event");
  Exec("DELETE FROM audit_events WHERE seq >= 5");
  const auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_event, 5);
}

TEST_F(StoreTest, AuditVerifyDetectsReorderedEvents) {
  for (int i = 0; i < 6; ++i) Append("test.event", "{\"i\":" + std::to_string(i) + "}");
  // Swap events 2 and 3 by renumbering them.
  Exec("UPDATE audit_events SET seq = 1000 WHERE seq = 2");
  Exec("UPDATE audit_events SET seq = 2 WHERE seq = 3");
  Exec("UPDATE audit_events SET seq = 3 WHERE seq = 1000");
  const auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_event, 2);
}

TEST_F(StoreTest, ConcurrentAppendersFromThreadsKeepOneChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < 25; ++i) Append("thread.event");
    });
  }
  for (auto& t : threads) t.join();
  const auto v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 100);
}

TEST_F(StoreTest, ConcurrentAppendersFromProcessesKeepOneChain) {
  constexpr int kProcesses = 4;
  constexpr int kEach = 30;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child opens its own connections, as a separate rightsdesk process would.
      auto db = Database::Open(url_, 1);
      if (!db) _exit(3);
      SqlStore store(**db, *crypto_);
      for (int i = 0; i < kEach; ++i) {
        auto st = store.Write([&](core::Transaction& tx) -> core::Status {
          auto e = tx.Audit().Append({"system", std::nullopt, "process.event", "{}"}, 1);
          if (!e) return tl::unexpected(e.error());
          return {};
        });
        if (!st) _exit(4);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child failed: " << status;
  }
  const auto v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, kProcesses * kEach);
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

}  // namespace
}  // namespace rd::store
