#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// The subject's identities a connector searches by, keyed by the Fides identity name
// ("email", "phone_number"). Personal data: never logged, never in audit details.
using Identities = std::map<std::string, std::string>;

// What one connector call did to one collection (a table).
struct CollectionOutcome {
  std::string name;
  std::int64_t found = 0;      // rows reachable from the identities
  std::int64_t exported = 0;   // rows Export gave its sink
  std::int64_t erased = 0;     // rows deleted
  std::int64_t masked = 0;     // rows whose personal fields were overwritten
  std::int64_t opted_out = 0;  // rows whose opt-out field was set
  std::int64_t remaining = 0;  // after Erase: rows that still hold an identity value
  std::int64_t millis = 0;
  std::vector<std::string> rows =
      {};  // rows a RowCollector kept, JSON object texts (personal data)
};

// The result of one connector call, per collection, as it goes into a task's `result`.
struct ConnectorResult {
  std::string action;  // "find", "export", "erase" or "opt_out"
  std::vector<CollectionOutcome> collections;
  std::vector<std::string> errors;  // problems that did not stop the call (no personal data)
  bool verified = false;            // Erase: a re-read found no identity value left
  bool truncated = false;           // Export: more rows existed than a RowCollector kept
  // The target system accepted the job and reports the outcome later through a signed
  // callback (a webhook that answered 202): nothing was done yet, the task waits.
  bool deferred = false;
  std::int64_t statements = 0;  // SQL statements sent
  std::int64_t millis = 0;
  // EraseMany: subjects erased together in one transaction; `statements`, `millis` and the
  // collections' millis are then the whole batch's, the row counts this subject's.
  std::int64_t batch_subjects = 1;

  std::int64_t Total(std::int64_t CollectionOutcome::*field) const {
    std::int64_t n = 0;
    for (const auto& c : collections) n += c.*field;
    return n;
  }
};

// The result as JSON text: {action, verified, statements, millis, totals:{found, ...},
// collections:{name:{found, exported, erased, masked, opted_out, remaining, millis}},
// errors:[...]} plus, with `with_rows`, rows:{collection:[row, ...]}.
std::string ConnectorResultJson(const ConnectorResult& r, bool with_rows);
// Counts only, for audit details: {"found":n,"exported":n,"erased":n,"masked":n,...}.
std::string ConnectorCountsJson(const ConnectorResult& r);

// Receives the rows an export reaches, one at a time, as JSON object texts: personal data.
// An error stops the export, which returns it. Exports stream into a sink so that what a copy
// package holds never has to fit in memory at once.
class RowSink {
 public:
  virtual ~RowSink() = default;
  [[nodiscard]] virtual Status Row(const std::string& collection, std::string row) = 0;
};

// A sink that keeps at most `max_rows` rows in all, for results small enough to keep whole
// (a task's result, tests); the rest are counted as truncated.
class RowCollector final : public RowSink {
 public:
  explicit RowCollector(std::size_t max_rows) : max_rows_(max_rows) {}
  [[nodiscard]] Status Row(const std::string& collection, std::string row) override;
  // Moves the kept rows into the collections of `r` of the same name; sets r.truncated.
  void MoveInto(ConnectorResult& r);

 private:
  std::size_t max_rows_;
  std::size_t kept_ = 0;
  bool truncated_ = false;
  std::map<std::string, std::vector<std::string>> rows_;
};

// What the calls of a connector are for, for connectors that hand the job to another system
// (webhook) and so describe it; connectors that do the work themselves ignore it. No personal
// data: the identities travel in the call.
struct ConnectorJob {
  std::string id;  // the task id ("" for a pre-scan: no callback then)
  std::string request_id;
  std::string request_type;  // the type key ("deletion", "copy", ...)
  std::string jurisdiction;
  std::string callback_url;  // where a deferred outcome is posted ("" when none can be)
  UnixTime created_at = 0;   // when the task was created
};

// A signed callback about a deferred job, as it arrived (the webhook callback route).
struct CallbackMessage {
  std::string timestamp;  // the Rightsdesk-Timestamp header
  std::string signature;  // the Rightsdesk-Signature header
  std::string body;       // the raw body the signature covers
};

// A callback checked and read: "completed" or "not_found" (with the counts in `result`) or
// "failed" (with the system's `error`); `signature` is the signature that matched, accepted
// once only.
struct ConnectorCallback {
  std::string id;  // the task id the body names: it must be the one of the URL (the signature
                   // covers the body, so a callback cannot be replayed to another task)
  std::string status;
  ConnectorResult result;
  std::string error;
  std::string signature;
};

// One subject of a batch erasure (Connector::EraseMany): its identities and the secret that
// keys its HMAC masking (per request, as for Erase).
struct ErasureSubject {
  Identities ids;
  std::string secret;
};

// One configured integration (PRODUCT.md §3). Every call opens what it needs and closes it
// before returning; calls never throw. Errors: kUnavailable when the target cannot be reached
// (worth a retry), kInvalidArgument when the mapping does not fit the target (a missing table
// or column), kInternal otherwise. Not thread-safe: one call at a time per object.
class Connector {
 public:
  virtual ~Connector() = default;
  // Connects and checks that every mapped collection can be read.
  [[nodiscard]] virtual Status Test() = 0;
  // Counts the rows reachable from the identities, per collection.
  [[nodiscard]] virtual Result<ConnectorResult> Find(const Identities& ids) = 0;
  // Gives every reachable row to `sink` as it reads them (rows of one collection may come in
  // several runs, in the order the walk reaches them); counts them as exported. Keeps no row
  // once given, so memory does not grow with the rows exported.
  [[nodiscard]] virtual Result<ConnectorResult> Export(const Identities& ids, RowSink& sink) = 0;
  // Deletes or masks the reachable rows by the erasure policy, in one transaction, then
  // re-reads: an identity value still present is an error (kInternal). `secret` keys the
  // HMAC masking of this request. Idempotent: a second run finds nothing and does nothing.
  [[nodiscard]] virtual Result<ConnectorResult> Erase(const Identities& ids,
                                                      const std::string& secret) = 0;
  // Erases several subjects as Erase erases one, and returns one result per subject, in the
  // order given. A connector that can (SQL) does it set-wise in one transaction for all of
  // them: all are erased or, on an error, none. The default calls Erase for each in turn and
  // stops at the first error (the subjects before it stay erased: Erase is idempotent).
  [[nodiscard]] virtual Result<std::vector<ConnectorResult>> EraseMany(
      const std::vector<ErasureSubject>& subjects);
  // How many subjects one EraseMany call should take at most; 1 when it is no cheaper than
  // Erase per subject.
  virtual std::size_t EraseBatchLimit() const { return 1; }
  // Sets the opt-out field of every reachable row of the collections that declare one.
  // kInvalidArgument when the mapping declares no opt-out field.
  [[nodiscard]] virtual Result<ConnectorResult> OptOut(const Identities& ids) = 0;
  // Tells the connector what the next calls are for (before them).
  virtual void ForJob(const ConnectorJob& job) { (void)job; }
};

// Knows every connector kind (connectors/registry.h implements it). Thread-safe.
class ConnectorRegistry {
 public:
  virtual ~ConnectorRegistry() = default;
  // Checks an integration source's connector (JSON text) and dataset (YAML) and returns the
  // connector as it is stored, its secrets sealed. A secret given as "***" keeps the one
  // sealed in `stored_before` (the source's stored connector, "" on create), so a client may
  // send back what it read. kInvalidArgument naming the field and the place in the dataset.
  [[nodiscard]] virtual Result<std::string> Prepare(const std::string& connector,
                                                    const std::string& dataset,
                                                    const std::string& stored_before) const = 0;
  // The stored connector as the API shows it: secrets replaced by "***".
  virtual std::string Redact(const std::string& stored) const = 0;
  // A connector for an integration source. kInvalidArgument for a source that does not
  // load (changed outside the API).
  [[nodiscard]] virtual Result<std::unique_ptr<Connector>> Open(const DataSource& ds) const = 0;
  // The database URL of a SQL source, its password unsealed, for what opens the database
  // itself (the personal-data scan). kInvalidArgument "connector: ..." for any other source.
  [[nodiscard]] virtual Result<std::string> DatabaseUrl(const DataSource& ds) const = 0;
  // A callback about a deferred job of `ds`, its signature checked against the source's
  // secret and its timestamp against `now`; rows it carries (export) go to `rows`.
  // kUnauthenticated for a missing, wrong or stale signature; kInvalidArgument naming the
  // field of a malformed body; kNotFound for a source that takes no callbacks.
  [[nodiscard]] virtual Result<ConnectorCallback> ReadCallback(const DataSource& ds,
                                                               const CallbackMessage& msg,
                                                               UnixTime now, RowSink& rows) const {
    (void)ds, (void)msg, (void)now, (void)rows;
    return Fail(Errc::kNotFound, "task: no task of this id waits for a callback");
  }
};

}  // namespace rd::core
