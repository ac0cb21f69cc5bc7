#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_event.h"
#include "core/privacy_request.h"
#include "core/result.h"
#include "core/user.h"

namespace rd::core {

// Ports to the system of record. store/ implements them on SQLite and PostgreSQL through one
// code path. Every repository call happens inside a Transaction handed out by Store, so a
// state change, its audit event and the jobs it causes commit together or not at all.
// Repositories return kNotFound for a missing row, kConflict for a uniqueness violation and
// kUnavailable when the database cannot be reached; they never throw.

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  [[nodiscard]] virtual Status Insert(const User& user) = 0;
  [[nodiscard]] virtual Result<User> FindByEmail(const std::string& email) = 0;
  [[nodiscard]] virtual Result<User> FindById(const std::string& id) = 0;
  [[nodiscard]] virtual Result<std::vector<User>> List() = 0;
  [[nodiscard]] virtual Result<std::int64_t> Count() = 0;
  // Stores the login-failure counter and lock of a user.
  [[nodiscard]] virtual Status SetLoginState(const std::string& id, int failed_logins,
                                             UnixTime locked_until) = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  [[nodiscard]] virtual Status Insert(const Session& session) = 0;
  [[nodiscard]] virtual Result<Session> Find(const std::string& token_hash) = 0;
  [[nodiscard]] virtual Status Delete(const std::string& token_hash) = 0;
  [[nodiscard]] virtual Status DeleteExpired(UnixTime now) = 0;
};

class ApiTokenRepository {
 public:
  virtual ~ApiTokenRepository() = default;
  [[nodiscard]] virtual Status Insert(const ApiToken& token) = 0;
  [[nodiscard]] virtual Result<ApiToken> FindByHash(const std::string& token_hash) = 0;
  [[nodiscard]] virtual Result<std::vector<ApiToken>> List() = 0;
  [[nodiscard]] virtual Status Revoke(const std::string& id) = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Appends one event at the end of the chain. Serialized across processes: concurrent
  // appenders (threads or processes on one PostgreSQL) keep one gap-free chain.
  [[nodiscard]] virtual Result<AuditEvent> Append(const NewAuditEvent& event, UnixTime at) = 0;
  // Walks the whole chain in order, recomputing every hash.
  [[nodiscard]] virtual Result<AuditVerification> Verify() = 0;
  // Events in chain order with seq > `after_seq`, at most `limit` (0 = no limit); with
  // `request_id`, only that request's. Streams: nothing is held in memory.
  [[nodiscard]] virtual Status ForEach(const std::optional<std::string>& request_id,
                                       std::int64_t after_seq, std::int64_t limit,
                                       const std::function<void(const AuditEvent&)>& fn) = 0;
};

class RequestRepository {
 public:
  virtual ~RequestRepository() = default;
  // `identity_hash` is the keyed hash of the subject's normalized email (Crypto::IdentityHash).
  [[nodiscard]] virtual Status Insert(const PrivacyRequest& request,
                                      const std::string& identity_hash) = 0;
  [[nodiscard]] virtual Result<PrivacyRequest> Get(const std::string& id) = 0;
  [[nodiscard]] virtual Result<RequestPage> List(const RequestQuery& query) = 0;
};

struct Job {
  std::string id;
  std::string kind;
  std::string payload;  // JSON text
  UnixTime run_at = 0;
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  [[nodiscard]] virtual Status Enqueue(const Job& job) = 0;
  // Number of jobs per status ("queued", "running", "done", "failed").
  [[nodiscard]] virtual Result<std::map<std::string, std::int64_t>> CountByStatus() = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual UserRepository& Users() = 0;
  virtual SessionRepository& Sessions() = 0;
  virtual ApiTokenRepository& ApiTokens() = 0;
  virtual AuditRepository& Audit() = 0;
  virtual RequestRepository& Requests() = 0;
  virtual JobRepository& Jobs() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in one write transaction: committed when it returns a value, rolled back
  // when it returns an error (which is passed on). Thread-safe; borrows a pooled connection.
  [[nodiscard]] virtual Status Write(const std::function<Status(Transaction&)>& fn) = 0;
  // The same for reads: no locks taken beyond what the database needs for a snapshot.
  [[nodiscard]] virtual Status Read(const std::function<Status(Transaction&)>& fn) = 0;
  // True when the database answers a trivial query.
  virtual bool Ping() = 0;
};

}  // namespace rd::core
