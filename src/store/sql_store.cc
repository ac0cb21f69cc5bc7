#include "store/sql_store.h"

#include <soci/soci.h>

#include "store/sql_repositories.h"

namespace rd::store {
namespace {

class SqlTransactionContext final : public core::Transaction {
 public:
  SqlTransactionContext(soci::session& sql, Dialect dialect, const core::Crypto& crypto)
      : users_(sql),
        sessions_(sql),
        tokens_(sql),
        audit_(sql, dialect, crypto),
        requests_(sql),
        jobs_(sql, dialect, crypto),
        verifications_(sql),
        messages_(sql),
        sources_(sql),
        tasks_(sql),
        templates_(sql),
        suppression_(sql),
        types_(sql) {}
  core::UserRepository& Users() override { return users_; }
  core::SessionRepository& Sessions() override { return sessions_; }
  core::ApiTokenRepository& ApiTokens() override { return tokens_; }
  core::AuditRepository& Audit() override { return audit_; }
  core::RequestRepository& Requests() override { return requests_; }
  core::JobRepository& Jobs() override { return jobs_; }
  core::VerificationRepository& Verifications() override { return verifications_; }
  core::MessageRepository& Messages() override { return messages_; }
  core::DataSourceRepository& DataSources() override { return sources_; }
  core::TaskRepository& Tasks() override { return tasks_; }
  core::TemplateRepository& Templates() override { return templates_; }
  core::SuppressionRepository& Suppression() override { return suppression_; }
  core::RequestTypeRepository& RequestTypes() override { return types_; }

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
};

}  // namespace

SqlStore::SqlStore(Database& db, const core::Crypto& crypto) : db_(db), crypto_(crypto) {}

core::Status SqlStore::Write(const std::function<core::Status(core::Transaction&)>& fn) {
  return Run(fn, true);
}

core::Status SqlStore::Read(const std::function<core::Status(core::Transaction&)>& fn) {
  return Run(fn, false);
}

core::Status SqlStore::Run(const std::function<core::Status(core::Transaction&)>& fn, bool write) {
  try {
    soci::session sql(db_.pool());
    SqlTransaction tx(sql, db_.dialect(), write);
    SqlTransactionContext context(sql, db_.dialect(), crypto_);
    core::Status status = fn(context);
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
