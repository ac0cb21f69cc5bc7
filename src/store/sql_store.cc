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

SqlStore::SqlStore(Database& db, const core::Crypto& crypto) : db_(db), crypto_(crypto) {}

struct SqlStore::PendingWrite {
  const std::function<core::Status(core::Transaction&)>* fn;
  core::Status status;
  bool done = false;
  // Each writer sleeps on its own: the leader wakes exactly the writers of its batch, and the
  // first one still waiting to lead the next, instead of every waiting thread.
  std::condition_variable wake;
};

core::Status SqlStore::Write(const std::function<core::Status(core::Transaction&)>& fn) {
  if (db_.dialect() == Dialect::kSqlite) return GroupWrite(fn);
  return Run(fn, true);
}

core::Status SqlStore::GroupWrite(const std::function<core::Status(core::Transaction&)>& fn) {
  PendingWrite mine{&fn, {}, false, {}};
  std::unique_lock lock(batch_mu_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (leader_active_) {
      mine.wake.wait(lock);
      continue;
    }
    // Lead: take what is waiting (this write among it) and commit it as one batch.
    leader_active_ = true;
    std::deque<PendingWrite*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    for (PendingWrite* p : batch) {
      p->done = true;
      if (p != &mine) p->wake.notify_one();
    }
    leader_active_ = false;
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  return std::move(mine.status);
}

void SqlStore::RunBatch(std::deque<PendingWrite*>& batch) {
  auto fail_all = [&](const core::Error& e) {
    for (PendingWrite* p : batch) p->status = tl::unexpected(e);
  };
  try {
    Connection conn(db_, Connection::Writer{});
    soci::session& sql = conn.sql();
    SqlTransaction tx(sql, db_.dialect(), true);
    SqlTransactionContext context(conn, db_.dialect(), crypto_);
    // Prepared once per connection, like the writes inside (StatementCache).
    StatementCache& statements = conn.statements();
    for (PendingWrite* p : batch) {
      statements.Execute("SAVEPOINT w");
      context.MarkSavepoint();
      try {
        p->status = (*p->fn)(context);
      } catch (const std::exception& e) {
        p->status = tl::unexpected(TranslateDbError(e, "write"));
      }
      if (!p->status) {
        statements.Execute("ROLLBACK TO SAVEPOINT w");
        context.RollbackToSavepoint();
      }
      statements.Execute("RELEASE SAVEPOINT w");
    }
    if (auto st = context.Flush(); !st) {
      fail_all(st.error());
      return;
    }
    tx.Commit();
  } catch (const std::exception& e) {
    // The transaction is gone (disk full, I/O error, lost lock): nothing of the batch stayed.
    fail_all(TranslateDbError(e, "write"));
  }
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
