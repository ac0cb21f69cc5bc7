#include <soci/soci.h>

#include <ctime>
#include <filesystem>
#include <string_view>

#include "scan/source.h"
#include "store/database.h"

namespace rd::scan {
namespace {

enum class Dialect { kSqlite, kPostgres, kMysql };

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The one place identifiers from the scanned database enter SQL text.
std::string QuoteIdentifier(Dialect d, const std::string& id) {
  const char q = d == Dialect::kMysql ? '`' : '"';
  std::string out(1, q);
  for (char c : id) {
    if (c == q) out.push_back(q);
    out.push_back(c);
  }
  out.push_back(q);
  return out;
}

// mysql://user:pass@host:port/db -> SOCI's MySQL key=value form.
core::Result<std::string> MysqlConnect(const std::string& url) {
  std::string_view rest(url);
  rest.remove_prefix(std::string_view("mysql://").size());
  std::string user, password, host = "127.0.0.1", port, db;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    db = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view info = rest.substr(0, at);
    const auto colon = info.find(':');
    user = std::string(info.substr(0, colon));
    if (colon != std::string_view::npos) password = std::string(info.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    port = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) host = std::string(rest);
  if (db.empty()) {
    return core::Fail(core::Errc::kInvalidArgument,
                      "url: name the database (mysql://user:pass@host:port/db)");
  }
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    return out + "'";
  };
  std::string out = "db=" + quote(db) + " host=" + quote(host);
  if (!user.empty()) out += " user=" + quote(user);
  if (!password.empty()) out += " password=" + quote(password);
  if (!port.empty()) out += " port=" + port;
  return out;
}

// A value of any column type as text (SQLite reports expression columns by their value's
// type, whatever the CAST says).
bool ValueText(const soci::row& row, std::size_t i, std::string& out) {
  if (row.get_indicator(i) == soci::i_null) return false;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
    case soci::dt_blob:
      out = row.get<std::string>(i);
      return true;
    case soci::dt_integer:
      out = std::to_string(row.get<int>(i));
      return true;
    case soci::dt_long_long:
      out = std::to_string(row.get<long long>(i));
      return true;
    case soci::dt_unsigned_long_long:
      out = std::to_string(row.get<unsigned long long>(i));
      return true;
    case soci::dt_double:
      out = std::to_string(row.get<double>(i));
      return true;
    case soci::dt_date: {
      const std::tm t = row.get<std::tm>(i);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &t);
      out = buf;
      return true;
    }
  }
  return false;
}

std::vector<std::string> Strings(soci::session& sql, const std::string& query,
                                 const std::string& table) {
  std::vector<std::string> out;
  soci::rowset<soci::row> rs =
      table.empty() ? (sql.prepare << query) : (sql.prepare << query, soci::use(table));
  for (const soci::row& r : rs) {
    std::string v;
    if (ValueText(r, 0, v)) out.push_back(v);
  }
  return out;
}

struct Introspection {
  const char* tables;
  const char* columns;       // (name, type) for :t
  const char* primary_key;   // name for :t, in key order
  const char* foreign_keys;  // (column, ref_table, ref_column) for :t
};

constexpr Introspection kPostgres = {
    "SELECT CAST(table_name AS TEXT) FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position",
    "SELECT CAST(kcu.column_name AS TEXT) FROM information_schema.table_constraints tc "
    "JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name "
    "AND tc.table_schema = kcu.table_schema AND tc.table_name = kcu.table_name "
    "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() "
    "AND tc.table_name = :t ORDER BY kcu.ordinal_position",
    "SELECT CAST(a.attname AS TEXT), CAST(cf.relname AS TEXT), CAST(af.attname AS TEXT) "
    "FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid "
    "JOIN pg_namespace n ON n.oid = cl.relnamespace JOIN pg_class cf ON cf.oid = c.confrelid "
    "JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, fcol) ON true "
    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col "
    "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.fcol "
    "WHERE c.contype = 'f' AND n.nspname = current_schema() AND cl.relname = :t ORDER BY 1",
};

constexpr Introspection kMysql = {
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1",
    "SELECT column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = DATABASE() AND table_name = :t ORDER BY ordinal_position",
    "SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = "
    "DATABASE() AND table_name = :t AND constraint_name = 'PRIMARY' ORDER BY ordinal_position",
    "SELECT column_name, referenced_table_name, referenced_column_name "
    "FROM information_schema.key_column_usage WHERE table_schema = DATABASE() "
    "AND table_name = :t AND referenced_table_name IS NOT NULL ORDER BY 1",
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void ReadSchema(soci::session& sql, Dialect d, SampledTable& t) {
  if (d == Dialect::kSqlite) {
    // PRAGMA arguments cannot be bound; the name is quoted as an identifier.
    std::vector<std::pair<int, std::string>> pk;
    soci::rowset<soci::row> cols = sql.prepare
                                   << "PRAGMA table_info(" + QuoteIdentifier(d, t.name) + ")";
    for (const soci::row& r : cols) {
      std::string name, type, pk_pos;
      ValueText(r, 1, name);
      ValueText(r, 2, type);
      ValueText(r, 5, pk_pos);
      t.columns.push_back({t.name, name, Lower(type), {}});
      if (!pk_pos.empty() && pk_pos != "0") pk.emplace_back(std::stoi(pk_pos), name);
    }
    std::sort(pk.begin(), pk.end());
    for (auto& [pos, name] : pk) t.primary_key.push_back(name);
    soci::rowset<soci::row> fks = sql.prepare
                                  << "PRAGMA foreign_key_list(" + QuoteIdentifier(d, t.name) + ")";
    for (const soci::row& r : fks) {
      ForeignKey fk;
      ValueText(r, 2, fk.ref_table);
      ValueText(r, 3, fk.column);
      ValueText(r, 4, fk.ref_column);
      t.foreign_keys.push_back(fk);
    }
    return;
  }
  const Introspection& q = d == Dialect::kPostgres ? kPostgres : kMysql;
  soci::rowset<soci::row> cols = (sql.prepare << q.columns, soci::use(t.name));
  for (const soci::row& r : cols) {
    std::string name, type;
    ValueText(r, 0, name);
    ValueText(r, 1, type);
    t.columns.push_back({t.name, name, Lower(type), {}});
  }
  t.primary_key = Strings(sql, q.primary_key, t.name);
  soci::rowset<soci::row> fks = (sql.prepare << q.foreign_keys, soci::use(t.name));
  for (const soci::row& r : fks) {
    ForeignKey fk;
    ValueText(r, 0, fk.column);
    ValueText(r, 1, fk.ref_table);
    ValueText(r, 2, fk.ref_column);
    t.foreign_keys.push_back(fk);
  }
}

void ReadSample(soci::session& sql, Dialect d, int sample_rows, SampledTable& t) {
  if (t.columns.empty()) return;
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i) select += ", ";
    select += "CAST(" + QuoteIdentifier(d, t.columns[i].field) +
              (d == Dialect::kMysql ? " AS CHAR)" : " AS TEXT)");
  }
  select += " FROM " + QuoteIdentifier(d, t.name) + " LIMIT :n";
  soci::rowset<soci::row> rows = (sql.prepare << select, soci::use(sample_rows));
  for (const soci::row& r : rows) {
    ++t.rows_sampled;
    for (std::size_t i = 0; i < t.columns.size() && i < r.size(); ++i) {
      std::string v;
      if (ValueText(r, i, v)) t.columns[i].values.push_back(std::move(v));
    }
  }
}

}  // namespace

core::Result<std::vector<SampledTable>> SampleSqlSource(const std::string& url, int sample_rows,
                                                        const ProgressFn& progress) {
  if (sample_rows < 1 || sample_rows > kMaxSampleRows) {
    return core::Fail(core::Errc::kInvalidArgument, "sample: between 1 and 100000 rows");
  }
  Dialect dialect;
  std::string backend, connect;
  if (StartsWith(url, "sqlite://")) {
    const std::string path = url.substr(9);
    if (path.empty() || path[0] != '/' || path.find('"') != std::string::npos) {
      return core::Fail(core::Errc::kInvalidArgument,
                        "url: use sqlite:///absolute/path.db (three slashes)");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return core::Fail(core::Errc::kInvalidArgument, "url: no SQLite file at " + path);
    }
    dialect = Dialect::kSqlite;
    backend = "sqlite3";
    connect = "db=\"" + path + "\" readonly=1 timeout=10";
  } else if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    auto conninfo = store::PostgresConninfo(url);
    if (!conninfo) return tl::unexpected(conninfo.error());
    dialect = Dialect::kPostgres;
    backend = "postgresql";
    connect = *conninfo;
  } else if (StartsWith(url, "mysql://")) {
    auto c = MysqlConnect(url);
    if (!c) return tl::unexpected(c.error());
    dialect = Dialect::kMysql;
    backend = "mysql";
    connect = *c;
  } else {
    return core::Fail(core::Errc::kInvalidArgument,
                      "url: must start with sqlite:///, postgresql:// or mysql://");
  }
  std::vector<SampledTable> tables;
  try {
    soci::session sql(backend, connect);
    std::vector<std::string> names;
    if (dialect == Dialect::kSqlite) {
      names = Strings(sql,
                      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                      "'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                      "");
    } else {
      names = Strings(sql, (dialect == Dialect::kPostgres ? kPostgres : kMysql).tables, "");
    }
    int done = 0;
    if (progress) progress(0, static_cast<int>(names.size()));
    for (const std::string& name : names) {
      SampledTable t;
      t.name = name;
      ReadSchema(sql, dialect, t);
      ReadSample(sql, dialect, sample_rows, t);
      tables.push_back(std::move(t));
      if (progress) progress(++done, static_cast<int>(names.size()));
    }
  } catch (const std::exception& e) {
    std::string why = e.what();
    for (auto& c : why) {
      if (c == '\n' || c == '\t') c = ' ';
    }
    return core::Fail(core::Errc::kUnavailable,
                      "cannot read " + store::RedactUrl(url) + ": " + why.substr(0, 300));
  }
  return tables;
}

}  // namespace rd::scan
