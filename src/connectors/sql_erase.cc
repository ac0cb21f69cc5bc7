// Erasure and opt-out of the SQL connector: masking and deleting the rows a walk found, in
// one transaction for a batch of subjects, and verifying that no identity value is left.
#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "connectors/sql_connector.h"
#include "connectors/sql_connector_impl.h"

namespace rd::connectors {

using core::Errc;
using core::Fail;
using namespace sql_detail;  // this file is part of the connector

std::set<std::string> SqlConnector::Impl::DirectDeletes() const {
  std::set<std::string> out;
  if (config.url.dialect == SqlDialect::kMysql) return out;
  for (const auto& c : dataset.collections) {
    bool delete_rows = false;
    MaskedFields(c, &delete_rows);
    if (!delete_rows || c.PrimaryKey().size() != 1 || IncomingEdge(c.name) == nullptr) continue;
    bool other = false;
    for (const auto& s : plan.seeds) other = other || s.collection == c.name;
    for (const auto& e : plan.edges) other = other || e.from_collection == c.name;
    if (!other) out.insert(c.name);
  }
  return out;
}

const Edge* SqlConnector::Impl::IncomingEdge(const std::string& name) const {
  const Edge* found_edge = nullptr;
  for (const auto& e : plan.edges) {
    if (e.to_collection != name) continue;
    if (found_edge != nullptr) return nullptr;
    found_edge = &e;
  }
  return found_edge;
}

void SqlConnector::Impl::DeleteDirect(const Collection& c, core::CollectionOutcome& o) {
  const Edge& edge = *IncomingEdge(c.name);
  CollectionRows& cr = found[c.name];
  const CollectionRows& parent = found[edge.from_collection];
  const auto& parent_owners = owners[edge.from_collection];
  std::unordered_map<std::string, std::vector<int>> by_value;
  const int pcol = parent.Column(edge.from_field);
  for (std::size_t i = 0; pcol >= 0 && i < parent.rows.size(); ++i) {
    const Cell& cell = parent.rows[i][static_cast<std::size_t>(pcol)];
    if (cell.null || i >= parent_owners.size()) continue;
    auto& who = by_value[Fold(cell.text)];
    who.insert(who.end(), parent_owners[i].begin(), parent_owners[i].end());
  }
  for (auto& [value, who] : by_value) {
    std::sort(who.begin(), who.end());
    who.erase(std::unique(who.begin(), who.end()), who.end());
  }
  const std::string pk = c.PrimaryKey().front()->name;
  const auto key = static_cast<std::size_t>(cr.Column(pk));
  const auto ref = static_cast<std::size_t>(cr.Column(edge.to_field));
  deleted[c.name] = true;
  auto& own = owners[c.name];
  auto& covered = touched[c.name];
  const auto& values = direct_values[c.name];
  const auto start = Clock::now();
  for (std::size_t off = 0; off < values.size(); off += kMaxKeysPerStatement) {
    const std::size_t n = std::min(kMaxKeysPerStatement, values.size() - off);
    const std::vector<std::string> batch(values.begin() + static_cast<long>(off),
                                         values.begin() + static_cast<long>(off + n));
    soci::rowset<soci::row> rs(Prepared(sql,
                                        "DELETE FROM " + Q(c.name) + " WHERE " + Q(edge.to_field) +
                                            " IN (" + Placeholders(n, "k") + ") RETURNING " +
                                            Q(pk) + ", " + Q(edge.to_field),
                                        batch));
    ++statements;
    for (const auto& r : rs) {
      Row row(cr.columns.size());
      row[key] = ToCell(r, 0);
      row[ref] = ToCell(r, 1);
      const auto who = by_value.find(Fold(row[ref].text));
      own.push_back(who == by_value.end() ? std::vector<int>{0} : who->second);
      cr.rows.push_back(std::move(row));
      covered.push_back(true);
      ++cr.count;
      ++o.erased;
    }
  }
  o.millis += MillisSince(start);
}

std::vector<std::pair<const Field*, MaskStrategy>> SqlConnector::Impl::MaskedFields(
    const Collection& c, bool* delete_rows) const {
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

core::Status SqlConnector::Impl::EraseCollection(
    const Collection& c, const std::function<const std::string&(std::size_t)>& secret,
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

std::vector<std::map<std::string, std::int64_t>> SqlConnector::Impl::Verify(
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

std::string SqlConnector::Impl::OptOutValue(const std::string& v) const {
  if (config.url.dialect == SqlDialect::kPostgres) return v;
  if (IsTrue(v)) return "1";
  if (IsFalse(v)) return "0";
  return v;
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
    impl.direct = impl.DirectDeletes();
    impl.Walk(ids);
    impl.Attribute(ids);
    batch = impl.Counts("erase");
    soci::transaction tx(impl.sql);
    for (const auto& name : plan_.erase_order) {
      const Collection& c = *dataset_.FindCollection(name);
      if (impl.direct.count(name)) {
        impl.DeleteDirect(c, impl.Outcome(batch, name));
        continue;
      }
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
  // UPDATE covered. A row two subjects share counts for both. One pass over the rows.
  const std::int64_t millis = MillisSince(start);
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    core::ConnectorResult& r = out[i];
    r.action = "erase";
    r.statements = impl.statements;
    r.millis = millis;
    r.batch_subjects = static_cast<std::int64_t>(subjects.size());
    for (const auto& b : batch.collections) {
      r.collections.emplace_back();
      r.collections.back().name = b.name;
      r.collections.back().millis = b.millis;
      const auto left = remaining[i].find(b.name);
      if (left != remaining[i].end()) r.collections.back().remaining = left->second;
    }
  }
  for (std::size_t k = 0; k < batch.collections.size(); ++k) {
    const std::string& name = batch.collections[k].name;
    const auto& owners = impl.owners[name];
    const auto& covered = impl.touched[name];
    const bool deleted = impl.deleted[name];
    for (std::size_t row = 0; row < owners.size(); ++row) {
      const bool done = row < covered.size() && covered[row];
      for (int who : owners[row]) {
        core::CollectionOutcome& o = out[static_cast<std::size_t>(who)].collections[k];
        ++o.found;
        if (done) ++(deleted ? o.erased : o.masked);
      }
    }
  }
  for (core::ConnectorResult& r : out) {
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
