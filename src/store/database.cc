#include "store/database.h"

#include <soci/soci.h>

#include <filesystem>
#include <string_view>
#include <utility>

namespace rd::store {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

void ConfigureSqlite(soci::session& sql) {
  sql << "PRAGMA journal_mode=WAL";
  sql << "PRAGMA synchronous=NORMAL";
  sql << "PRAGMA foreign_keys=ON";
  sql << "PRAGMA busy_timeout=10000";
}

}  // namespace

std::string RedactUrl(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Database::Database(Dialect dialect, std::unique_ptr<soci::connection_pool> pool, int size,
                   std::string display_url)
    : dialect_(dialect), pool_(std::move(pool)), size_(size), display_url_(std::move(display_url)) {}

Database::~Database() = default;

core::Result<std::unique_ptr<Database>> Database::Open(const std::string& url, int pool_size) {
  if (pool_size < 1) pool_size = 1;
  Dialect dialect;
  std::string backend;
  std::string connect;
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    dialect = Dialect::kPostgres;
    backend = "postgresql";
    connect = url;  // libpq understands the URI form directly
  } else {
    std::string path = url;
    if (StartsWith(url, "sqlite://")) {
      path = url.substr(9);  // "sqlite:///abs" keeps the leading '/'
    } else if (url.find("://") != std::string::npos) {
      return core::Fail(core::Errc::kInvalidArgument,
                        "database.url: unsupported scheme in '" + RedactUrl(url) +
                            "'; use sqlite:///path/to/file.db or postgresql://user:pass@host/db");
    }
    if (path.empty()) {
      return core::Fail(core::Errc::kInvalidArgument, "database.url: the SQLite path is empty");
    }
    if (path.find('"') != std::string::npos) {
      return core::Fail(core::Errc::kInvalidArgument,
                        "database.url: the SQLite path may not contain '\"'");
    }
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    dialect = Dialect::kSqlite;
    backend = "sqlite3";
    connect = "db=\"" + path + "\" timeout=10 shared_cache=false";
  }
  auto pool = std::make_unique<soci::connection_pool>(static_cast<std::size_t>(pool_size));
  try {
    for (int i = 0; i < pool_size; ++i) {
      soci::session& s = pool->at(static_cast<std::size_t>(i));
      s.open(backend, connect);
      if (dialect == Dialect::kSqlite) ConfigureSqlite(s);
    }
  } catch (const std::exception& e) {
    std::string why = e.what();
    // libpq's messages can quote the connection string; keep passwords out of them.
    const auto nl = why.find('\n');
    if (nl != std::string::npos) why.resize(nl);
    return core::Fail(core::Errc::kUnavailable,
                      "cannot open database " + RedactUrl(url) + ": " + why);
  }
  return std::unique_ptr<Database>(
      new Database(dialect, std::move(pool), pool_size, RedactUrl(url)));
}

SqlTransaction::SqlTransaction(soci::session& sql, Dialect dialect, bool write) : sql_(sql) {
  if (dialect == Dialect::kSqlite && write) {
    sql_ << "BEGIN IMMEDIATE";
  } else {
    sql_ << "BEGIN";
  }
}

SqlTransaction::~SqlTransaction() {
  if (!open_) return;
  try {
    sql_ << "ROLLBACK";
  } catch (...) {  // NOLINT(bugprone-empty-catch): the connection is gone; nothing to undo
  }
}

void SqlTransaction::Commit() {
  sql_ << "COMMIT";
  open_ = false;
}

core::Error TranslateDbError(const std::exception& e, const std::string& what) {
  const std::string msg = e.what();
  auto has = [&](std::string_view needle) { return msg.find(needle) != std::string::npos; };
  if (has("UNIQUE constraint failed") || has("duplicate key value") || has("23505")) {
    return {core::Errc::kConflict, what + ": already exists"};
  }
  if (has("connection") || has("server closed") || has("database is locked") ||
      has("could not connect")) {
    return {core::Errc::kUnavailable, what + ": database unavailable"};
  }
  // Only the first line: drivers put row values (personal data) in their DETAIL lines.
  return {core::Errc::kInternal, what + ": " + msg.substr(0, msg.find('\n'))};
}

}  // namespace rd::store
