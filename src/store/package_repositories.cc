// Copy packages and the sealed chunks of spools and packages.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {
namespace {

constexpr const char* kColumns =
    "id, request_id, status, stream, token_hash, token_sealed, redactions, summary, bytes, "
    "chunks, downloads, error, created_at, updated_at, expires_at";

core::Package FromRow(const soci::row& r) {
  core::Package p;
  p.id = RowText(r, 0);
  p.request_id = RowText(r, 1);
  p.status = RowText(r, 2);
  p.stream = RowText(r, 3);
  p.token_hash = RowText(r, 4);
  p.token_sealed = RowText(r, 5);
  p.redactions = RowText(r, 6);
  p.summary = RowText(r, 7);
  p.bytes = RowInt(r, 8);
  p.chunks = RowInt(r, 9);
  p.downloads = RowInt(r, 10);
  p.error = RowText(r, 11);
  p.created_at = RowInt(r, 12);
  p.updated_at = RowInt(r, 13);
  p.expires_at = RowInt(r, 14);
  return p;
}

}  // namespace

core::Status SqlPackageRepository::Put(const core::Package& p) {
  try {
    const long long bytes = p.bytes;
    const long long chunks = p.chunks;
    const long long downloads = p.downloads;
    const long long created = p.created_at;
    const long long updated = p.updated_at;
    const long long expires = p.expires_at;
    // Delete and insert: the same statement pair on SQLite and PostgreSQL, in the caller's
    // transaction.
    sql_ << "DELETE FROM packages WHERE id = :id", soci::use(p.id);
    sql_ << "INSERT INTO packages (" << kColumns
         << ") VALUES (:id, :r, :s, :st, :th, :ts, :rd, :su, :b, :c, :d, :e, :ca, :ua, :ea)",
        soci::use(p.id), soci::use(p.request_id), soci::use(p.status), soci::use(p.stream),
        soci::use(p.token_hash), soci::use(p.token_sealed), soci::use(p.redactions),
        soci::use(p.summary), soci::use(bytes), soci::use(chunks), soci::use(downloads),
        soci::use(p.error), soci::use(created), soci::use(updated), soci::use(expires);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "put package"));
  }
}

core::Result<core::Package> SqlPackageRepository::FindBy(const char* column,
                                                         const std::string& value) {
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT " << kColumns << " FROM packages WHERE " << column << " = :v",
         soci::use(value));
    for (const auto& r : rows) return FromRow(r);
    return core::Fail(core::Errc::kNotFound, "no package");
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "find package"));
  }
}

core::Result<core::Package> SqlPackageRepository::FindByRequest(const std::string& request_id) {
  return FindBy("request_id", request_id);
}

core::Result<core::Package> SqlPackageRepository::FindByTokenHash(const std::string& token_hash) {
  if (token_hash.empty()) return core::Fail(core::Errc::kNotFound, "no package");
  return FindBy("token_hash", token_hash);
}

core::Result<std::vector<core::Package>> SqlPackageRepository::ListExpired(core::UnixTime now,
                                                                           int limit) {
  try {
    std::vector<core::Package> out;
    const long long at = now;
    soci::rowset<soci::row> rows =
        (sql_.prepare
             << "SELECT " << kColumns
             << " FROM packages WHERE status <> 'expired' AND expires_at > 0 AND expires_at <= :t "
                "ORDER BY expires_at LIMIT :n",
         soci::use(at), soci::use(limit));
    for (const auto& r : rows) out.push_back(FromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list expired packages"));
  }
}

core::Status SqlPackageRepository::CountDownload(const std::string& id) {
  try {
    sql_ << "UPDATE packages SET downloads = downloads + 1 WHERE id = :id", soci::use(id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "count download"));
  }
}

core::Status SqlChunkRepository::Put(const std::string& stream, std::int64_t seq,
                                     const std::string& data) {
  try {
    const long long n = seq;
    sql_ << "DELETE FROM sealed_chunks WHERE stream = :s AND seq = :n", soci::use(stream),
        soci::use(n);
    sql_ << "INSERT INTO sealed_chunks (stream, seq, data) VALUES (:s, :n, :d)", soci::use(stream),
        soci::use(n), soci::use(data);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "put chunk"));
  }
}

core::Result<std::optional<std::string>> SqlChunkRepository::Get(const std::string& stream,
                                                                 std::int64_t seq) {
  try {
    const long long n = seq;
    std::string data;
    soci::indicator ind = soci::i_ok;
    sql_ << "SELECT data FROM sealed_chunks WHERE stream = :s AND seq = :n", soci::use(stream),
        soci::use(n), soci::into(data, ind);
    if (!sql_.got_data() || ind == soci::i_null) return std::optional<std::string>{};
    return std::optional<std::string>(std::move(data));
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get chunk"));
  }
}

core::Status SqlChunkRepository::DeleteStream(const std::string& stream) {
  try {
    sql_ << "DELETE FROM sealed_chunks WHERE stream = :s", soci::use(stream);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "delete chunks"));
  }
}

}  // namespace rd::store
