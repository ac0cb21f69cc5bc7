#pragma once

// The fixture of the store suite (store_test.cc, job_repository_test.cc,
// audit_repository_test.cc). The suite runs against SQLite by default and against PostgreSQL
// when RD_TEST_DATABASE holds a postgresql:// URL (ctest's "pg" label starts one), so both
// databases pass the same tests. Each test gets its own database file or schema.

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "crypto/sodium_crypto.h"
#include "store/database.h"
#include "store/migrator.h"
#include "store/sql_repositories.h"
#include "store/sql_store.h"

namespace rd::store {

inline std::string PgBaseUrl() {
  const char* url = std::getenv("RD_TEST_DATABASE");
  return url != nullptr ? url : "";
}

// A write of two audit events, or of one followed by an error when `refuse` (its savepoint
// must then take the first event away again).
inline core::Status TwoEventsOrRefuse(core::Transaction& tx, bool refuse) {
  auto e = tx.Audit().Append({"system", std::nullopt, "test.write", "{}"}, 1'790'000'000);
  if (!e) return tl::unexpected(e.error());
  if (refuse) return core::Fail(core::Errc::kInvalidArgument, "refused after appending");
  return tx.Audit()
      .Append({"system", std::nullopt, "test.second", "{}"}, 1'790'000'000)
      .map([](const core::AuditEvent&) {});
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

}  // namespace rd::store
