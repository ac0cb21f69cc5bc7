#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace rd::store {

class StatementCache;

enum class Dialect { kSqlite, kPostgres };

// A pool of connections to the system of record: SQLite (a file, WAL mode, foreign keys on,
// busy timeout) or PostgreSQL. Thread-safe: each caller borrows a connection for the length of
// one transaction.
class Database {
 public:
  // `url` is "sqlite:///abs/path.db", "sqlite://relative/path.db", a bare file path, or
  // "postgresql://user:pass@host:port/db" (also "postgres://"). Opens `pool_size` connections.
  // Errors: kInvalidArgument for a malformed URL, kUnavailable when the database cannot be
  // opened; the message names the database without its password.
  [[nodiscard]] static core::Result<std::unique_ptr<Database>> Open(const std::string& url,
                                                                    int pool_size);
  ~Database();

  Dialect dialect() const { return dialect_; }
  soci::connection_pool& pool() { return *pool_; }
  // The URL with any password replaced by "***", for messages and logs.
  const std::string& display_url() const { return display_url_; }

  // The statements kept for the pool's connection at `position` (see Connection).
  StatementCache& statements(std::size_t position) { return *statements_.at(position); }

  // SQLite only: one more connection, outside the pool, for the group commit's batches (see
  // Connection::kWriter). Null on PostgreSQL.
  bool has_writer() const { return writer_ != nullptr; }

 private:
  friend class Connection;
  Database(Dialect dialect, std::unique_ptr<soci::connection_pool> pool, int size,
           std::string display_url, std::unique_ptr<soci::session> writer);
  Dialect dialect_;
  std::unique_ptr<soci::connection_pool> pool_;
  int size_;
  std::string display_url_;
  std::unique_ptr<soci::session> writer_;
  std::mutex writer_mu_;
  // One per pooled connection; declared after pool_, so dropped before the connections close.
  std::vector<std::unique_ptr<StatementCache>> statements_;
  std::unique_ptr<StatementCache> writer_statements_;
};

// A connection borrowed from the pool (waiting for one when all are out) and given back on
// destruction, with the statements kept for it.
class Connection {
 public:
  explicit Connection(Database& db);
  // The SQLite writer connection (Database::has_writer), one user at a time. Every write
  // batch of the process runs on it, so its page cache stays valid from one batch to the
  // next: SQLite drops a connection's whole cache when another connection of the file has
  // committed, and with batches spread over the pool each one read its index pages again.
  struct Writer {};
  Connection(Database& db, Writer);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  soci::session& sql() { return sql_; }
  StatementCache& statements() { return statements_; }

 private:
  Database& db_;
  std::size_t position_;  // in the pool; unused for the writer
  std::unique_lock<std::mutex> writer_lock_;
  soci::session& sql_;
  StatementCache& statements_;
};

// Runs "BEGIN" on construction (BEGIN IMMEDIATE for SQLite writes, so writers queue on the
// busy timeout instead of failing at commit) and ROLLBACK on destruction unless Commit()ed.
class SqlTransaction {
 public:
  SqlTransaction(soci::session& sql, Dialect dialect, bool write);
  ~SqlTransaction();
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  void Commit();

 private:
  soci::session& sql_;
  bool open_ = true;
};

// Maps an exception thrown by SOCI or a driver to an Error: unique-constraint violations are
// kConflict, lost connections kUnavailable, anything else kInternal. `what` says what was
// being done ("insert user").
core::Error TranslateDbError(const std::exception& e, const std::string& what);

// libpq key=value connection info for a postgresql:// URL (exposed for tests).
[[nodiscard]] core::Result<std::string> PostgresConninfo(const std::string& url);

// Turns a URL into a redacted form for messages ("postgresql://rd:***@db:5432/rd").
std::string RedactUrl(const std::string& url);

}  // namespace rd::store
