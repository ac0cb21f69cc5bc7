// The integrations' rows: pre-scan results.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {

core::Status SqlPrescanRepository::Put(const core::PrescanEntry& e) {
  try {
    const long long found = e.found;
    const long long at = e.scanned_at;
    // Delete and insert: the same statement pair on SQLite and PostgreSQL, in the caller's
    // transaction.
    sql_ << "DELETE FROM prescans WHERE request_id = :r AND data_source_id = :d",
        soci::use(e.request_id), soci::use(e.data_source_id);
    sql_ << "INSERT INTO prescans (request_id, data_source_id, found, collections, error, "
            "scanned_at) VALUES (:r, :d, :f, :c, :e, :t)",
        soci::use(e.request_id), soci::use(e.data_source_id), soci::use(found),
        soci::use(e.collections), soci::use(e.error), soci::use(at);
    return {};
  } catch (const std::exception& ex) {
    return tl::unexpected(TranslateDbError(ex, "prescan"));
  }
}

core::Result<std::vector<core::PrescanEntry>> SqlPrescanRepository::ListForRequest(
    const std::string& request_id) {
  try {
    std::vector<core::PrescanEntry> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT request_id, data_source_id, found, collections, error, "
                         "scanned_at FROM prescans WHERE request_id = :r ORDER BY data_source_id",
         soci::use(request_id));
    for (const auto& r : rows) {
      out.push_back(
          {RowText(r, 0), RowText(r, 1), RowInt(r, 2), RowText(r, 3), RowText(r, 4), RowInt(r, 5)});
    }
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list prescans"));
  }
}

}  // namespace rd::store
