#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "crypto/sodium_crypto.h"
#include "store/database.h"
#include "store/sql_store.h"

namespace rd::store {

// For tests: a migrated SQLite store in a fresh temporary directory, with a fixed-key
// SodiumCrypto. The directory is removed on destruction.
class TempSqliteStore {
 public:
  [[nodiscard]] static core::Result<std::unique_ptr<TempSqliteStore>> Create();
  ~TempSqliteStore();

  SqlStore& store() { return *store_; }
  crypto::SodiumCrypto& crypto() { return *crypto_; }
  Database& database() { return *db_; }
  const std::string& dir() const { return dir_; }

 private:
  TempSqliteStore() = default;
  std::string dir_;
  std::unique_ptr<crypto::SodiumCrypto> crypto_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqlStore> store_;
};

}  // namespace rd::store
