#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "core/store.h"
#include "store/database.h"

namespace rd::store {

// core::Store on SQLite or PostgreSQL through SOCI: one code path, bound parameters only.
// Thread-safe; each Write/Read borrows a pooled connection for its transaction.
//
// On SQLite, writes commit together (group commit): SQLite has one writer at a time, so
// instead of queueing in its busy handler (which sleeps), every write goes to one writer
// thread, which runs the writes waiting at a moment one after the other in one transaction,
// each inside its own savepoint, so that one write's error undoes only that write. Each write
// gets its own result after the commit that holds it: the semantics of one transaction per
// write, at a fraction of the cost per write (one commit, and pages shared by the batch
// written to the WAL once). WriteAsync lets a caller that need not wait (an HTTP handler that
// answers later) queue its write and go on, so batches grow with the writes in flight rather
// than with the threads blocked on them.
class SqlStore final : public core::Store {
 public:
  // `crypto` hashes the audit chain; both must outlive the store.
  SqlStore(Database& db, const core::Crypto& crypto);

  // Writes still queued commit before the store goes.
  ~SqlStore() override;

  [[nodiscard]] core::Status Write(
      const std::function<core::Status(core::Transaction&)>& fn) override;
  void WriteAsync(std::function<core::Status(core::Transaction&)> fn,
                  std::function<void(core::Status)> done) override;
  [[nodiscard]] core::Status Read(
      const std::function<core::Status(core::Transaction&)>& fn) override;
  bool Ping() override;

  Database& database() { return db_; }

 private:
  [[nodiscard]] core::Status Run(const std::function<core::Status(core::Transaction&)>& fn,
                                 bool write);
  struct PendingWrite {
    std::function<core::Status(core::Transaction&)> fn;
    std::function<void(core::Status)> done;
  };
  void WriterLoop();
  // Runs the batch in one transaction; the result of each write, in order.
  std::vector<core::Status> RunBatch(std::vector<PendingWrite>& batch);

  Database& db_;
  const core::Crypto& crypto_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<PendingWrite> queue_;  // writes waiting for the next batch
  bool stopping_ = false;
  std::thread writer_;  // SQLite only
  static constexpr std::size_t kMaxBatch = 256;
};

}  // namespace rd::store
