#include "store/migrator.h"

#include <soci/soci.h>

#include <algorithm>
#include <string_view>
#include <utility>

namespace rd::store {

// Generated from migrations/*.sql by cmake/embed_files.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedMigrations();

namespace {

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

std::vector<Migration> Sorted() {
  std::vector<Migration> out;
  for (const auto& [name, sql] : EmbeddedMigrations()) {
    out.push_back({std::stoi(std::string(name.substr(0, 4))), std::string(name), sql});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

// Splits a script on ';' at the end of a line; the migrations keep one statement per ';'.
std::vector<std::string> Statements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  std::size_t pos = 0;
  while (pos < sql.size()) {
    auto nl = sql.find('\n', pos);
    if (nl == std::string_view::npos) nl = sql.size();
    std::string_view line = sql.substr(pos, nl - pos);
    pos = nl + 1;
    // A "--" comment runs to the end of the line (outside quotes), also after a statement's ';'.
    bool quoted = false;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
      if (line[i] == '\'') quoted = !quoted;
      if (!quoted && line[i] == '-' && line[i + 1] == '-') {
        line = line.substr(0, i);
        break;
      }
    }
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    current.append(line).push_back('\n');
    const auto last = line.find_last_not_of(" \t\r");
    if (line[last] == ';') {
      current.resize(current.size() - 1 - (line.size() - last));  // drop ";\n"
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

}  // namespace

int LatestSchemaVersion() {
  const auto all = Sorted();
  return all.empty() ? 0 : all.back().version;
}

core::Result<MigrationReport> Migrate(Database& db) {
  MigrationReport report;
  try {
    soci::session sql(db.pool());
    if (db.dialect() == Dialect::kPostgres) {
      sql << "SELECT pg_advisory_lock(7472657)";  // held for this session only
    }
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    for (const Migration& m : Sorted()) {
      SqlTransaction tx(sql, db.dialect(), true);
      int seen = 0;
      sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(m.version),
          soci::into(seen);
      if (seen == 0) {
        for (const std::string& stmt : Statements(m.sql)) sql << stmt;
        const long long now = static_cast<long long>(std::time(nullptr));
        sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
            soci::use(m.version), soci::use(m.name), soci::use(now);
        report.applied.push_back(m.name);
      }
      tx.Commit();
      report.current_version = m.version;
    }
    int newest = 0;
    soci::indicator ind = soci::i_ok;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(newest, ind);
    if (db.dialect() == Dialect::kPostgres) sql << "SELECT pg_advisory_unlock(7472657)";
    if (ind == soci::i_ok && newest > LatestSchemaVersion()) {
      return core::Fail(core::Errc::kConflict,
                        "the database schema is version " + std::to_string(newest) +
                            ", newer than this binary's " + std::to_string(LatestSchemaVersion()) +
                            "; upgrade rightsdesk");
    }
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "migrate"));
  }
  return report;
}

}  // namespace rd::store
