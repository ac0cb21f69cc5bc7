#include "store/sql_store.h"

#include <soci/soci.h>

#include "store/sql_repositories.h"

namespace rd::store {
namespace {

class SqlTransactionContext final : public core::Transaction {
 public:
  SqlTransactionContext(Connection& conn, Dialect dialect, const core::Crypto& crypto)
      : SqlTransactionContext(conn.sql(), conn.statements(), dialect, crypto) {}
  SqlTransactionContext(soci::session& sql, StatementCache& statements, Dialect dialect,
                        const core::Crypto& crypto)
      : users_(sql),
        sessions_(sql),
        tokens_(sql),
        audit_(sql, statements, dialect, crypto),
        requests_(sql, statements),
        jobs_(sql, statements, dialect, crypto),
        verifications_(sql, statements),
        messages_(sql, statements),
        sources_(sql),
        tasks_(sql),
        templates_(sql),
        suppression_(sql),
        types_(sql),
        findings_(sql, dialect),
        prescans_(sql),
        scans_(sql),
        proofs_(sql),
        webhook_callbacks_(sql),
        packages_(sql),
        chunks_(sql) {}
  core::UserRepository& Users() override { return users_; }
  core::SessionRepository& Sessions() override { return sessions_; }
  core::ApiTokenRepository& ApiTokens() override { return tokens_; }
  core::AuditRepository& Audit() override { return audit_; }
  core::RequestRepository& Requests() override { return requests_; }
  core::JobRepository& Jobs() override { return jobs_; }
  core::VerificationRepository& Verifications() override { return verifications_; }
  core::MessageRepository& Messages() override { return messages_; }
  // What the repositories keep of this transaction: marked at a savepoint, restored after a
  // rollback to it, written before the commit.
  void MarkSavepoint() { audit_.MarkSavepoint(); }
  void RollbackToSavepoint() { audit_.RollbackToSavepoint(); }
  [[nodiscard]] core::Status Flush() { return audit_.Flush(); }
  core::DataSourceRepository& DataSources() override { return sources_; }
  core::TaskRepository& Tasks() override { return tasks_; }
  core::TemplateRepository& Templates() override { return templates_; }
  core::SuppressionRepository& Suppression() override { return suppression_; }
  core::RequestTypeRepository& RequestTypes() override { return types_; }
  core::DiscoveryFindingRepository& DiscoveryFindings() override { return findings_; }
  core::PrescanRepository& Prescans() override { return prescans_; }
  core::SourceScanRepository& SourceScans() override { return scans_; }
  core::ProofRepository& Proofs() override { return proofs_; }
  core::WebhookCallbackRepository& WebhookCallbacks() override { return webhook_callbacks_; }
  core::PackageRepository& Packages() override { return packages_; }
  core::ChunkRepository& Chunks() override { return chunks_; }

 private:
  SqlUserRepository users_;
  SqlSessionRepository sessions_;
  SqlApiTokenRepository tokens_;
  SqlAuditRepository audit_;
  SqlRequestRepository requests_;
  SqlJobRepository jobs_;
  SqlVerificationRepository verifications_;
  SqlMessageRepository messages_;
  SqlDataSourceRepository sources_;
  SqlTaskRepository tasks_;
  SqlTemplateRepository templates_;
  SqlSuppressionRepository suppression_;
  SqlRequestTypeRepository types_;
  SqlDiscoveryFindingRepository findings_;
  SqlPrescanRepository prescans_;
  SqlSourceScanRepository scans_;
  SqlProofRepository proofs_;
  SqlWebhookCallbackRepository webhook_callbacks_;
  SqlPackageRepository packages_;
  SqlChunkRepository chunks_;
};

}  // namespace

SqlStore::SqlStore(Database& db, const core::Crypto& crypto) : db_(db), crypto_(crypto) {
  if (db_.dialect() == Dialect::kSqlite) writer_ = std::thread([this] { WriterLoop(); });
}

SqlStore::~SqlStore() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_one();
  writer_.join();
}

core::Status SqlStore::Write(const std::function<core::Status(core::Transaction&)>& fn) {
  if (!writer_.joinable()) return Run(fn, true);
  if (std::this_thread::get_id() == writer_.get_id()) {
    // A write from a `done` callback: the writer is between batches, so it runs as one.
    std::vector<PendingWrite> one{{[&fn](core::Transaction& tx) { return fn(tx); }, {}}};
    return std::move(RunBatch(one).front());
  }
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  core::Status result;
  WriteAsync([&fn](core::Transaction& tx) { return fn(tx); },
             [&](core::Status st) {
               // Notified under the lock: the waiter's frame (mu, cv) may go as soon as it
               // sees `finished`.
               std::lock_guard lock(mu);
               result = std::move(st);
               finished = true;
               cv.notify_one();
             });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return finished; });
  return result;
}

void SqlStore::WriteAsync(std::function<core::Status(core::Transaction&)> fn,
                          std::function<void(core::Status)> done) {
  if (!writer_.joinable()) {
    done(Run(fn, true));
    return;
  }
  bool accepted = false;
  bool wake = false;
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      // Only the first write of an empty queue wakes the writer; later ones join its batch.
      wake = queue_.empty();
      queue_.push_back({std::move(fn), std::move(done)});
      accepted = true;
    }
  }
  if (!accepted) {
    done(core::Fail(core::Errc::kUnavailable, "the store is shutting down"));
    return;
  }
  if (wake) queue_cv_.notify_one();
}

void SqlStore::WriterLoop() {
  std::vector<PendingWrite> batch;
  std::unique_lock lock(queue_mu_);
  for (;;) {
    queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to commit
    if (queue_.size() <= kMaxBatch) {
      batch.swap(queue_);
    } else {
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + kMaxBatch));
      queue_.erase(queue_.begin(), queue_.begin() + kMaxBatch);
    }
    lock.unlock();
    std::vector<core::Status> results = RunBatch(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        batch[i].done(std::move(results[i]));
      } catch (const std::exception&) {
        // A callback's failure is its caller's; the writer goes on with the next batch.
      }
    }
    batch.clear();
    lock.lock();
  }
}

std::vector<core::Status> SqlStore::RunBatch(std::vector<PendingWrite>& batch) {
  std::vector<core::Status> results(batch.size());
  auto fail_all = [&](const core::Error& e) {
    for (core::Status& r : results) r = tl::unexpected(e);
  };
  try {
    Connection conn(db_, Connection::Writer{});
    soci::session& sql = conn.sql();
    SqlTransaction tx(sql, db_.dialect(), true);
    SqlTransactionContext context(conn, db_.dialect(), crypto_);
    // Prepared once per connection, like the writes inside (StatementCache).
    StatementCache& statements = conn.statements();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      statements.Execute("SAVEPOINT w");
      context.MarkSavepoint();
      try {
        results[i] = batch[i].fn(context);
      } catch (const std::exception& e) {
        results[i] = tl::unexpected(TranslateDbError(e, "write"));
      }
      if (!results[i]) {
        statements.Execute("ROLLBACK TO SAVEPOINT w");
        context.RollbackToSavepoint();
      }
      statements.Execute("RELEASE SAVEPOINT w");
    }
    if (auto st = context.Flush(); !st) {
      fail_all(st.error());
      return results;
    }
    tx.Commit();
  } catch (const std::exception& e) {
    // The transaction is gone (disk full, I/O error, lost lock): nothing of the batch stayed.
    fail_all(TranslateDbError(e, "write"));
  }
  return results;
}

core::Status SqlStore::Read(const std::function<core::Status(core::Transaction&)>& fn) {
  return Run(fn, false);
}

core::Status SqlStore::Run(const std::function<core::Status(core::Transaction&)>& fn, bool write) {
  try {
    Connection conn(db_);
    SqlTransaction tx(conn.sql(), db_.dialect(), write);
    SqlTransactionContext context(conn, db_.dialect(), crypto_);
    core::Status status = fn(context);
    if (status) status = context.Flush();
    if (status) tx.Commit();
    return status;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, write ? "write" : "read"));
  }
}

bool SqlStore::Ping() {
  try {
    soci::session sql(db_.pool());
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace rd::store
