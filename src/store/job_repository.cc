// The durable job queue: enqueue in the caller's transaction, claim with a lease, finish.
#include <soci/soci.h>

#include "core/ids.h"
#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {

core::Status SqlJobRepository::Enqueue(const core::Job& job) {
  try {
    const std::string id = job.id.empty() ? core::NewId(crypto_, "job_") : job.id;
    const long long run_at = job.run_at;
    statements_.Execute(
        "INSERT INTO jobs (id, kind, payload, status, run_at, created_at, updated_at) "
        "VALUES (:id, :k, :p, 'queued', :r, :c, :u)",
        soci::use(id), soci::use(job.kind), soci::use(job.payload), soci::use(run_at),
        soci::use(run_at), soci::use(run_at));
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "enqueue job"));
  }
}

core::Result<std::optional<core::Job>> SqlJobRepository::Claim(const std::string& worker,
                                                               core::UnixTime now,
                                                               int lease_seconds) {
  try {
    // One statement: pick the job due first and take it. On PostgreSQL SKIP LOCKED lets
    // concurrent workers pass over each other's picks instead of queueing behind them.
    const std::string pick =
        "SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= :now1) "
        "OR (status = 'running' AND lease_until < :now2) ORDER BY run_at, id LIMIT 1" +
        std::string(dialect_ == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "");
    const long long t = now;
    const long long lease = now + lease_seconds;
    soci::row r;
    sql_ << "UPDATE jobs SET status = 'running', lease_until = :lease, worker = :worker, "
            "attempts = attempts + 1, updated_at = :now WHERE id = (" +
                pick + ") RETURNING id, kind, payload, run_at, attempts",
        soci::use(lease), soci::use(worker), soci::use(t), soci::use(t), soci::use(t),
        soci::into(r);
    if (!sql_.got_data()) return std::optional<core::Job>{};
    core::Job job;
    job.id = RowText(r, 0);
    job.kind = RowText(r, 1);
    job.payload = RowText(r, 2);
    job.run_at = RowInt(r, 3);
    job.attempts = static_cast<int>(RowInt(r, 4));
    return std::optional<core::Job>(std::move(job));
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "claim job"));
  }
}

core::Status SqlJobRepository::Finish(const std::string& id, const std::string& worker,
                                      const char* status, core::UnixTime run_at,
                                      const std::string& error, core::UnixTime now) {
  try {
    const std::string st = status;
    const long long at = run_at;
    const long long t = now;
    soci::indicator error_ind = error.empty() ? soci::i_null : soci::i_ok;
    soci::statement stmt =
        (sql_.prepare << "UPDATE jobs SET status = :st, run_at = :run_at, lease_until = 0, "
                         "last_error = :err, updated_at = :now "
                         "WHERE id = :id AND worker = :worker AND status = 'running'",
         soci::use(st), soci::use(at), soci::use(error, error_ind), soci::use(t), soci::use(id),
         soci::use(worker));
    stmt.execute(true);
    if (stmt.get_affected_rows() == 0) {
      return core::Fail(core::Errc::kConflict, "the job is no longer held by this worker");
    }
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "finish job"));
  }
}

core::Status SqlJobRepository::Complete(const std::string& id, const std::string& worker,
                                        core::UnixTime now) {
  return Finish(id, worker, "done", now, "", now);
}

core::Status SqlJobRepository::Retry(const std::string& id, const std::string& worker,
                                     core::UnixTime run_at, const std::string& error,
                                     core::UnixTime now) {
  return Finish(id, worker, "queued", run_at, error, now);
}

core::Status SqlJobRepository::Bury(const std::string& id, const std::string& worker,
                                    const std::string& error, core::UnixTime now) {
  return Finish(id, worker, "failed", now, error, now);
}

core::Status SqlJobRepository::RescheduleQueued(const std::string& kind, const std::string& payload,
                                                core::UnixTime run_at) {
  try {
    const long long at = run_at;
    sql_ << "UPDATE jobs SET run_at = :r WHERE kind = :k AND payload = :p AND status = 'queued'",
        soci::use(at), soci::use(kind), soci::use(payload);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "reschedule job"));
  }
}

core::Status SqlJobRepository::CompleteQueued(const std::string& kind, const std::string& payload,
                                              core::UnixTime now) {
  try {
    const long long t = now;
    sql_ << "UPDATE jobs SET status = 'done', updated_at = :u "
            "WHERE kind = :k AND payload = :p AND status = 'queued'",
        soci::use(t), soci::use(kind), soci::use(payload);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "complete job"));
  }
}

core::Result<std::map<std::string, std::int64_t>> SqlJobRepository::CountByStatus() {
  try {
    std::map<std::string, std::int64_t> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT status, COUNT(*) FROM jobs GROUP BY status");
    for (const auto& r : rows) out[RowText(r, 0)] = RowInt(r, 1);
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "count jobs"));
  }
}

}  // namespace rd::store
