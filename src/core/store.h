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
  // Moves the request from `from` to `to` (and sets the outcome when given). kConflict when
  // it is no longer in `from` (someone else changed it first).
  [[nodiscard]] virtual Status Transition(const std::string& id, RequestStatus from,
                                          RequestStatus to, std::optional<Outcome> outcome,
                                          UnixTime now) = 0;
  [[nodiscard]] virtual Status MarkVerified(const std::string& id, UnixTime at,
                                            const std::string& method) = 0;
  [[nodiscard]] virtual Status SetRejection(const std::string& id, const std::string& reason,
                                            const std::string& note) = 0;
  // `user_id` empty: unassigned.
  [[nodiscard]] virtual Status SetAssignee(const std::string& id, const std::string& user_id,
                                           UnixTime now) = 0;
};

// The open email-verification challenge of an unverified request.
struct Verification {
  std::string request_id;
  std::string code_hash;        // keyed hash of the 6-digit code
  std::string link_token_hash;  // keyed hash of the link's secret
  UnixTime expires_at = 0;
  int attempts = 0;  // wrong codes so far
  UnixTime created_at = 0;
};

class VerificationRepository {
 public:
  virtual ~VerificationRepository() = default;
  // Inserts or replaces the request's challenge.
  [[nodiscard]] virtual Status Put(const Verification& v) = 0;
  [[nodiscard]] virtual Result<Verification> Find(const std::string& request_id) = 0;
  [[nodiscard]] virtual Status SetAttempts(const std::string& request_id, int attempts) = 0;
  [[nodiscard]] virtual Status Delete(const std::string& request_id) = 0;
};

// One message of a request's conversation: an email in or out, or a portal message.
struct Message {
  std::string id;  // "msg_" + hex
  std::string request_id;
  std::string direction;  // "out" (to the subject or a vendor) or "in"
  std::string sender;     // "system", "user:usr_..", "subject", "vendor"
  std::string recipient;  // email address for outgoing email, else ""
  std::string subject;
  std::string body;
  UnixTime created_at = 0;
  std::optional<UnixTime> sent_at;  // when the mail server accepted it
};

class MessageRepository {
 public:
  virtual ~MessageRepository() = default;
  [[nodiscard]] virtual Status Insert(const Message& m) = 0;
  [[nodiscard]] virtual Result<Message> Get(const std::string& id) = 0;
  [[nodiscard]] virtual Result<std::vector<Message>> ListForRequest(
      const std::string& request_id) = 0;
  [[nodiscard]] virtual Status MarkSent(const std::string& id, UnixTime at) = 0;
};

// A durable unit of background work (an email to send, a task to run, a deadline to check),
// written in the transaction of the change that causes it (the outbox).
struct Job {
  std::string id;       // "job_" + hex; generated by Enqueue when empty
  std::string kind;     // what runs it, e.g. "email.send"
  std::string payload;  // JSON text
  UnixTime run_at = 0;  // not before
  int attempts = 0;     // claims so far, this one included
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  [[nodiscard]] virtual Status Enqueue(const Job& job) = 0;
  // Claims the job due first: queued with run_at <= now, or running with a lease that expired
  // before now (its worker died). The job is marked running until now + lease_seconds and its
  // attempts counted. Concurrent claimers never get the same job (FOR UPDATE SKIP LOCKED on
  // PostgreSQL; the write lock on SQLite). nullopt when nothing is due.
  [[nodiscard]] virtual Result<std::optional<Job>> Claim(const std::string& worker, UnixTime now,
                                                         int lease_seconds) = 0;
  // The job is finished. kConflict when `worker` no longer holds it (its lease was taken over).
  [[nodiscard]] virtual Status Complete(const std::string& id, const std::string& worker,
                                        UnixTime now) = 0;
  // Try again at `run_at`, recording the error.
  [[nodiscard]] virtual Status Retry(const std::string& id, const std::string& worker,
                                     UnixTime run_at, const std::string& error, UnixTime now) = 0;
  // Give up: the job stays as "failed" with its error, for a person to look at.
  [[nodiscard]] virtual Status Bury(const std::string& id, const std::string& worker,
                                    const std::string& error, UnixTime now) = 0;
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
  virtual VerificationRepository& Verifications() = 0;
  virtual MessageRepository& Messages() = 0;
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
