#pragma once

// The SOCI implementations of the core repositories. Each works on the connection of the
// transaction that owns it and is used by one thread at a time.

#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "core/store.h"
#include "store/database.h"
#include "store/statement_cache.h"

namespace soci {
class session;
}

namespace rd::store {

class SqlUserRepository final : public core::UserRepository {
 public:
  explicit SqlUserRepository(soci::session& sql) : sql_(sql) {}
  core::Status Insert(const core::User& user) override;
  core::Result<core::User> FindByEmail(const std::string& email) override;
  core::Result<core::User> FindById(const std::string& id) override;
  core::Result<std::vector<core::User>> List() override;
  core::Result<std::int64_t> Count() override;
  core::Status SetLoginState(const std::string& id, int failed_logins,
                             core::UnixTime locked_until) override;

 private:
  core::Result<core::User> FindBy(const char* column, const std::string& value);
  soci::session& sql_;
};

class SqlSessionRepository final : public core::SessionRepository {
 public:
  explicit SqlSessionRepository(soci::session& sql) : sql_(sql) {}
  core::Status Insert(const core::Session& session) override;
  core::Result<core::Session> Find(const std::string& token_hash) override;
  core::Status Delete(const std::string& token_hash) override;
  core::Status DeleteExpired(core::UnixTime now) override;

 private:
  soci::session& sql_;
};

class SqlApiTokenRepository final : public core::ApiTokenRepository {
 public:
  explicit SqlApiTokenRepository(soci::session& sql) : sql_(sql) {}
  core::Status Insert(const core::ApiToken& token) override;
  core::Result<core::ApiToken> FindByHash(const std::string& token_hash) override;
  core::Result<std::vector<core::ApiToken>> List() override;
  core::Status Revoke(const std::string& id) override;

 private:
  soci::session& sql_;
};

class SqlAuditRepository final : public core::AuditRepository {
 public:
  SqlAuditRepository(soci::session& sql, StatementCache& statements, Dialect dialect,
                     const core::Crypto& crypto)
      : sql_(sql), statements_(statements), dialect_(dialect), crypto_(crypto) {}
  core::Result<core::AuditEvent> Append(const core::NewAuditEvent& event,
                                        core::UnixTime at) override;
  core::Result<core::AuditVerification> Verify() override;
  core::Status ForEach(const std::optional<std::string>& request_id, std::int64_t after_seq,
                       std::int64_t limit,
                       const std::function<void(const core::AuditEvent&)>& fn) override;
  // The chain's head row is written once per transaction, by Flush() before the commit,
  // rather than once per event: a batch of writes then updates one row once. On PostgreSQL
  // the events themselves wait for Flush() too: the head row's lock (FOR UPDATE) is the
  // chain's, held until the commit, so taking it at the end keeps concurrent transactions
  // from queueing behind one another for the whole of each other's work.
  [[nodiscard]] core::Status Flush();
  // Remembers the head at a savepoint, and returns to it after a rollback to that savepoint.
  void MarkSavepoint() { saved_ = {head_, dirty_}; }
  void RollbackToSavepoint() { std::tie(head_, dirty_) = saved_; }

 private:
  core::Result<core::AuditEvent> AppendNow(const core::NewAuditEvent& event, core::UnixTime at);
  // The event with its seq and hashes after the head (read, and locked, on first use); moves
  // the head in memory.
  core::Result<core::AuditEvent> Chain(const core::NewAuditEvent& event, core::UnixTime at);
  core::Status FlushPostgres();

  using Head = std::optional<std::pair<long long, std::string>>;
  std::vector<std::pair<core::NewAuditEvent, core::UnixTime>> pending_;  // PostgreSQL
  soci::session& sql_;
  StatementCache& statements_;
  Dialect dialect_;
  const core::Crypto& crypto_;
  Head head_;           // the chain's head, once read
  bool dirty_ = false;  // head_ is ahead of the head row
  std::pair<Head, bool> saved_;
};

class SqlRequestRepository final : public core::RequestRepository {
 public:
  SqlRequestRepository(soci::session& sql, StatementCache& statements)
      : sql_(sql), statements_(statements) {}
  core::Status Insert(const core::PrivacyRequest& request,
                      const std::string& identity_hash) override;
  core::Result<core::PrivacyRequest> Get(const std::string& id) override;
  core::Result<core::RequestPage> List(const core::RequestQuery& query) override;
  core::Result<core::RequestCounts> Counts(core::UnixTime now, core::UnixTime soon) override;
  core::Status Transition(const std::string& id, core::RequestStatus from, core::RequestStatus to,
                          std::optional<core::Outcome> outcome, core::UnixTime now) override;
  core::Status MarkVerified(const std::string& id, core::UnixTime at,
                            const std::string& method) override;
  core::Status SetRejection(const std::string& id, const std::string& reason,
                            const std::string& note) override;
  core::Status SetAssignee(const std::string& id, const std::string& user_id,
                           core::UnixTime now) override;
  core::Status SetHold(const std::string& id, const std::string& reason,
                       core::UnixTime now) override;
  core::Status SetExtension(const std::string& id, core::UnixTime due_at, const std::string& reason,
                            core::UnixTime now) override;
  core::Result<std::vector<core::PrivacyRequest>> ListByIdentity(const std::string& identity_hash,
                                                                 core::UnixTime since,
                                                                 int limit) override;

 private:
  soci::session& sql_;
  StatementCache& statements_;
};

class SqlVerificationRepository final : public core::VerificationRepository {
 public:
  SqlVerificationRepository(soci::session& sql, StatementCache& statements)
      : sql_(sql), statements_(statements) {}
  core::Status Put(const core::Verification& v) override;
  core::Result<core::Verification> Find(const std::string& request_id) override;
  core::Status SetAttempts(const std::string& request_id, int attempts) override;
  core::Status Delete(const std::string& request_id) override;

 private:
  soci::session& sql_;
  StatementCache& statements_;
};

class SqlMessageRepository final : public core::MessageRepository {
 public:
  SqlMessageRepository(soci::session& sql, StatementCache& statements)
      : sql_(sql), statements_(statements) {}
  core::Status Insert(const core::Message& m) override;
  core::Result<core::Message> Get(const std::string& id) override;
  core::Result<std::vector<core::Message>> ListForRequest(const std::string& request_id) override;
  core::Status MarkSent(const std::string& id, core::UnixTime at) override;

 private:
  soci::session& sql_;
  StatementCache& statements_;
};

class SqlJobRepository final : public core::JobRepository {
 public:
  SqlJobRepository(soci::session& sql, StatementCache& statements, Dialect dialect,
                   const core::Crypto& crypto)
      : sql_(sql), statements_(statements), dialect_(dialect), crypto_(crypto) {}
  core::Status Enqueue(const core::Job& job) override;
  core::Result<std::optional<core::Job>> Claim(const std::string& worker, core::UnixTime now,
                                               int lease_seconds) override;
  core::Status Complete(const std::string& id, const std::string& worker,
                        core::UnixTime now) override;
  core::Status Retry(const std::string& id, const std::string& worker, core::UnixTime run_at,
                     const std::string& error, core::UnixTime now) override;
  core::Status Bury(const std::string& id, const std::string& worker, const std::string& error,
                    core::UnixTime now) override;
  core::Status RescheduleQueued(const std::string& kind, const std::string& payload,
                                core::UnixTime run_at) override;
  core::Status CompleteQueued(const std::string& kind, const std::string& payload,
                              core::UnixTime now) override;
  core::Result<std::map<std::string, std::int64_t>> CountByStatus() override;

 private:
  core::Status Finish(const std::string& id, const std::string& worker, const char* status,
                      core::UnixTime run_at, const std::string& error, core::UnixTime now);
  soci::session& sql_;
  StatementCache& statements_;
  Dialect dialect_;
  const core::Crypto& crypto_;
};

class SqlDataSourceRepository final : public core::DataSourceRepository {
 public:
  explicit SqlDataSourceRepository(soci::session& sql) : sql_(sql) {}
  core::Status Insert(const core::DataSource& ds) override;
  core::Result<core::DataSource> Get(const std::string& id) override;
  core::Result<std::vector<core::DataSource>> List() override;
  core::Status Update(const core::DataSource& ds) override;
  core::Status Archive(const std::string& id, core::UnixTime now) override;

 private:
  soci::session& sql_;
};

class SqlTaskRepository final : public core::TaskRepository {
 public:
  explicit SqlTaskRepository(soci::session& sql) : sql_(sql) {}
  core::Status Insert(const core::Task& t) override;
  core::Result<core::Task> Get(const std::string& id) override;
  core::Result<std::vector<core::Task>> ListForRequest(const std::string& request_id) override;
  core::Status Update(const core::Task& t, core::TaskStatus expected) override;
  core::Result<std::vector<core::Task>> ListPendingForSource(const std::string& data_source_id,
                                                             const std::string& process,
                                                             std::size_t limit) override;
  core::Result<std::int64_t> CountOpenForSource(const std::string& data_source_id) override;

 private:
  soci::session& sql_;
};

class SqlPrescanRepository final : public core::PrescanRepository {
 public:
  explicit SqlPrescanRepository(soci::session& sql) : sql_(sql) {}
  core::Status Put(const core::PrescanEntry& e) override;
  core::Result<std::vector<core::PrescanEntry>> ListForRequest(
      const std::string& request_id) override;

 private:
  soci::session& sql_;
};

class SqlTemplateRepository final : public core::TemplateRepository {
 public:
  explicit SqlTemplateRepository(soci::session& sql) : sql_(sql) {}
  core::Result<std::optional<core::StoredTemplate>> Find(const std::string& key) override;
  core::Result<std::vector<core::StoredTemplate>> List() override;
  core::Status Put(const core::StoredTemplate& t) override;
  core::Status Delete(const std::string& key) override;

 private:
  soci::session& sql_;
};

class SqlSuppressionRepository final : public core::SuppressionRepository {
 public:
  explicit SqlSuppressionRepository(soci::session& sql) : sql_(sql) {}
  core::Result<bool> Add(const core::SuppressionEntry& e) override;
  core::Result<std::optional<core::SuppressionEntry>> Find(
      const std::string& identity_hash) override;
  core::Result<core::SuppressionPage> List(int limit, const std::string& cursor) override;

 private:
  soci::session& sql_;
};

class SqlProofRepository final : public core::ProofRepository {
 public:
  explicit SqlProofRepository(soci::session& sql) : sql_(sql) {}
  core::Status Put(const core::StoredProof& p) override;
  core::Result<std::optional<core::StoredProof>> FindInfo(const std::string& request_id) override;
  core::Result<std::optional<core::StoredProof>> Find(const std::string& request_id) override;

 private:
  core::Result<std::optional<core::StoredProof>> Select(const std::string& request_id,
                                                        bool with_content);
  soci::session& sql_;
};

class SqlSourceScanRepository final : public core::SourceScanRepository {
 public:
  explicit SqlSourceScanRepository(soci::session& sql) : sql_(sql) {}
  core::Status Put(const core::SourceScan& scan) override;
  core::Result<core::SourceScan> Get(const std::string& data_source_id) override;

 private:
  soci::session& sql_;
};

class SqlWebhookCallbackRepository final : public core::WebhookCallbackRepository {
 public:
  explicit SqlWebhookCallbackRepository(soci::session& sql) : sql_(sql) {}
  core::Result<bool> Remember(const std::string& signature, const std::string& task_id,
                              core::UnixTime now, core::UnixTime forget_before) override;

 private:
  soci::session& sql_;
};

class SqlRequestTypeRepository final : public core::RequestTypeRepository {
 public:
  explicit SqlRequestTypeRepository(soci::session& sql) : sql_(sql) {}
  core::Result<std::vector<core::RequestTypeSetting>> List() override;
  core::Result<std::optional<core::RequestTypeSetting>> Find(const std::string& key) override;
  core::Status Put(const core::RequestTypeSetting& s) override;

 private:
  soci::session& sql_;
};

// The canonical text an audit event's hash covers (sorted-key JSON of seq, at, actor,
// request_id, kind and detail). Exposed for the tests.
std::string CanonicalAuditJson(const core::AuditEvent& e);
// The same text through nlohmann::json for any event: the definition CanonicalAuditJson's
// direct writing must match byte for byte.
std::string CanonicalAuditJsonGeneral(const core::AuditEvent& e);

// Discovery findings (discovery_repository.cc).
class SqlDiscoveryFindingRepository final : public core::DiscoveryFindingRepository {
 public:
  SqlDiscoveryFindingRepository(soci::session& sql, Dialect dialect)
      : sql_(sql), dialect_(dialect) {}
  core::Status Insert(const core::DiscoveryFinding& f) override;
  core::Result<std::optional<core::DiscoveryFinding>> FindByKey(
      core::FindingSource source, const std::string& match_key) override;
  core::Result<core::DiscoveryFinding> Get(const std::string& id) override;
  core::Result<std::vector<core::DiscoveryFinding>> List(
      std::optional<core::FindingStatus> status) override;
  core::Status Update(const core::DiscoveryFinding& f, core::FindingStatus expected) override;

 private:
  soci::session& sql_;
  Dialect dialect_;
};

class SqlPackageRepository final : public core::PackageRepository {
 public:
  explicit SqlPackageRepository(soci::session& sql) : sql_(sql) {}
  core::Status Put(const core::Package& p) override;
  core::Result<core::Package> FindByRequest(const std::string& request_id) override;
  core::Result<core::Package> FindByTokenHash(const std::string& token_hash) override;
  core::Result<std::vector<core::Package>> ListExpired(core::UnixTime now, int limit) override;
  core::Status CountDownload(const std::string& id) override;

 private:
  core::Result<core::Package> FindBy(const char* column, const std::string& value);
  soci::session& sql_;
};

class SqlChunkRepository final : public core::ChunkRepository {
 public:
  explicit SqlChunkRepository(soci::session& sql) : sql_(sql) {}
  core::Status Put(const std::string& stream, std::int64_t seq, const std::string& data) override;
  core::Result<std::optional<std::string>> Get(const std::string& stream,
                                               std::int64_t seq) override;
  core::Status DeleteStream(const std::string& stream) override;

 private:
  soci::session& sql_;
};

}  // namespace rd::store
