#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit_event.h"
#include "core/discovery.h"
#include "core/evidence_repositories.h"
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
  // Requests per status, and the open ones due before `now` and in [now, `soon`).
  // by_status holds only the statuses that have requests.
  // median_days_to_close: per type, over the requests closed in the 90 days before `now`.
  [[nodiscard]] virtual Result<RequestCounts> Counts(UnixTime now, UnixTime soon) = 0;
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
  // Puts the request on hold with `reason`, or releases it when `reason` is empty.
  [[nodiscard]] virtual Status SetHold(const std::string& id, const std::string& reason,
                                       UnixTime now) = 0;
  // Moves the due date for the one extension allowed. kConflict when it was extended before.
  [[nodiscard]] virtual Status SetExtension(const std::string& id, UnixTime due_at,
                                            const std::string& reason, UnixTime now) = 0;
  // Requests whose subject has the identity hash, received at or after `since`, newest first,
  // at most `limit` (duplicate detection in review).
  [[nodiscard]] virtual Result<std::vector<PrivacyRequest>> ListByIdentity(
      const std::string& identity_hash, UnixTime since, int limit) = 0;
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
  // Moves the queued jobs of `kind` with exactly `payload` to `run_at` (a batch took their
  // work over; they run only if it dies). Running or finished jobs are left as they are.
  [[nodiscard]] virtual Status RescheduleQueued(const std::string& kind, const std::string& payload,
                                                UnixTime run_at) = 0;
  // Marks the queued jobs of `kind` with exactly `payload` done: their work was done by
  // another job.
  [[nodiscard]] virtual Status CompleteQueued(const std::string& kind, const std::string& payload,
                                              UnixTime now) = 0;
  // Number of jobs per status ("queued", "running", "done", "failed").
  [[nodiscard]] virtual Result<std::map<std::string, std::int64_t>> CountByStatus() = 0;
};

// A system that holds personal data (PRODUCT.md §2) and how requests reach it: "integration"
// (a connector runs the task), "email" (the vendor's privacy contact is emailed) or "manual"
// (an agent follows the instructions).
struct DataSource {
  std::string id;  // "ds_" + hex
  std::string name;
  std::string catalog_id;                  // "" when not from the catalog
  std::string category;                    // e.g. "crm", "marketing", "database"
  std::string process;                     // "integration", "email" or "manual"
  bool request_handling = false;           // pre-selected when a request continues
  std::string contact_email;               // email process: the vendor's privacy contact
  std::string instructions;                // manual process: what the agent does
  std::string connector;                   // integration: JSON text; secrets encrypted
  std::string dataset;                     // integration: Fides dataset YAML
  std::vector<std::string> request_types;  // type keys it handles; empty: every type
  bool archived = false;                   // deleted; kept for the tasks that name it
  UnixTime created_at = 0;
  UnixTime updated_at = 0;

  // The inventory's description of the source.
  std::string owner;                         // who answers for it (a team or a role)
  std::string description;                   // what it is used for
  std::vector<std::string> data_categories;  // fideslang keys it holds, e.g. user.contact.email
};

class DataSourceRepository {
 public:
  virtual ~DataSourceRepository() = default;
  [[nodiscard]] virtual Status Insert(const DataSource& ds) = 0;
  // Archived sources too (tasks refer to them). kNotFound.
  [[nodiscard]] virtual Result<DataSource> Get(const std::string& id) = 0;
  // Sources not archived, by name.
  [[nodiscard]] virtual Result<std::vector<DataSource>> List() = 0;
  // Replaces every field but id and created_at. kNotFound.
  [[nodiscard]] virtual Status Update(const DataSource& ds) = 0;
  [[nodiscard]] virtual Status Archive(const std::string& id, UnixTime now) = 0;
};

// Where a task stands. pending: to do (manual) or queued (integration); waiting: the vendor
// was emailed and has not confirmed; running: a worker has it; done, skipped (with a reason)
// and failed (an integration gave up; an agent retries or skips it).
enum class TaskStatus { kPending, kWaiting, kRunning, kDone, kSkipped, kFailed };
const char* TaskStatusName(TaskStatus s);
std::optional<TaskStatus> ParseTaskStatus(std::string_view s);
// Done or skipped: the request may move on.
bool IsFinished(TaskStatus s);

// One data source's part of a request. Keeps a copy of what it was created from.
struct Task {
  std::string id;  // "task_" + hex
  std::string request_id;
  std::string data_source_id;
  std::string source_name;
  std::string process;  // as the source's, at creation
  TaskStatus status = TaskStatus::kPending;
  std::string instructions;   // manual: the source's instructions at creation
  std::string contact_email;  // email: where the vendor email went
  std::string note;           // the agent's note on completion, or the reason for skipping
  std::string result;         // JSON text: what an integration did (counts, timestamps), or "{}"
  std::string completed_by;   // actor that finished it ("user:..", "vendor", "system")
  std::optional<UnixTime> completed_at;
  int reminders = 0;  // vendor reminders sent
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
};

class TaskRepository {
 public:
  virtual ~TaskRepository() = default;
  [[nodiscard]] virtual Status Insert(const Task& t) = 0;
  [[nodiscard]] virtual Result<Task> Get(const std::string& id) = 0;
  // In creation order.
  [[nodiscard]] virtual Result<std::vector<Task>> ListForRequest(const std::string& request_id) = 0;
  // Stores status, note, result, completed_by, completed_at, reminders and updated_at of `t`,
  // if the task is still in `expected`; kConflict otherwise (someone else changed it first).
  [[nodiscard]] virtual Status Update(const Task& t, TaskStatus expected) = 0;
  // Up to `limit` pending tasks of the data source with `process`, oldest first.
  [[nodiscard]] virtual Result<std::vector<Task>> ListPendingForSource(
      const std::string& data_source_id, const std::string& process, std::size_t limit) = 0;
  // How many tasks of the data source are still open (pending, waiting or running).
  [[nodiscard]] virtual Result<std::int64_t> CountOpenForSource(
      const std::string& data_source_id) = 0;
};

// An admin's text for a template key; the built-in default applies when there is none.
struct StoredTemplate {
  std::string key;
  std::string subject;
  std::string body;
  UnixTime updated_at = 0;
  std::string updated_by;
};

class TemplateRepository {
 public:
  virtual ~TemplateRepository() = default;
  [[nodiscard]] virtual Result<std::optional<StoredTemplate>> Find(const std::string& key) = 0;
  [[nodiscard]] virtual Result<std::vector<StoredTemplate>> List() = 0;
  // Inserts or replaces.
  [[nodiscard]] virtual Status Put(const StoredTemplate& t) = 0;
  [[nodiscard]] virtual Status Delete(const std::string& key) = 0;
};

// An address that must never be mailed again (do_not_mail).
struct SuppressionEntry {
  std::string identity_hash;  // keyed hash of the normalized email (the key)
  std::string email;          // normalized
  std::string email_sha256;   // plain SHA-256 of `email`, for hashed lists
  std::string request_id;
  UnixTime added_at = 0;
};

struct SuppressionPage {
  std::vector<SuppressionEntry> items;
  std::string next_cursor;  // empty on the last page
};

class SuppressionRepository {
 public:
  virtual ~SuppressionRepository() = default;
  // Adds the entry; true when it was new, false when the address was already listed.
  [[nodiscard]] virtual Result<bool> Add(const SuppressionEntry& e) = 0;
  [[nodiscard]] virtual Result<std::optional<SuppressionEntry>> Find(
      const std::string& identity_hash) = 0;
  // Oldest first; `cursor` from a previous page. kInvalidArgument for a bad cursor.
  [[nodiscard]] virtual Result<SuppressionPage> List(int limit, const std::string& cursor) = 0;
};

// A request type as configured: a built-in one an admin renamed or switched off, or a custom
// right (PRODUCT.md §1).
struct RequestTypeSetting {
  std::string key;  // "deletion", ... or the custom right's key
  std::string name;
  std::string description;
  bool builtin = false;
  bool enabled = true;
  int deadline_days = 0;  // custom rights: calendar days to answer; 0: the jurisdiction's rule
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
};

class RequestTypeRepository {
 public:
  virtual ~RequestTypeRepository() = default;
  [[nodiscard]] virtual Result<std::vector<RequestTypeSetting>> List() = 0;
  [[nodiscard]] virtual Result<std::optional<RequestTypeSetting>> Find(const std::string& key) = 0;
  // Inserts or replaces.
  [[nodiscard]] virtual Status Put(const RequestTypeSetting& s) = 0;
};

// Discovery findings (system discovery, PRODUCT.md §2).
class DiscoveryFindingRepository {
 public:
  virtual ~DiscoveryFindingRepository() = default;
  [[nodiscard]] virtual Status Insert(const DiscoveryFinding& f) = 0;
  // The finding for (source, match_key), locked for update on PostgreSQL; nullopt when none.
  [[nodiscard]] virtual Result<std::optional<DiscoveryFinding>> FindByKey(
      FindingSource source, const std::string& match_key) = 0;
  [[nodiscard]] virtual Result<DiscoveryFinding> Get(const std::string& id) = 0;
  // With `status`, only those; newest first (most messages first within a run).
  [[nodiscard]] virtual Result<std::vector<DiscoveryFinding>> List(
      std::optional<FindingStatus> status) = 0;
  // Stores counts, dates, signals, catalog id, name, status, data_source_id and updated_at
  // of `f` if it is still in `expected`; kConflict otherwise. kNotFound.
  [[nodiscard]] virtual Status Update(const DiscoveryFinding& f, FindingStatus expected) = 0;
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
  virtual DataSourceRepository& DataSources() = 0;
  virtual TaskRepository& Tasks() = 0;
  virtual TemplateRepository& Templates() = 0;
  virtual SuppressionRepository& Suppression() = 0;
  virtual RequestTypeRepository& RequestTypes() = 0;
  virtual DiscoveryFindingRepository& DiscoveryFindings() = 0;
  virtual PrescanRepository& Prescans() = 0;
  virtual SourceScanRepository& SourceScans() = 0;
  virtual ProofRepository& Proofs() = 0;
  virtual WebhookCallbackRepository& WebhookCallbacks() = 0;
  virtual PackageRepository& Packages() = 0;
  virtual ChunkRepository& Chunks() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in one write transaction: committed when it returns a value, rolled back
  // when it returns an error (which is passed on). Thread-safe; borrows a pooled connection.
  [[nodiscard]] virtual Status Write(const std::function<Status(Transaction&)>& fn) = 0;
  // The same without waiting: `fn` runs later, on whichever thread writes, and `done` gets
  // its result after the commit (or the rollback), on that thread, so it must be short and
  // must not write. This one runs `fn` at once, on the caller's thread.
  virtual void WriteAsync(std::function<Status(Transaction&)> fn,
                          std::function<void(Status)> done) {
    done(Write(fn));
  }
  // The same for reads: no locks taken beyond what the database needs for a snapshot.
  [[nodiscard]] virtual Status Read(const std::function<Status(Transaction&)>& fn) = 0;
  // True when the database answers a trivial query.
  virtual bool Ping() = 0;
};

}  // namespace rd::core
