// The latest personal-data scan of each data source.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {

core::Status SqlSourceScanRepository::Put(const core::SourceScan& s) {
  try {
    const long long created = s.created_at;
    const long long updated = s.updated_at;
    // ON CONFLICT ... DO UPDATE: the same statement on SQLite (3.24+) and PostgreSQL.
    sql_ << "INSERT INTO source_scans (data_source_id, job_id, status, progress_done, "
            "progress_total, columns_json, dataset, error, requested_by, created_at, updated_at) "
            "VALUES (:ds, :job, :st, :pd, :pt, :cols, :d, :err, :by, :ca, :ua) "
            "ON CONFLICT (data_source_id) DO UPDATE SET job_id = excluded.job_id, "
            "status = excluded.status, progress_done = excluded.progress_done, "
            "progress_total = excluded.progress_total, columns_json = excluded.columns_json, "
            "dataset = excluded.dataset, error = excluded.error, "
            "requested_by = excluded.requested_by, created_at = excluded.created_at, "
            "updated_at = excluded.updated_at",
        soci::use(s.data_source_id), soci::use(s.job_id), soci::use(s.status),
        soci::use(s.progress_done), soci::use(s.progress_total), soci::use(s.columns_json),
        soci::use(s.dataset), soci::use(s.error), soci::use(s.requested_by), soci::use(created),
        soci::use(updated);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "source scan"));
  }
}

core::Result<core::SourceScan> SqlSourceScanRepository::Get(const std::string& data_source_id) {
  try {
    soci::row r;
    sql_ << "SELECT data_source_id, job_id, status, progress_done, progress_total, columns_json, "
            "dataset, error, requested_by, created_at, updated_at FROM source_scans "
            "WHERE data_source_id = :ds",
        soci::use(data_source_id), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "the source was never scanned");
    core::SourceScan s;
    s.data_source_id = RowText(r, 0);
    s.job_id = RowText(r, 1);
    s.status = RowText(r, 2);
    s.progress_done = static_cast<int>(RowInt(r, 3));
    s.progress_total = static_cast<int>(RowInt(r, 4));
    s.columns_json = RowText(r, 5);
    s.dataset = RowText(r, 6);
    s.error = RowText(r, 7);
    s.requested_by = RowText(r, 8);
    s.created_at = RowInt(r, 9);
    s.updated_at = RowInt(r, 10);
    return s;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get source scan"));
  }
}

}  // namespace rd::store
