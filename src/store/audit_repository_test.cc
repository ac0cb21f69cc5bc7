// The audit chain on both databases: tampering is named, concurrent appenders keep one chain.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/store_test_fixture.h"

namespace rd::store {
namespace {

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

// Concurrent writes commit together on SQLite (group commit): a write that fails after
// appending to the chain must leave no trace, and the others must all land, chained in order.
TEST_F(StoreTest, ConcurrentWritesWithFailuresKeepOneIntactChain) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const bool fail = (i + t) % 3 == 0;
        auto st = store_->Write([&](core::Transaction& tx) { return TwoEventsOrRefuse(tx, fail); });
        (st ? ok : failed)++;
        if (fail) {
          EXPECT_FALSE(st);
          EXPECT_EQ(st.error().message, "refused after appending");
        } else {
          EXPECT_TRUE(st) << st.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const core::AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 2 * ok.load());
  EXPECT_GT(failed.load(), 0);
}

// The direct writer of the hashed text must give exactly nlohmann's canonical dump, or stored
// chains would stop verifying: compared on details of every shape, including those it hands
// to the general path.
TEST(CanonicalAuditJsonTest, MatchesTheGeneralDefinitionByteForByte) {
  const std::vector<std::string> details = {
      "{}",
      R"({"a":1,"b":"x","c":true,"d":false,"e":null})",
      R"({"count":-12,"kind":"deletion","zero":0})",
      R"({"b":1,"a":2})",               // keys out of order
      R"({"a":1,"a":2})",               // duplicate key
      R"({ "a": 1 })",                  // whitespace
      R"({"a":01})",                    // leading zero
      R"({"a":-0})",                    // negative zero
      R"({"a":1.5,"b":1e3})",           // not integers
      R"({"a":12345678901234567890})",  // beyond int64
      R"({"a":"caf\u00e9"})",           // an escape
      "{\"a\":\"caf\xc3\xa9\"}",        // UTF-8
      R"({"a":{"b":[1,2]}})",           // nested
      R"({"a":"x\"y"})",                // an escaped quote
      "not json at all",
      "{\"a\":\"tab\there\"}",  // a raw control character (invalid JSON)
      "",
      R"({"":1,"a":2})",
      R"({"a":1,})",
      R"({"a")",
      R"({"a":tru})",
  };
  const std::vector<std::string> texts = {"system",
                                          "user:u_1",
                                          "a\"b\\c",
                                          "tab\tnew\nline",
                                          std::string("ctl\x01\x1f\x7f", 6),
                                          "\xc3\xa9t\xc3\xa9",
                                          "bell\b\fform"};
  core::AuditEvent e;
  e.seq = 42;
  e.at = 1'790'000'000;
  for (const auto& detail : details) {
    for (const auto& text : texts) {
      for (int rid = 0; rid < 2; ++rid) {
        e.detail = detail;
        e.actor = text;
        e.kind = text + ".kind";
        e.request_id = rid ? std::optional<std::string>(text) : std::nullopt;
        std::string general;
        try {
          general = CanonicalAuditJsonGeneral(e);
        } catch (const std::exception&) {
          EXPECT_THROW(CanonicalAuditJson(e), std::exception) << detail << " / " << text;
          continue;
        }
        EXPECT_EQ(CanonicalAuditJson(e), general) << detail << " / " << text;
      }
    }
  }
  e.seq = -1;
  e.at = -5;
  e.detail = "{}";
  e.actor = "system";
  e.kind = "k";
  EXPECT_EQ(CanonicalAuditJson(e), CanonicalAuditJsonGeneral(e));
}

}  // namespace
}  // namespace rd::store
