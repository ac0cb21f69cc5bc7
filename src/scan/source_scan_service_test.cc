#include "scan/source_scan_service.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "connectors/registry.h"
#include "core/data_source_service.h"
#include "core/fake_clock.h"
#include "store/temp_store.h"

namespace rd::scan {
namespace {

class SourceScanServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    auto d = ValueDetectors::Create({});
    ASSERT_TRUE(d);
    detectors_ = std::move(*d);
    registry_ = std::make_unique<connectors::Registry>(temp_->crypto());
    sources_ = std::make_unique<core::DataSourceService>(temp_->store(), temp_->crypto(), clock_,
                                                         registry_.get());
    scans_ = std::make_unique<SourceScanService>(temp_->store(), temp_->crypto(), clock_,
                                                 *detectors_, SourceScanPolicy{}, registry_.get());
    // The database the scans read: customers with email addresses.
    db_path_ = temp_->dir() + "/crm.db";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
    std::string sql =
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, tier TEXT);"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES "
        "customers(id));";
    for (int i = 1; i <= 20; ++i) {
      sql += "INSERT INTO customers VALUES (" + std::to_string(i) + ", 'c" + std::to_string(i) +
             "@example.com', 'gold'); INSERT INTO orders VALUES (" + std::to_string(i) + ", " +
             std::to_string(i) + ");";
    }
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

  std::string Source(const std::string& process, const std::string& url) {
    core::DataSourceFields f;
    f.name = "CRM";
    f.category = "database";
    f.process = process;
    if (process == "integration") f.connector = "{\"kind\":\"sql\",\"url\":\"" + url + "\"}";
    auto ds = sources_->Create(f, "user:a");
    EXPECT_TRUE(ds) << ds.error().message;
    return ds ? ds->id : "";
  }

  std::vector<std::string> EventKinds() {
    std::vector<std::string> out;
    EXPECT_TRUE(temp_->store().Read([&](core::Transaction& tx) {
      return tx.Audit().ForEach(std::nullopt, 0, 0,
                                [&](const core::AuditEvent& e) { out.push_back(e.kind); });
    }));
    return out;
  }

  core::FakeClock clock_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<ValueDetectors> detectors_;
  std::unique_ptr<connectors::Registry> registry_;
  std::unique_ptr<core::DataSourceService> sources_;
  std::unique_ptr<SourceScanService> scans_;
  std::string db_path_;
};

TEST_F(SourceScanServiceTest, RequestQueuesOneJobAndRunRecordsColumnsAndDataset) {
  const std::string id = Source("integration", "sqlite://" + db_path_);
  auto job = scans_->Request(id, "user:a");
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(scans_->Get(id)->status, "queued");
  // A second request while the first is queued is refused.
  auto again = scans_->Request(id, "user:a");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kConflict);

  ASSERT_TRUE(scans_->Run(
      {*job, SourceScanService::kJobKind, "{\"data_source_id\":\"" + id + "\"}", 0, 1}));
  auto scan = scans_->Get(id);
  ASSERT_TRUE(scan);
  EXPECT_EQ(scan->status, "done") << scan->error;
  EXPECT_EQ(scan->progress_done, scan->progress_total);
  EXPECT_NE(scan->columns_json.find("\"user.contact.email\""), std::string::npos);
  EXPECT_EQ(scan->columns_json.find("@example.com"), std::string::npos);  // no sampled values
  EXPECT_NE(scan->dataset.find("identity: email"), std::string::npos);
  EXPECT_NE(scan->dataset.find("field: customers.id"), std::string::npos);
  const auto kinds = EventKinds();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "data_source.scan_requested"), 1);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "data_source.scanned"), 1);
  // Done: a new scan may be requested; the old job, run again, changes nothing.
  auto next = scans_->Request(id, "user:a");
  ASSERT_TRUE(next);
  ASSERT_TRUE(scans_->Run(
      {*job, SourceScanService::kJobKind, "{\"data_source_id\":\"" + id + "\"}", 0, 2}));
  EXPECT_EQ(scans_->Get(id)->status, "queued");
}

TEST_F(SourceScanServiceTest, SourcesWithoutASqlConnectorAreRefusedAndNothingIsStored) {
  const std::string id = Source("manual", "");
  auto job = scans_->Request(id, "user:a");
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, core::Errc::kInvalidArgument);
  EXPECT_EQ(job.error().message.rfind("connector:", 0), 0u);
  EXPECT_EQ(scans_->Get(id).error().code, core::Errc::kNotFound);
  EXPECT_EQ(scans_->Request("ds_missing", "user:a").error().code, core::Errc::kNotFound);
  const auto kinds = EventKinds();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "data_source.scan_requested"), 0);
}

TEST_F(SourceScanServiceTest, AnUnreadableDatabaseFailsTheScanWithoutRetrying) {
  const std::string id = Source("integration", "sqlite:///nonexistent/crm.db");
  auto job = scans_->Request(id, "user:a");
  ASSERT_TRUE(job);
  ASSERT_TRUE(scans_->Run(
      {*job, SourceScanService::kJobKind, "{\"data_source_id\":\"" + id + "\"}", 0, 1}));
  auto scan = scans_->Get(id);
  EXPECT_EQ(scan->status, "failed");
  EXPECT_NE(scan->error.find("no SQLite file"), std::string::npos);
}

}  // namespace
}  // namespace rd::scan
