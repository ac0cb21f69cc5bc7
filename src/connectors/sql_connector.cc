#include "connectors/sql_connector.h"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>

#include "connectors/sql_connector_impl.h"

namespace rd::connectors {
namespace sql_detail {

std::int64_t MillisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// The first line of a driver's message: SOCI appends context after it.
std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line.substr(0, 300);
}

Cell ToCell(const soci::row& r, std::size_t i) {
  Cell c;
  if (r.get_indicator(i) == soci::i_null) return c;
  c.null = false;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string:
      c.text = r.get<std::string>(i);
      break;
    case soci::dt_integer:
      c.number = true;
      c.text = std::to_string(r.get<int>(i));
      break;
    case soci::dt_long_long:
      c.number = true;
      c.text = std::to_string(r.get<long long>(i));
      break;
    case soci::dt_unsigned_long_long:
      c.number = true;
      c.text = std::to_string(r.get<unsigned long long>(i));
      break;
    case soci::dt_double: {
      c.number = true;
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, r.get<double>(i));
      c.text.assign(buf, ec == std::errc() ? end : buf);
      break;
    }
    case soci::dt_date: {
      const std::tm t = r.get<std::tm>(i);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &t);
      c.text = buf;
      break;
    }
    default:
      c.null = true;
      break;
  }
  return c;
}

// A row as a JSON object text: numbers as numbers, NULL as null, the rest as strings.
std::string RowJson(const CollectionRows& cr, const Row& row) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < cr.columns.size(); ++i) {
    const Cell& cell = row[i];
    if (cell.null) {
      j[cr.columns[i]] = nullptr;
    } else if (cell.number) {
      j[cr.columns[i]] = nlohmann::json::parse(cell.text, nullptr, false);
      if (j[cr.columns[i]].is_discarded()) j[cr.columns[i]] = cell.text;
    } else {
      j[cr.columns[i]] = cell.text;
    }
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Placeholders(std::size_t n, const char* prefix) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += (i ? ", :" : ":") + std::string(prefix) + std::to_string(i);
  }
  return out;
}

// A statement with `values` bound in order.
soci::details::prepare_temp_type Prepared(soci::session& sql, const std::string& query,
                                          const std::vector<std::string>& values) {
  soci::details::prepare_temp_type p = (sql.prepare << query);
  for (const auto& v : values) p, soci::use(v);
  return p;
}

// A value as databases compare identities: ASCII case and trailing spaces ignored (MariaDB's
// default collations do both), so rows found by `IN` are attributed to their subject.
std::string Fold(const std::string& v) {
  std::string out = v.substr(0, v.find_last_not_of(' ') + 1);
  for (auto& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

bool IsTrue(const std::string& v) { return v == "true" || v == "True" || v == "TRUE"; }
bool IsFalse(const std::string& v) { return v == "false" || v == "False" || v == "FALSE"; }

}  // namespace sql_detail

using core::Errc;
using core::Fail;
using namespace sql_detail;  // this file is part of the connector

std::string SqlConnector::QuoteIdentifier(SqlDialect dialect, const std::string& name) {
  // Names are identifiers ([A-Za-z_][A-Za-z0-9_]*), so no quote character can occur inside.
  return dialect == SqlDialect::kMysql ? "`" + name + "`" : "\"" + name + "\"";
}

core::Status SqlConnector::Impl::Open() {
  if (config.url.dialect == SqlDialect::kSqlite) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(config.url.database, ec)) {
      return Fail(Errc::kUnavailable,
                  "connector.url: no SQLite database file at " + config.url.Redacted());
    }
  }
  try {
    sql.open(config.url.Backend(), config.url.ConnectString());
    if (config.url.dialect == SqlDialect::kSqlite) {
      sql << "PRAGMA foreign_keys=ON";
      sql << "PRAGMA busy_timeout=10000";
    }
  } catch (const std::exception& e) {
    return Fail(Errc::kUnavailable,
                "cannot connect to " + config.url.Redacted() + ": " + FirstLine(e.what()));
  }
  return {};
}

std::vector<std::string> SqlConnector::Impl::Columns(const Collection& c) const {
  std::vector<std::string> out;
  for (const auto& f : c.fields) {
    if (!f.nested) out.push_back(f.name);
  }
  return out;
}

std::string SqlConnector::Impl::SelectList(const Collection& c) const {
  std::string out;
  for (const auto& col : Columns(c)) out += (out.empty() ? "" : ", ") + Q(col);
  return out;
}

std::string SqlConnector::Impl::RowKey(const Collection& c, const CollectionRows& cr,
                                       const Row& row) {
  std::string key;
  const auto pk = c.PrimaryKey();
  if (!pk.empty()) {
    for (const Field* f : pk)
      key += row[static_cast<std::size_t>(cr.Column(f->name))].text + '\x1f';
    return key;
  }
  for (const auto& cell : row) key += (cell.null ? "\x1e" : cell.text) + '\x1f';
  return key;
}

void SqlConnector::Impl::Select(const Collection& c, const std::string& field,
                                const std::vector<std::string>& values,
                                const std::function<void(const Row&)>& on_new) {
  CollectionRows& cr = found[c.name];
  if (cr.columns.empty()) cr.columns = Columns(c);
  const auto start = Clock::now();
  for (std::size_t off = 0; off < values.size(); off += kMaxKeysPerStatement) {
    const std::size_t n = std::min(kMaxKeysPerStatement, values.size() - off);
    const std::vector<std::string> batch(values.begin() + static_cast<long>(off),
                                         values.begin() + static_cast<long>(off + n));
    const std::string q = "SELECT " + SelectList(c) + " FROM " + Q(c.name) + " WHERE " + Q(field) +
                          " IN (" + Placeholders(n, "k") + ")";
    soci::rowset<soci::row> rs(Prepared(sql, q, batch));
    ++statements;
    for (const auto& r : rs) {
      Row row;
      for (std::size_t i = 0; i < cr.columns.size(); ++i) row.push_back(ToCell(r, i));
      const std::string key = RowKey(c, cr, row);
      if (cr.index.count(key)) continue;
      cr.index[key] = cr.count++;
      if (stream) {
        // Export: the row goes to the sink now and is not kept, so memory holds the keys
        // the walk needs, not the rows.
        stream(c.name, cr, row);
        on_new(row);
        continue;
      }
      cr.rows.push_back(row);
      on_new(cr.rows.back());
    }
  }
  millis[c.name] += MillisSince(start);
}

void SqlConnector::Impl::Walk(const std::vector<const core::Identities*>& subjects) {
  using Target = std::pair<std::string, std::string>;  // collection, field
  std::map<Target, std::set<std::string>> pending;
  std::map<Target, std::set<std::string>> asked;
  for (const auto& s : plan.seeds) {
    for (const core::Identities* ids : subjects) {
      const auto it = ids->find(s.identity);
      if (it != ids->end() && !it->second.empty())
        pending[{s.collection, s.field}].insert(it->second);
    }
  }
  for (const auto& name : plan.reachable)
    found[name].columns = Columns(*dataset.FindCollection(name));
  while (!pending.empty()) {
    auto round = std::move(pending);
    pending.clear();
    for (const auto& [target, values] : round) {
      std::vector<std::string> fresh;
      for (const auto& v : values) {
        if (asked[target].insert(v).second) fresh.push_back(v);
      }
      if (fresh.empty()) continue;
      if (direct.count(target.first)) {  // deleted later by these values, unread
        auto& dv = direct_values[target.first];
        dv.insert(dv.end(), fresh.begin(), fresh.end());
        continue;
      }
      const Collection& c = *dataset.FindCollection(target.first);
      Select(c, target.second, fresh, [&](const Row& row) {
        const CollectionRows& cr = found[c.name];
        for (const auto& e : plan.edges) {
          if (e.from_collection != c.name) continue;
          const Cell& cell = row[static_cast<std::size_t>(cr.Column(e.from_field))];
          if (!cell.null) pending[{e.to_collection, e.to_field}].insert(cell.text);
        }
      });
    }
  }
}

void SqlConnector::Impl::Attribute(const std::vector<const core::Identities*>& subjects) {
  for (const auto& [name, cr] : found) owners[name].assign(cr.rows.size(), {});
  using Index = std::unordered_map<std::string, std::vector<std::size_t>>;
  std::map<std::pair<std::string, std::string>, Index> indexes;
  auto rows_with = [&](const std::string& coll, const std::string& field,
                       const std::string& value) -> const std::vector<std::size_t>* {
    auto [it, fresh] = indexes.try_emplace({coll, field});
    if (fresh) {
      const CollectionRows& cr = found[coll];
      const int col = cr.Column(field);
      for (std::size_t i = 0; col >= 0 && i < cr.rows.size(); ++i) {
        const Cell& cell = cr.rows[i][static_cast<std::size_t>(col)];
        if (!cell.null) it->second[Fold(cell.text)].push_back(i);
      }
    }
    const auto hit = it->second.find(Fold(value));
    return hit == it->second.end() ? nullptr : &hit->second;
  };
  struct Item {
    const std::string* collection;
    std::size_t row;
    int subject;
  };
  std::vector<Item> work;
  auto add = [&](const std::string& coll, std::size_t row, int who) {
    auto& o = owners[coll][row];
    if (std::find(o.begin(), o.end(), who) != o.end()) return;
    o.push_back(who);
    work.push_back({&owners.find(coll)->first, row, who});
  };
  for (const auto& s : plan.seeds) {
    for (std::size_t i = 0; i < subjects.size(); ++i) {
      const auto it = subjects[i]->find(s.identity);
      if (it == subjects[i]->end() || it->second.empty()) continue;
      if (const auto* rows = rows_with(s.collection, s.field, it->second)) {
        for (std::size_t r : *rows) add(s.collection, r, static_cast<int>(i));
      }
    }
  }
  while (!work.empty()) {
    const Item item = work.back();
    work.pop_back();
    const CollectionRows& cr = found[*item.collection];
    for (const auto& e : plan.edges) {
      if (e.from_collection != *item.collection) continue;
      const Cell& cell = cr.rows[item.row][static_cast<std::size_t>(cr.Column(e.from_field))];
      if (cell.null) continue;
      if (const auto* rows = rows_with(e.to_collection, e.to_field, cell.text)) {
        for (std::size_t r : *rows) add(e.to_collection, r, item.subject);
      }
    }
  }
  for (auto& [name, per_row] : owners) {
    for (auto& o : per_row) {
      if (o.empty()) o.push_back(0);
      std::sort(o.begin(), o.end());
    }
  }
}

core::ConnectorResult SqlConnector::Impl::Counts(const std::string& action) {
  core::ConnectorResult r;
  r.action = action;
  for (const auto& name : plan.reachable) {
    core::CollectionOutcome o;
    o.name = name;
    o.found = static_cast<std::int64_t>(found[name].count);
    o.millis = millis[name];
    r.collections.push_back(std::move(o));
  }
  return r;
}

core::CollectionOutcome& SqlConnector::Impl::Outcome(core::ConnectorResult& r,
                                                     const std::string& name) {
  for (auto& o : r.collections) {
    if (o.name == name) return o;
  }
  r.collections.push_back({});
  r.collections.back().name = name;
  return r.collections.back();
}

core::Result<int> SqlConnector::Impl::KeyColumn(const Collection& c, const char* what) {
  const auto pk = c.PrimaryKey();
  if (pk.size() != 1) {
    return Fail(Errc::kInvalidArgument,
                "collections[" + c.name + "]: " + what +
                    " needs exactly one field with fides_meta.primary_key: true");
  }
  return found[c.name].Column(pk.front()->name);
}

std::vector<std::string> SqlConnector::Impl::Keys(const CollectionRows& cr, int col) const {
  std::vector<std::string> keys;
  for (const auto& row : cr.rows) keys.push_back(row[static_cast<std::size_t>(col)].text);
  return keys;
}

std::int64_t SqlConnector::Impl::Execute(const std::string& q,
                                         const std::vector<std::string>& values) {
  soci::statement st(Prepared(sql, q, values));
  st.execute(true);
  ++statements;
  return st.get_affected_rows();
}

SqlConnector::SqlConnector(SqlConnectorConfig config, Dataset dataset, TraversalPlan plan)
    : config_(std::move(config)), dataset_(std::move(dataset)), plan_(std::move(plan)) {}

core::Status SqlConnector::Test() {
  Impl impl(config_, dataset_, plan_);
  if (auto s = impl.Open(); !s) return s;
  for (const auto& c : dataset_.collections) {
    try {
      soci::rowset<soci::row> rs = (impl.sql.prepare << "SELECT " + impl.SelectList(c) + " FROM " +
                                                            impl.Q(c.name) + " WHERE 1 = 0");
      for (const auto& r : rs) (void)r;
    } catch (const std::exception& e) {
      return Fail(Errc::kInvalidArgument,
                  "collections[" + c.name + "]: cannot be read: " + FirstLine(e.what()));
    }
  }
  return {};
}

core::Result<core::ConnectorResult> SqlConnector::Find(const core::Identities& ids) {
  const auto start = Clock::now();
  Impl impl(config_, dataset_, plan_);
  if (auto s = impl.Open(); !s) return tl::unexpected(s.error());
  try {
    impl.Walk(ids);
  } catch (const std::exception& e) {
    return Fail(Errc::kUnavailable, "find: " + FirstLine(e.what()));
  }
  auto r = impl.Counts("find");
  r.statements = impl.statements;
  r.millis = MillisSince(start);
  return r;
}

core::Result<core::ConnectorResult> SqlConnector::Export(const core::Identities& ids,
                                                         core::RowSink& sink) {
  const auto start = Clock::now();
  Impl impl(config_, dataset_, plan_);
  if (auto s = impl.Open(); !s) return tl::unexpected(s.error());
  // Rows stream to the sink as the walk reads them, batch by batch: memory holds the walk's
  // keys, never every row.
  std::map<std::string, std::int64_t> exported;
  std::optional<core::Error> sink_error;
  struct SinkFailed {};
  impl.stream = [&](const std::string& collection, const CollectionRows& cr, const Row& row) {
    auto st = sink.Row(collection, RowJson(cr, row));
    if (!st) {
      sink_error = st.error();
      throw SinkFailed{};
    }
    ++exported[collection];
  };
  try {
    impl.Walk(ids);
  } catch (const SinkFailed&) {
    return tl::unexpected(*sink_error);
  } catch (const std::exception& e) {
    return Fail(Errc::kUnavailable, "export: " + FirstLine(e.what()));
  }
  auto r = impl.Counts("export");
  for (auto& o : r.collections) o.exported = exported[o.name];
  r.statements = impl.statements;
  r.millis = MillisSince(start);
  return r;
}

}  // namespace rd::connectors
