#include "store/temp_store.h"

#include <stdlib.h>

#include <filesystem>

#include "store/migrator.h"

namespace rd::store {

core::Result<std::unique_ptr<TempSqliteStore>> TempSqliteStore::Create() {
  if (auto st = crypto::InitSodium(); !st) return tl::unexpected(st.error());
  std::unique_ptr<TempSqliteStore> t(new TempSqliteStore());
  std::string tmpl = (std::filesystem::temp_directory_path() / "rd-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    return core::Fail(core::Errc::kUnavailable, "cannot create a temporary directory");
  }
  t->dir_ = tmpl;
  t->crypto_ = std::make_unique<crypto::SodiumCrypto>(std::string(32, 'k'));
  auto db = Database::Open("sqlite://" + t->dir_ + "/t.db", 2);
  if (!db) return tl::unexpected(db.error());
  t->db_ = std::move(*db);
  if (auto migrated = Migrate(*t->db_); !migrated) return tl::unexpected(migrated.error());
  t->store_ = std::make_unique<SqlStore>(*t->db_, *t->crypto_);
  return t;
}

TempSqliteStore::~TempSqliteStore() {
  store_.reset();
  db_.reset();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

}  // namespace rd::store
