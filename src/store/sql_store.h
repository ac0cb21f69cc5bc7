#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

#include "core/crypto.h"
#include "core/store.h"
#include "store/database.h"

namespace rd::store {

// core::Store on SQLite or PostgreSQL through SOCI: one code path, bound parameters only.
// Thread-safe; each Write/Read borrows a pooled connection for its transaction.
//
// On SQLite, concurrent writes of this process commit together (group commit): SQLite has one
// writer at a time, so instead of queueing in its busy handler (which sleeps), the writes
// waiting at a moment run one after the other in one transaction, each inside its own
// savepoint, so that one write's error undoes only that write. Every caller returns after the
// commit that holds its write, with its own result: the semantics of one transaction per
// Write, at a fraction of the cost per write (one commit, and pages shared by the batch
// written to the WAL once).
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
  struct PendingWrite;
  [[nodiscard]] core::Status GroupWrite(const std::function<core::Status(core::Transaction&)>& fn);
  void RunBatch(std::deque<PendingWrite*>& batch);

  Database& db_;
  const core::Crypto& crypto_;
  std::mutex batch_mu_;
  std::deque<PendingWrite*> queue_;  // writes waiting for the next batch
  bool leader_active_ = false;       // a thread is running a batch
  static constexpr std::size_t kMaxBatch = 128;
};

}  // namespace rd::store
