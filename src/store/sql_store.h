#pragma once

#include <memory>

#include "core/crypto.h"
#include "core/store.h"
#include "store/database.h"

namespace rd::store {

// core::Store on SQLite or PostgreSQL through SOCI: one code path, bound parameters only.
// Thread-safe; each Write/Read borrows a pooled connection for its transaction.
class SqlStore final : public core::Store {
 public:
  // `crypto` hashes the audit chain; both must outlive the store.
  SqlStore(Database& db, const core::Crypto& crypto);

  [[nodiscard]] core::Status Write(
      const std::function<core::Status(core::Transaction&)>& fn) override;
  [[nodiscard]] core::Status Read(
      const std::function<core::Status(core::Transaction&)>& fn) override;
  bool Ping() override;

  Database& database() { return db_; }

 private:
  [[nodiscard]] core::Status Run(const std::function<core::Status(core::Transaction&)>& fn,
                                 bool write);
  Database& db_;
  const core::Crypto& crypto_;
};

}  // namespace rd::store
