#include "store/database.h"

#include "core/url_text.h"
#include "store/statement_cache.h"

#include <soci/soci.h>
#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <string_view>
#include <utility>

namespace rd::store {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string Quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace

// SOCI's PostgreSQL backend rewrites URI-form connection strings, so the URL is turned into
// libpq's key=value form here: postgresql://user:pass@host:port/db?sslmode=require&...
core::Result<std::string> PostgresConninfo(const std::string& url) {
  std::string_view rest(url);
  rest.remove_prefix(rest.find("://") + 3);
  std::string out;
  auto add = [&out](const std::string& key, const std::string& value) {
    if (value.empty()) return;
    out += (out.empty() ? "" : " ") + key + "=" + Quote(value);
  };
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view db;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    add("user", core::PercentDecodeLenient(userinfo.substr(0, colon)));
    if (colon != std::string_view::npos)
      add("password", core::PercentDecodeLenient(userinfo.substr(colon + 1)));
  }
  std::string_view host = rest;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {  // [IPv6]:port
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return core::Fail(core::Errc::kInvalidArgument, "database.url: unclosed '[' in the host");
    }
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  for (char c : port) {
    if (c < '0' || c > '9') {
      return core::Fail(core::Errc::kInvalidArgument, "database.url: the port must be a number");
    }
  }
  add("host", core::PercentDecodeLenient(host));
  add("port", std::string(port));
  add("dbname", core::PercentDecodeLenient(db));
  while (!query.empty()) {
    auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return core::Fail(core::Errc::kInvalidArgument,
                        "database.url: query parameters must be key=value");
    }
    add(core::PercentDecodeLenient(pair.substr(0, eq)),
        core::PercentDecodeLenient(pair.substr(eq + 1)));
  }
  return out;
}

namespace {

// Before the first SQLite connection of the process: no global memory statistics (each
// allocation would take a process-wide mutex, which concurrent requests then queue on), and
// connections guarded per use rather than by SQLite's own mutexes (a pooled session is used
// by one thread at a time). Refused, harmlessly, if SQLite was already initialized.
void ConfigureSqliteLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  });
}

void ConfigureSqlite(soci::session& sql) {
  sql << "PRAGMA journal_mode=WAL";
  sql << "PRAGMA synchronous=NORMAL";
  sql << "PRAGMA foreign_keys=ON";
  sql << "PRAGMA busy_timeout=10000";
  // Statement journals (one per savepoint of a group commit) in memory: on disk, every page a
  // batched write touched was written a second time to a temporary file.
  sql << "PRAGMA temp_store=MEMORY";
  // Reads of pages not in this connection's cache through a memory map of the file instead
  // of a read() copy each: as the database grows, index pages (random identity hashes) fall
  // out of the 2 MB default cache and every intake write read them again from the kernel.
  sql << "PRAGMA mmap_size=1073741824";
  sql << "PRAGMA cache_size=-8192";
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
                   std::string display_url, std::unique_ptr<soci::session> writer)
    : dialect_(dialect),
      pool_(std::move(pool)),
      size_(size),
      display_url_(std::move(display_url)),
      writer_(std::move(writer)) {
  for (int i = 0; i < size_; ++i) {
    statements_.push_back(
        std::make_unique<StatementCache>(pool_->at(i), dialect_ == Dialect::kSqlite));
  }
  if (writer_) writer_statements_ = std::make_unique<StatementCache>(*writer_, true);
}

Database::~Database() {
  // The writer's statements before the writer's session.
  writer_statements_.reset();
  writer_.reset();
}

Connection::Connection(Database& db)
    : db_(db),
      position_(db.pool().lease()),
      sql_(db.pool().at(position_)),
      statements_(db.statements(position_)) {}

Connection::Connection(Database& db, Writer)
    : db_(db),
      position_(0),
      writer_lock_(db.writer_mu_),
      sql_(*db.writer_),
      statements_(*db.writer_statements_) {}

Connection::~Connection() {
  if (!writer_lock_.owns_lock()) db_.pool().give_back(position_);
}

core::Result<std::unique_ptr<Database>> Database::Open(const std::string& url, int pool_size) {
  if (pool_size < 1) pool_size = 1;
  Dialect dialect;
  std::string backend;
  std::string connect;
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    dialect = Dialect::kPostgres;
    backend = "postgresql";
    auto conninfo = PostgresConninfo(url);
    if (!conninfo) return tl::unexpected(conninfo.error());
    connect = *conninfo;
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
    ConfigureSqliteLibrary();
    connect = "db=\"" + path + "\" timeout=10 shared_cache=false";
  }
  auto pool = std::make_unique<soci::connection_pool>(static_cast<std::size_t>(pool_size));
  std::unique_ptr<soci::session> writer;
  try {
    if (dialect == Dialect::kSqlite) {
      writer = std::make_unique<soci::session>(backend, connect);
      ConfigureSqlite(*writer);
      // Every write of the process goes through this connection: room for the indexes'
      // pages (random identity hashes) as the database grows.
      *writer << "PRAGMA cache_size=-65536";
    }
    for (int i = 0; i < pool_size; ++i) {
      soci::session& s = pool->at(static_cast<std::size_t>(i));
      s.open(backend, connect);
      if (dialect == Dialect::kSqlite) {
        ConfigureSqlite(s);
      } else {
        s << "SET client_min_messages TO warning";  // no NOTICE chatter on stderr
      }
    }
  } catch (const std::exception& e) {
    // SOCI puts libpq's reason on the second line; passwords never appear in it.
    std::string why = e.what();
    for (auto& c : why) {
      if (c == '\n' || c == '\t') c = ' ';
    }
    while (!why.empty() && why.back() == ' ') why.pop_back();
    return core::Fail(core::Errc::kUnavailable,
                      "cannot open database " + RedactUrl(url) + ": " + why);
  }
  return std::unique_ptr<Database>(
      new Database(dialect, std::move(pool), pool_size, RedactUrl(url), std::move(writer)));
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
