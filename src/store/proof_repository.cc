// Authorized agents' proofs of authority, one row per request.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {

core::Status SqlProofRepository::Put(const core::StoredProof& p) {
  try {
    const long long size = p.size;
    const long long at = p.uploaded_at;
    // ON CONFLICT ... DO UPDATE: the same statement on SQLite (3.24+) and PostgreSQL.
    sql_ << "INSERT INTO proofs (request_id, media_type, size_bytes, sha256, sealed_name, "
            "sealed_content, uploaded_at) VALUES (:r, :m, :s, :h, :n, :c, :a) "
            "ON CONFLICT (request_id) DO UPDATE SET media_type = excluded.media_type, "
            "size_bytes = excluded.size_bytes, sha256 = excluded.sha256, "
            "sealed_name = excluded.sealed_name, sealed_content = excluded.sealed_content, "
            "uploaded_at = excluded.uploaded_at",
        soci::use(p.request_id), soci::use(p.media_type), soci::use(size), soci::use(p.sha256),
        soci::use(p.sealed_name), soci::use(p.sealed_content), soci::use(at);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "proof"));
  }
}

core::Result<std::optional<core::StoredProof>> SqlProofRepository::Select(
    const std::string& request_id, bool with_content) {
  try {
    soci::row r;
    sql_ << (with_content ? "SELECT request_id, media_type, size_bytes, sha256, sealed_name, "
                            "uploaded_at, sealed_content FROM proofs WHERE request_id = :r"
                          : "SELECT request_id, media_type, size_bytes, sha256, sealed_name, "
                            "uploaded_at FROM proofs WHERE request_id = :r"),
        soci::use(request_id), soci::into(r);
    if (!sql_.got_data()) return std::optional<core::StoredProof>();
    core::StoredProof p;
    p.request_id = RowText(r, 0);
    p.media_type = RowText(r, 1);
    p.size = RowInt(r, 2);
    p.sha256 = RowText(r, 3);
    p.sealed_name = RowText(r, 4);
    p.uploaded_at = RowInt(r, 5);
    if (with_content) p.sealed_content = RowText(r, 6);
    return std::optional<core::StoredProof>(std::move(p));
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get proof"));
  }
}

core::Result<std::optional<core::StoredProof>> SqlProofRepository::FindInfo(
    const std::string& request_id) {
  return Select(request_id, false);
}

core::Result<std::optional<core::StoredProof>> SqlProofRepository::Find(
    const std::string& request_id) {
  return Select(request_id, true);
}

}  // namespace rd::store
