// Discovery findings on both databases.
#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace rd::store {
namespace {

core::DiscoveryFinding Finding(const std::string& id, core::FindingSource source,
                               const std::string& key, core::UnixTime created) {
  core::DiscoveryFinding f;
  f.id = id;
  f.source = source;
  f.match_key = key;
  f.domain = key.rfind("app:", 0) == 0 ? "" : key;
  f.name = key;
  f.messages = 3;
  f.first_seen = 10;
  f.last_seen = 20;
  f.recipients = 2;
  f.signals = {"from", "dkim"};
  f.created_at = f.updated_at = created;
  return f;
}

TEST_F(StoreTest, DiscoveryFindingsRoundTripMergeKeysAndStatus) {
  auto st = store_->Write([&](core::Transaction& tx) -> core::Status {
    auto& repo = tx.DiscoveryFindings();
    if (auto s = repo.Insert(Finding("fnd_1", core::FindingSource::kMailbox, "mcsv.net", 100)); !s)
      return s;
    core::DiscoveryFinding app = Finding("fnd_2", core::FindingSource::kSso, "app:payroll", 200);
    app.first_seen.reset();
    app.last_seen.reset();
    app.catalog_id = "";
    if (auto s = repo.Insert(app); !s) return s;
    // Same domain, another source: its own finding.
    if (auto s = repo.Insert(Finding("fnd_3", core::FindingSource::kDns, "mcsv.net", 300)); !s)
      return s;
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  // Same source and key: refused (the whole transaction, as PostgreSQL aborts it).
  st = store_->Write([&](core::Transaction& tx) -> core::Status {
    return tx.DiscoveryFindings().Insert(
        Finding("fnd_4", core::FindingSource::kMailbox, "mcsv.net", 400));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::kConflict);
  st = store_->Write([&](core::Transaction& tx) -> core::Status {
    auto& repo = tx.DiscoveryFindings();
    auto found = repo.FindByKey(core::FindingSource::kMailbox, "mcsv.net");
    EXPECT_TRUE(found && *found);
    EXPECT_EQ((*found)->id, "fnd_1");
    EXPECT_EQ((*found)->signals, (std::vector<std::string>{"from", "dkim"}));
    EXPECT_EQ((*found)->first_seen, 10);
    EXPECT_FALSE(*repo.FindByKey(core::FindingSource::kSso, "mcsv.net"));
    auto app = repo.Get("fnd_2");
    EXPECT_TRUE(app);
    EXPECT_FALSE(app->first_seen.has_value());
    EXPECT_EQ(app->domain, "");
    EXPECT_EQ(app->source, core::FindingSource::kSso);

    core::DiscoveryFinding f = **found;
    f.messages = 7;
    f.catalog_id = "mailchimp";
    f.status = core::FindingStatus::kAccepted;
    f.data_source_id = "ds_1";
    f.updated_at = 500;
    if (auto s = repo.Update(f, core::FindingStatus::kNew); !s) return s;
    // Stale expectation: conflict; unknown id: not found.
    EXPECT_EQ(repo.Update(f, core::FindingStatus::kNew).error().code, core::Errc::kConflict);
    f.id = "fnd_missing";
    EXPECT_EQ(repo.Update(f, core::FindingStatus::kNew).error().code, core::Errc::kNotFound);
    EXPECT_EQ(repo.Get("fnd_missing").error().code, core::Errc::kNotFound);
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  st = store_->Read([&](core::Transaction& tx) -> core::Status {
    auto& repo = tx.DiscoveryFindings();
    auto all = repo.List(std::nullopt);
    EXPECT_TRUE(all);
    EXPECT_EQ(all->size(), 3u);
    EXPECT_EQ(all->front().id, "fnd_3");  // newest first
    auto accepted = repo.List(core::FindingStatus::kAccepted);
    EXPECT_EQ(accepted->size(), 1u);
    EXPECT_EQ(accepted->front().messages, 7);
    EXPECT_EQ(accepted->front().catalog_id, "mailchimp");
    EXPECT_EQ(accepted->front().data_source_id, "ds_1");
    EXPECT_EQ(repo.List(core::FindingStatus::kNew)->size(), 2u);
    EXPECT_TRUE(repo.List(core::FindingStatus::kDismissed)->empty());
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
}

}  // namespace
}  // namespace rd::store
