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

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;
using Clock = std::chrono::steady_clock;

std::int64_t MillisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// The first line of a driver's message: SOCI appends context after it.
std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line.substr(0, 300);
}

struct Cell {
  bool null = true;
  bool number = false;
  std::string text;
};

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

using Row = std::vector<Cell>;

// The rows of one collection found so far, by row key, in the order they were found.
struct CollectionRows {
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> index;  // row key -> position in rows
  std::vector<Row> rows;                     // empty when the rows are streamed (Export)
  std::size_t count = 0;                     // rows found

  int Column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
};

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

}  // namespace

std::string SqlConnector::QuoteIdentifier(SqlDialect dialect, const std::string& name) {
  // Names are identifiers ([A-Za-z_][A-Za-z0-9_]*), so no quote character can occur inside.
  return dialect == SqlDialect::kMysql ? "`" + name + "`" : "\"" + name + "\"";
}

struct SqlConnector::Impl {
  const SqlConnectorConfig& config;
  const Dataset& dataset;
  const TraversalPlan& plan;
  soci::session sql;
  std::int64_t statements = 0;
  std::map<std::string, CollectionRows> found;
  std::map<std::string, std::int64_t> millis;

  Impl(const SqlConnectorConfig& c, const Dataset& d, const TraversalPlan& p)
      : config(c), dataset(d), plan(p) {}

  std::string Q(const std::string& name) const { return QuoteIdentifier(config.url.dialect, name); }

  core::Status Open() {
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

  std::vector<std::string> Columns(const Collection& c) const {
    std::vector<std::string> out;
    for (const auto& f : c.fields) {
      if (!f.nested) out.push_back(f.name);
    }
    return out;
  }

  std::string SelectList(const Collection& c) const {
    std::string out;
    for (const auto& col : Columns(c)) out += (out.empty() ? "" : ", ") + Q(col);
    return out;
  }

  // The row's identity within its collection: the primary key, else every column.
  static std::string RowKey(const Collection& c, const CollectionRows& cr, const Row& row) {
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

  // Reads the rows of `c` whose `field` is one of `values`, in batches; calls `on_new` for each
  // row not seen before.
  void Select(const Collection& c, const std::string& field, const std::vector<std::string>& values,
              const std::function<void(const Row&)>& on_new) {
    CollectionRows& cr = found[c.name];
    if (cr.columns.empty()) cr.columns = Columns(c);
    const auto start = Clock::now();
    for (std::size_t off = 0; off < values.size(); off += kMaxKeysPerStatement) {
      const std::size_t n = std::min(kMaxKeysPerStatement, values.size() - off);
      const std::vector<std::string> batch(values.begin() + static_cast<long>(off),
                                           values.begin() + static_cast<long>(off + n));
      const std::string q = "SELECT " + SelectList(c) + " FROM " + Q(c.name) + " WHERE " +
                            Q(field) + " IN (" + Placeholders(n, "k") + ")";
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

  // Set by Export: receives each new row as the walk finds it (instead of keeping it).
  std::function<void(const std::string&, const CollectionRows&, const Row&)> stream;

  // The set-wise walk from the identities (of one subject or many) along the plan's edges,
  // until no new key appears.
  void Walk(const std::vector<const core::Identities*>& subjects) {
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

  void Walk(const core::Identities& ids) { Walk(std::vector<const core::Identities*>{&ids}); }

  // Per collection and row (in found's order): the subjects (indexes into the batch) whose
  // walk reaches the row. Computed in memory after the set-wise walk, by the same seeds and
  // edges: a seed row belongs to the subjects whose identity value it holds; a row reached
  // along an edge to the owners of the row it was reached from. A row no value matches
  // (a collation that ignores more than case and trailing spaces) goes to the first subject.
  std::map<std::string, std::vector<std::vector<int>>> owners;

  void Attribute(const std::vector<const core::Identities*>& subjects) {
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

  core::ConnectorResult Counts(const std::string& action) {
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

  core::CollectionOutcome& Outcome(core::ConnectorResult& r, const std::string& name) {
    for (auto& o : r.collections) {
      if (o.name == name) return o;
    }
    r.collections.push_back({});
    r.collections.back().name = name;
    return r.collections.back();
  }

  // The single primary-key column of `c`, or an error naming the collection.
  core::Result<int> KeyColumn(const Collection& c, const char* what) {
    const auto pk = c.PrimaryKey();
    if (pk.size() != 1) {
      return Fail(Errc::kInvalidArgument,
                  "collections[" + c.name + "]: " + what +
                      " needs exactly one field with fides_meta.primary_key: true");
    }
    return found[c.name].Column(pk.front()->name);
  }

  std::vector<std::string> Keys(const CollectionRows& cr, int col) const {
    std::vector<std::string> keys;
    for (const auto& row : cr.rows) keys.push_back(row[static_cast<std::size_t>(col)].text);
    return keys;
  }

  std::int64_t Execute(const std::string& q, const std::vector<std::string>& values) {
    soci::statement st(Prepared(sql, q, values));
    st.execute(true);
    ++statements;
    return st.get_affected_rows();
  }

  // The fields of `c` an erasure overwrites, with their strategy; `delete_rows` is set when
  // the collection's rows go as a whole.
  std::vector<std::pair<const Field*, MaskStrategy>> MaskedFields(const Collection& c,
                                                                  bool* delete_rows) const {
    std::vector<std::pair<const Field*, MaskStrategy>> out;
    *delete_rows = c.delete_rows || config.erasure.default_strategy.kind == MaskKind::kDelete;
    for (const auto& f : c.fields) {
      if (f.nested || f.primary_key) continue;
      const bool identity = !f.identity.empty();
      if (!identity && plan.IsJoinField(c.name, f.name)) continue;  // keeps references whole
      auto s = config.erasure.For(f.data_categories);
      if (!s && identity) s = config.erasure.default_strategy;
      if (!s) continue;
      if (s->kind == MaskKind::kDelete) {
        *delete_rows = true;
        continue;
      }
      out.emplace_back(&f, *s);
    }
    return out;
  }

  // Per collection and row: whether a DELETE or UPDATE of the erasure covered it, and per
  // collection whether its rows were deleted (else masked).
  std::map<std::string, std::vector<bool>> touched;
  std::map<std::string, bool> deleted;

  // `secret(i)` keys the HMAC masking of row i (its subject's secret).
  core::Status EraseCollection(const Collection& c,
                               const std::function<const std::string&(std::size_t)>& secret,
                               core::CollectionOutcome& o) {
    const CollectionRows& cr = found[c.name];
    if (cr.rows.empty()) return {};
    bool delete_rows = false;
    const auto fields = MaskedFields(c, &delete_rows);
    if (!delete_rows && fields.empty()) return {};
    deleted[c.name] = delete_rows;
    auto& covered = touched[c.name];
    covered.assign(cr.rows.size(), false);
    auto cover = [&](std::size_t off, std::size_t n) {
      for (std::size_t i = off; i < off + n; ++i) covered[i] = true;
    };
    auto key_col = KeyColumn(c, "erasure");
    if (!key_col) return tl::unexpected(key_col.error());
    const std::string pk = Q(cr.columns[static_cast<std::size_t>(*key_col)]);
    const auto start = Clock::now();
    for (std::size_t off = 0; off < cr.rows.size(); off += kMaxKeysPerStatement) {
      const std::size_t n = std::min(kMaxKeysPerStatement, cr.rows.size() - off);
      std::vector<std::string> binds;
      std::string where;
      if (delete_rows) {
        for (std::size_t i = 0; i < n; ++i) {
          binds.push_back(cr.rows[off + i][static_cast<std::size_t>(*key_col)].text);
        }
        o.erased += Execute(
            "DELETE FROM " + Q(c.name) + " WHERE " + pk + " IN (" + Placeholders(n, "k") + ")",
            binds);
        cover(off, n);
        continue;
      }
      std::string set;
      int p = 0;
      auto param = [&](const std::string& v) {
        binds.push_back(v);
        return ":p" + std::to_string(p++);
      };
      for (const auto& [f, s] : fields) {
        const std::string col = Q(f->name);
        const int idx = cr.Column(f->name);
        std::string expr;
        if (s.kind == MaskKind::kNull) {
          expr = "NULL";
        } else if (s.kind == MaskKind::kString) {
          expr = param(s.value);
        } else {
          // Per value: one CASE over the batch's keys, so the batch stays one statement.
          std::string cases;
          for (std::size_t i = 0; i < n; ++i) {
            const Row& row = cr.rows[off + i];
            const Cell& cell = row[static_cast<std::size_t>(idx)];
            if (cell.null) continue;
            const std::string k = param(row[static_cast<std::size_t>(*key_col)].text);
            cases += " WHEN " + k + " THEN " + param(*MaskValue(s, cell.text, secret(off + i)));
          }
          if (cases.empty()) continue;
          expr = "CASE " + pk + cases + " ELSE " + col + " END";
        }
        set += (set.empty() ? "" : ", ") + col + " = " + expr;
      }
      if (set.empty()) continue;
      std::string keys;
      for (std::size_t i = 0; i < n; ++i) {
        keys += (i ? ", " : "") + param(cr.rows[off + i][static_cast<std::size_t>(*key_col)].text);
      }
      o.masked += Execute(
          "UPDATE " + Q(c.name) + " SET " + set + " WHERE " + pk + " IN (" + keys + ")", binds);
      cover(off, n);
    }
    o.millis += MillisSince(start);
    return {};
  }

  // Per subject and collection, the rows that still hold one of the subject's identity
  // values: per seed, one SELECT of the values still present per batch of values.
  std::vector<std::map<std::string, std::int64_t>> Verify(
      const std::vector<const core::Identities*>& subjects) {
    std::vector<std::map<std::string, std::int64_t>> out(subjects.size());
    for (const auto& s : plan.seeds) {
      std::map<std::string, std::vector<int>> by_value;  // folded value -> subjects
      std::vector<std::string> values;
      for (std::size_t i = 0; i < subjects.size(); ++i) {
        const auto it = subjects[i]->find(s.identity);
        if (it == subjects[i]->end() || it->second.empty()) continue;
        auto& who = by_value[Fold(it->second)];
        if (who.empty()) values.push_back(it->second);
        who.push_back(static_cast<int>(i));
      }
      for (std::size_t off = 0; off < values.size(); off += kMaxKeysPerStatement) {
        const std::size_t n = std::min(kMaxKeysPerStatement, values.size() - off);
        const std::vector<std::string> batch(values.begin() + static_cast<long>(off),
                                             values.begin() + static_cast<long>(off + n));
        soci::rowset<soci::row> rs(Prepared(sql,
                                            "SELECT " + Q(s.field) + " FROM " + Q(s.collection) +
                                                " WHERE " + Q(s.field) + " IN (" +
                                                Placeholders(n, "k") + ")",
                                            batch));
        ++statements;
        for (const auto& r : rs) {
          const Cell cell = ToCell(r, 0);
          const auto who = by_value.find(Fold(cell.text));
          if (who == by_value.end()) continue;
          for (int i : who->second) ++out[static_cast<std::size_t>(i)][s.collection];
        }
      }
    }
    return out;
  }

  std::string OptOutValue(const std::string& v) const {
    if (config.url.dialect == SqlDialect::kPostgres) return v;
    if (IsTrue(v)) return "1";
    if (IsFalse(v)) return "0";
    return v;
  }
};

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

core::Result<core::ConnectorResult> SqlConnector::Erase(const core::Identities& ids,
                                                        const std::string& secret) {
  auto r = EraseMany({core::ErasureSubject{ids, secret}});
  if (!r) return tl::unexpected(r.error());
  return std::move(r->front());
}

core::Result<std::vector<core::ConnectorResult>> SqlConnector::EraseMany(
    const std::vector<core::ErasureSubject>& subjects) {
  const auto start = Clock::now();
  std::vector<core::ConnectorResult> out(subjects.size());
  if (subjects.empty()) return out;
  std::vector<const core::Identities*> ids;
  for (const auto& s : subjects) ids.push_back(&s.ids);
  Impl impl(config_, dataset_, plan_);
  if (auto s = impl.Open(); !s) return tl::unexpected(s.error());
  core::ConnectorResult batch;
  std::vector<std::map<std::string, std::int64_t>> remaining;
  try {
    impl.Walk(ids);
    impl.Attribute(ids);
    batch = impl.Counts("erase");
    soci::transaction tx(impl.sql);
    for (const auto& name : plan_.erase_order) {
      const Collection& c = *dataset_.FindCollection(name);
      const auto& owners = impl.owners[name];
      auto secret = [&](std::size_t row) -> const std::string& {
        return subjects[static_cast<std::size_t>(owners[row].front())].secret;
      };
      if (auto s = impl.EraseCollection(c, secret, impl.Outcome(batch, name)); !s) {
        return tl::unexpected(s.error());  // the transaction rolls back
      }
    }
    tx.commit();
    remaining = impl.Verify(ids);
  } catch (const std::exception& e) {
    return Fail(Errc::kUnavailable, "erase: " + FirstLine(e.what()));
  }
  // Each subject's counts: the rows its walk reached, and of those the ones a DELETE or an
  // UPDATE covered. A row two subjects share counts for both.
  const std::int64_t millis = MillisSince(start);
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    core::ConnectorResult& r = out[i];
    r.action = "erase";
    r.statements = impl.statements;
    r.millis = millis;
    r.batch_subjects = static_cast<std::int64_t>(subjects.size());
    for (const auto& b : batch.collections) {
      core::CollectionOutcome o;
      o.name = b.name;
      o.millis = b.millis;
      const auto& owners = impl.owners[b.name];
      const auto& covered = impl.touched[b.name];
      for (std::size_t row = 0; row < owners.size(); ++row) {
        if (!std::binary_search(owners[row].begin(), owners[row].end(), static_cast<int>(i))) {
          continue;
        }
        ++o.found;
        if (row < covered.size() && covered[row]) ++(impl.deleted[b.name] ? o.erased : o.masked);
      }
      const auto left = remaining[i].find(b.name);
      if (left != remaining[i].end()) o.remaining = left->second;
      r.collections.push_back(std::move(o));
    }
    r.verified = r.Total(&core::CollectionOutcome::remaining) == 0;
    if (!r.verified) {
      for (const auto& o : r.collections) {
        if (o.remaining > 0) {
          return Fail(Errc::kInternal,
                      "erase: verification failed: " + std::to_string(o.remaining) +
                          " row(s) of '" + o.name + "' still hold an identity value");
        }
      }
    }
  }
  return out;
}

core::Result<core::ConnectorResult> SqlConnector::OptOut(const core::Identities& ids) {
  bool any = false;
  for (const auto& c : dataset_.collections) any = any || c.opt_out.has_value();
  if (!any) {
    return Fail(Errc::kInvalidArgument,
                "dataset: no collection declares fides_meta.rightsdesk_opt_out {field, value}");
  }
  const auto start = Clock::now();
  Impl impl(config_, dataset_, plan_);
  if (auto s = impl.Open(); !s) return tl::unexpected(s.error());
  core::ConnectorResult r;
  try {
    impl.Walk(ids);
    r = impl.Counts("opt_out");
    soci::transaction tx(impl.sql);
    for (const auto& c : dataset_.collections) {
      if (!c.opt_out) continue;
      const CollectionRows& cr = impl.found[c.name];
      if (cr.rows.empty()) continue;
      auto key_col = impl.KeyColumn(c, "opt-out");
      if (!key_col) return tl::unexpected(key_col.error());
      const auto keys = impl.Keys(cr, *key_col);
      auto& o = impl.Outcome(r, c.name);
      for (std::size_t off = 0; off < keys.size(); off += kMaxKeysPerStatement) {
        const std::size_t n = std::min(kMaxKeysPerStatement, keys.size() - off);
        std::vector<std::string> binds{impl.OptOutValue(c.opt_out->value)};
        binds.insert(binds.end(), keys.begin() + static_cast<long>(off),
                     keys.begin() + static_cast<long>(off + n));
        o.opted_out += impl.Execute("UPDATE " + impl.Q(c.name) + " SET " +
                                        impl.Q(c.opt_out->field) + " = :v WHERE " +
                                        impl.Q(cr.columns[static_cast<std::size_t>(*key_col)]) +
                                        " IN (" + Placeholders(n, "k") + ")",
                                    binds);
      }
    }
    tx.commit();
  } catch (const std::exception& e) {
    return Fail(Errc::kUnavailable, "opt out: " + FirstLine(e.what()));
  }
  r.statements = impl.statements;
  r.millis = MillisSince(start);
  return r;
}

}  // namespace rd::connectors
