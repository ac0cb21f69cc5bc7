// Data sources, tasks, templates, suppression, request types, holds and the one extension on
// both databases.
#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace rd::store {
namespace {

// Runs `fn` in a write transaction and fails the test if it returns an error.
template <class Fn>
void Write(core::Store& store, Fn fn) {
  auto st = store.Write([&](core::Transaction& tx) -> core::Status { return fn(tx); });
  ASSERT_TRUE(st) << st.error().message;
}

core::DataSource Source(const std::string& id, const std::string& name) {
  core::DataSource ds;
  ds.id = id;
  ds.name = name;
  ds.category = "marketing";
  ds.process = "email";
  ds.request_handling = true;
  ds.contact_email = "privacy@vendor.example";
  ds.request_types = {"deletion", "do_not_mail"};
  ds.created_at = 100;
  ds.updated_at = 100;
  return ds;
}

TEST_F(StoreTest, DataSourcesRoundTripAndArchive) {
  Write(*store_,
        [&](core::Transaction& tx) { return tx.DataSources().Insert(Source("ds_b", "B")); });
  Write(*store_,
        [&](core::Transaction& tx) { return tx.DataSources().Insert(Source("ds_a", "A")); });
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    auto all = tx.DataSources().List();
    EXPECT_TRUE(all);
    EXPECT_EQ(all->size(), 2u);
    EXPECT_EQ(all->front().name, "A");
    EXPECT_EQ(all->front().request_types, (std::vector<std::string>{"deletion", "do_not_mail"}));
    core::DataSource changed = all->front();
    changed.name = "A2";
    changed.request_types.clear();
    changed.updated_at = 200;
    if (auto s = tx.DataSources().Update(changed); !s) return s;
    auto got = tx.DataSources().Get("ds_a");
    EXPECT_TRUE(got);
    EXPECT_EQ(got->name, "A2");
    EXPECT_TRUE(got->request_types.empty());
    EXPECT_EQ(got->created_at, 100);
    return tx.DataSources().Archive("ds_a", 300);
  });
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    auto all = tx.DataSources().List();
    EXPECT_EQ(all->size(), 1u);
    auto archived = tx.DataSources().Get("ds_a");
    EXPECT_TRUE(archived && archived->archived);
    EXPECT_EQ(tx.DataSources().Archive("ds_a", 400).error().code, core::Errc::kNotFound);
    EXPECT_EQ(tx.DataSources().Update(*archived).error().code, core::Errc::kNotFound);
    EXPECT_EQ(tx.DataSources().Get("ds_none").error().code, core::Errc::kNotFound);
    return {};
  });
}

TEST_F(StoreTest, TasksUpdateOnlyFromTheExpectedStatus) {
  Insert(MakeRequest("req_1", 5000));
  Write(*store_,
        [&](core::Transaction& tx) { return tx.DataSources().Insert(Source("ds_a", "A")); });
  core::Task t;
  t.id = "task_1";
  t.request_id = "req_1";
  t.data_source_id = "ds_a";
  t.source_name = "A";
  t.process = "email";
  t.status = core::TaskStatus::kWaiting;
  t.contact_email = "privacy@vendor.example";
  t.created_at = t.updated_at = 10;
  Write(*store_, [&](core::Transaction& tx) { return tx.Tasks().Insert(t); });
  t.status = core::TaskStatus::kDone;
  t.note = "confirmed";
  t.completed_by = "vendor";
  t.completed_at = 20;
  t.updated_at = 20;
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    EXPECT_EQ(tx.Tasks().Update(t, core::TaskStatus::kPending).error().code, core::Errc::kConflict);
    return tx.Tasks().Update(t, core::TaskStatus::kWaiting);
  });
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    auto tasks = tx.Tasks().ListForRequest("req_1");
    EXPECT_EQ(tasks->size(), 1u);
    const core::Task& got = tasks->front();
    EXPECT_EQ(got.status, core::TaskStatus::kDone);
    EXPECT_EQ(got.note, "confirmed");
    EXPECT_EQ(got.completed_at, 20);
    EXPECT_EQ(got.result, "{}");
    EXPECT_EQ(got.contact_email, "privacy@vendor.example");
    return {};
  });
}

TEST_F(StoreTest, WebhookCallbackSignaturesAreRememberedOnceThenForgotten) {
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    auto first = tx.WebhookCallbacks().Remember("sig_a", "task_1", 1000, 0);
    EXPECT_TRUE(first && *first);
    auto again = tx.WebhookCallbacks().Remember("sig_a", "task_1", 1001, 0);
    EXPECT_TRUE(again && !*again);
    auto other = tx.WebhookCallbacks().Remember("sig_b", "task_1", 1002, 0);
    EXPECT_TRUE(other && *other);
    return core::Status{};
  });
  // Later, those received before the window are forgotten as a new one arrives.
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    auto c = tx.WebhookCallbacks().Remember("sig_c", "task_2", 5000, 1001);
    EXPECT_TRUE(c && *c);
    auto a = tx.WebhookCallbacks().Remember("sig_a", "task_1", 5001, 1001);
    EXPECT_TRUE(a && *a);  // forgotten: a timestamp that old is refused before this anyway
    auto b = tx.WebhookCallbacks().Remember("sig_b", "task_1", 5002, 1001);
    EXPECT_TRUE(b && !*b);
    return core::Status{};
  });
}

TEST_F(StoreTest, TemplatesArePutReplacedAndDeleted) {
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    EXPECT_FALSE(*tx.Templates().Find("acknowledgement"));
    if (auto s = tx.Templates().Put({"acknowledgement", "S1", "B1", 1, "usr_a"}); !s) return s;
    if (auto s = tx.Templates().Put({"acknowledgement", "S2", "B2", 2, "usr_b"}); !s) return s;
    auto found = tx.Templates().Find("acknowledgement");
    EXPECT_TRUE(found && *found);
    EXPECT_EQ((*found)->subject, "S2");
    EXPECT_EQ((*found)->updated_by, "usr_b");
    EXPECT_EQ(tx.Templates().List()->size(), 1u);
    if (auto s = tx.Templates().Delete("acknowledgement"); !s) return s;
    EXPECT_TRUE(tx.Templates().List()->empty());
    return {};
  });
}

TEST_F(StoreTest, SuppressionAddsOnceAndPages) {
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    for (int i = 0; i < 5; ++i) {
      const std::string email = "p" + std::to_string(i) + "@example.com";
      auto added = tx.Suppression().Add(
          {crypto_->IdentityHash(email), email, crypto_->Sha256Hex(email), "", 100 + i / 2});
      EXPECT_TRUE(added && *added);
    }
    auto again = tx.Suppression().Add(
        {crypto_->IdentityHash("p0@example.com"), "p0@example.com", "", "req_x", 500});
    EXPECT_TRUE(again && !*again);
    return {};
  });
  std::vector<std::string> seen;
  std::string cursor;
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    do {
      auto page = tx.Suppression().List(2, cursor);
      EXPECT_TRUE(page);
      for (const auto& e : page->items) seen.push_back(e.email);
      cursor = page->next_cursor;
    } while (!cursor.empty());
    EXPECT_EQ(tx.Suppression().List(2, "garbage").error().code, core::Errc::kInvalidArgument);
    auto found = tx.Suppression().Find(crypto_->IdentityHash("p3@example.com"));
    EXPECT_TRUE(found && *found && (*found)->email == "p3@example.com");
    return {};
  });
  EXPECT_EQ(seen.size(), 5u);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
}

TEST_F(StoreTest, RequestTypeSettingsUpsert) {
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    core::RequestTypeSetting s{"limit_sensitive", "Limit use", "desc", false, true, 45, 1, 1};
    if (auto st = tx.RequestTypes().Put(s); !st) return st;
    s.enabled = false;
    s.updated_at = 2;
    if (auto st = tx.RequestTypes().Put(s); !st) return st;
    auto found = tx.RequestTypes().Find("limit_sensitive");
    EXPECT_TRUE(found && *found);
    EXPECT_FALSE((*found)->enabled);
    EXPECT_EQ((*found)->deadline_days, 45);
    EXPECT_EQ(tx.RequestTypes().List()->size(), 1u);
    EXPECT_FALSE(*tx.RequestTypes().Find("nope"));
    return {};
  });
}

TEST_F(StoreTest, HoldExtensionAndIdentityLookup) {
  core::PrivacyRequest a = MakeRequest("req_a", 5000);
  core::PrivacyRequest b = MakeRequest("req_b", 6000);
  b.subject.email = a.subject.email;
  b.type = core::RequestType::kCustom;
  b.custom_type = "limit_sensitive";
  Insert(a);
  Insert(b);
  Insert(MakeRequest("req_c", 7000));
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Requests().SetHold("req_a", "legal hold", 4100); !s) return s;
    if (auto s = tx.Requests().SetExtension("req_a", 9000, "volume", 4200); !s) return s;
    EXPECT_EQ(tx.Requests().SetExtension("req_a", 9999, "again", 4300).error().code,
              core::Errc::kConflict);
    auto got = tx.Requests().Get("req_a");
    EXPECT_EQ(got->hold_reason, "legal hold");
    EXPECT_EQ(got->held_at, 4100);
    EXPECT_EQ(got->due_at, 9000);
    EXPECT_EQ(got->extended_at, 4200);
    EXPECT_EQ(got->extension_reason, "volume");
    if (auto s = tx.Requests().SetHold("req_a", "", 4400); !s) return s;
    got = tx.Requests().Get("req_a");
    EXPECT_TRUE(got->hold_reason.empty());
    EXPECT_FALSE(got->held_at);
    auto custom = tx.Requests().Get("req_b");
    EXPECT_EQ(custom->type, core::RequestType::kCustom);
    EXPECT_EQ(core::TypeKey(*custom), "limit_sensitive");
    auto same = tx.Requests().ListByIdentity(crypto_->IdentityHash(a.subject.email), 0, 10);
    EXPECT_EQ(same->size(), 2u);
    EXPECT_EQ(same->front().id, "req_b");  // newest first
    EXPECT_EQ(
        tx.Requests().ListByIdentity(crypto_->IdentityHash(a.subject.email), 4500, 10)->size(), 1u);
    return {};
  });
}

TEST_F(StoreTest, PrescansAreReplacedPerSource) {
  Write(*store_, [&](core::Transaction& tx) -> core::Status {
    if (auto st = tx.Prescans().Put({"req_p", "ds_b", 3, R"({"customers":1})", "", 10}); !st) {
      return st;
    }
    if (auto st = tx.Prescans().Put({"req_p", "ds_a", 0, "{}", "cannot connect", 11}); !st) {
      return st;
    }
    if (auto st = tx.Prescans().Put({"req_p", "ds_b", 5, R"({"customers":2})", "", 12}); !st) {
      return st;
    }
    auto list = tx.Prescans().ListForRequest("req_p");
    EXPECT_TRUE(list);
    EXPECT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].data_source_id, "ds_a");
    EXPECT_EQ((*list)[0].error, "cannot connect");
    EXPECT_EQ((*list)[1].found, 5);
    EXPECT_EQ((*list)[1].collections, R"({"customers":2})");
    EXPECT_EQ((*list)[1].scanned_at, 12);
    EXPECT_TRUE(tx.Prescans().ListForRequest("req_other")->empty());
    return {};
  });
}

}  // namespace
}  // namespace rd::store
