#include <soci/soci.h>

#include <limits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "store/sql_repositories.h"

namespace rd::store {
namespace {

constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Streams events in seq order, calling fn for each; filtered by request when given, starting
// after `after_seq`, at most `limit` events (0: all).
void Scan(soci::session& sql, const std::optional<std::string>& request_id, long long after_seq,
          long long limit, const std::function<void(const core::AuditEvent&)>& fn) {
  core::AuditEvent e;
  long long seq = 0;
  long long at = 0;
  std::string rid;
  soci::indicator rid_ind = soci::i_ok;
  const std::string filter = request_id.value_or("");
  const long long max_rows = limit > 0 ? limit : std::numeric_limits<long long>::max();
  std::string query =
      "SELECT seq, at, actor, request_id, kind, detail, prev_hash, hash FROM audit_events "
      "WHERE seq > :after";
  if (request_id) query += " AND request_id = :r";
  query += " ORDER BY seq";
  if (limit > 0) query += " LIMIT " + std::to_string(limit);
  soci::details::prepare_temp_type prep = (sql.prepare << query);
  prep, soci::use(after_seq);
  if (request_id) prep, soci::use(filter);
  prep, soci::into(seq), soci::into(at), soci::into(e.actor), soci::into(rid, rid_ind),
      soci::into(e.kind), soci::into(e.detail), soci::into(e.prev_hash), soci::into(e.hash);
  soci::statement st(prep);
  st.execute();
  long long n = 0;
  while (n < max_rows && st.fetch()) {
    ++n;
    e.seq = seq;
    e.at = at;
    if (rid_ind == soci::i_null) {
      e.request_id.reset();
    } else {
      e.request_id = rid;
    }
    fn(e);
  }
}

}  // namespace

namespace {

// Appends `s` as a JSON string the way nlohmann's dump() writes it, for ASCII text; false
// for any other byte (whose validity as UTF-8 decides there), which the general path handles.
bool AppendAsciiString(std::string& out, std::string_view s) {
  for (const char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  core::AppendJsonString(out, s);
  return true;
}

// Whether `detail` is already the text dump(parse(detail)) gives: a flat object, no
// whitespace, keys in strictly increasing order, and as values only plain ASCII strings (no
// escapes), integers of at most 18 digits without leading zeros (not -0), true, false or null.
// The details the services write are such objects; anything else takes the general path.
bool IsCanonicalFlatObject(std::string_view d) {
  if (d.size() < 2 || d.front() != '{' || d.back() != '}') return false;
  if (d.size() == 2) return true;
  std::size_t i = 1;
  std::string_view previous_key;
  bool first = true;  // also: no key yet
  auto plain_string = [&](std::string_view& text) {
    if (i >= d.size() || d[i] != '"') return false;
    const std::size_t start = ++i;
    while (i < d.size() && d[i] != '"') {
      const auto c = static_cast<unsigned char>(d[i]);
      if (c < 0x20 || c >= 0x80 || c == '\\') return false;
      ++i;
    }
    if (i >= d.size()) return false;
    text = d.substr(start, i - start);
    ++i;
    return true;
  };
  while (i < d.size() - 1) {
    if (!first) {
      if (d[i] != ',') return false;
      ++i;
    }
    std::string_view key;
    if (!plain_string(key)) return false;
    if (!first && key <= previous_key) return false;  // out of order, or a duplicate
    first = false;
    previous_key = key;
    if (i >= d.size() || d[i] != ':') return false;
    ++i;
    if (i >= d.size()) return false;
    const char c = d[i];
    std::string_view value;
    if (c == '"') {
      if (!plain_string(value)) return false;
    } else if (d.substr(i, 4) == "true" || d.substr(i, 4) == "null") {
      i += 4;
    } else if (d.substr(i, 5) == "false") {
      i += 5;
    } else {
      const std::size_t start = i;
      if (d[i] == '-') ++i;
      const std::size_t digits = i;
      while (i < d.size() && d[i] >= '0' && d[i] <= '9') ++i;
      const std::size_t n = i - digits;
      if (n == 0 || n > 18) return false;
      if (d[digits] == '0' && (n > 1 || digits != start)) return false;  // 01, -0
    }
  }
  return i == d.size() - 1;
}

}  // namespace

std::string CanonicalAuditJsonGeneral(const core::AuditEvent& e) {
  nlohmann::json detail = nlohmann::json::parse(e.detail, nullptr, false);
  if (detail.is_discarded()) detail = e.detail;
  const nlohmann::json j = {
      {"seq", e.seq},
      {"at", e.at},
      {"actor", e.actor},
      {"request_id", e.request_id ? nlohmann::json(*e.request_id) : nlohmann::json(nullptr)},
      {"kind", e.kind},
      {"detail", detail},
  };
  return j.dump();  // nlohmann objects keep keys sorted: the text is canonical
}

std::string CanonicalAuditJson(const core::AuditEvent& e) {
  // The same bytes as CanonicalAuditJsonGeneral (the tests compare them), written directly:
  // keys in sorted order, the detail copied when it is already canonical.
  std::string out;
  out.reserve(96 + e.actor.size() + e.kind.size() + e.detail.size());
  out += "{\"actor\":";
  if (!AppendAsciiString(out, e.actor)) return CanonicalAuditJsonGeneral(e);
  out += ",\"at\":";
  out += std::to_string(e.at);
  out += ",\"detail\":";
  if (!IsCanonicalFlatObject(e.detail)) return CanonicalAuditJsonGeneral(e);
  out += e.detail;
  out += ",\"kind\":";
  if (!AppendAsciiString(out, e.kind)) return CanonicalAuditJsonGeneral(e);
  out += ",\"request_id\":";
  if (e.request_id) {
    if (!AppendAsciiString(out, *e.request_id)) return CanonicalAuditJsonGeneral(e);
  } else {
    out += "null";
  }
  out += ",\"seq\":";
  out += std::to_string(e.seq);
  out += '}';
  return out;
}

core::Result<core::AuditEvent> SqlAuditRepository::Append(const core::NewAuditEvent& in,
                                                          core::UnixTime at) {
  if (dialect_ != Dialect::kPostgres) return AppendNow(in, at);
  // Chained (seq, hashes) at Flush(), just before the commit.
  pending_.emplace_back(in, at);
  core::AuditEvent e;
  e.at = at;
  e.actor = in.actor;
  e.request_id = in.request_id;
  e.kind = in.kind;
  e.detail = in.detail.empty() ? "{}" : in.detail;
  return e;
}

core::Result<core::AuditEvent> SqlAuditRepository::AppendNow(const core::NewAuditEvent& in,
                                                             core::UnixTime at) {
  auto chained = Chain(in, at);
  if (!chained) return chained;
  const core::AuditEvent& e = *chained;
  try {
    const long long seq = e.seq;
    const long long when = e.at;
    const std::string rid = e.request_id.value_or("");
    soci::indicator rid_ind = e.request_id ? soci::i_ok : soci::i_null;
    statements_.Execute(
        "INSERT INTO audit_events (seq, at, actor, request_id, kind, detail, prev_hash, hash) "
        "VALUES (:s, :a, :ac, :r, :k, :d, :p, :h)",
        soci::use(seq), soci::use(when), soci::use(e.actor), soci::use(rid, rid_ind),
        soci::use(e.kind), soci::use(e.detail), soci::use(e.prev_hash), soci::use(e.hash));
    return e;
  } catch (const std::exception& ex) {
    return tl::unexpected(TranslateDbError(ex, "append audit event"));
  }
}

core::Result<core::AuditEvent> SqlAuditRepository::Chain(const core::NewAuditEvent& in,
                                                         core::UnixTime at) {
  try {
    long long head_seq = 0;
    std::string head_hash;
    if (head_) {
      // Read by an earlier append of this transaction, which still holds the lock.
      head_seq = head_->first;
      head_hash = head_->second;
    } else {
      // The head row is the chain's lock: PostgreSQL row-locks it until commit; SQLite's
      // BEGIN IMMEDIATE already holds the database write lock.
      sql_ << (dialect_ == Dialect::kPostgres
                   ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                   : "SELECT seq, hash FROM audit_head WHERE id = 1"),
          soci::into(head_seq), soci::into(head_hash);
      if (!sql_.got_data()) return core::Fail(core::Errc::kInternal, "audit head is missing");
    }

    core::AuditEvent e;
    e.seq = head_seq + 1;
    e.at = at;
    e.actor = in.actor;
    e.request_id = in.request_id;
    e.kind = in.kind;
    e.detail = in.detail.empty() ? "{}" : in.detail;
    e.prev_hash = head_hash;
    e.hash = crypto_.Sha256Hex(e.prev_hash + CanonicalAuditJson(e));
    head_.emplace(e.seq, e.hash);
    dirty_ = true;
    return e;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "append audit event"));
  }
}

namespace {

// One audit row's values, alive while a statement binds them.
struct AuditRow {
  long long seq = 0, at = 0;
  std::string actor, request_id, kind, detail, prev_hash, hash;
  soci::indicator request_ind = soci::i_null;

  explicit AuditRow(const core::AuditEvent& e)
      : seq(e.seq),
        at(e.at),
        actor(e.actor),
        request_id(e.request_id.value_or("")),
        kind(e.kind),
        detail(e.detail),
        prev_hash(e.prev_hash),
        hash(e.hash),
        request_ind(e.request_id ? soci::i_ok : soci::i_null) {}
};

#define RD_AUDIT_ROW_USES(r)                                                                  \
  soci::use((r).seq), soci::use((r).at), soci::use((r).actor),                                \
      soci::use((r).request_id, (r).request_ind), soci::use((r).kind), soci::use((r).detail), \
      soci::use((r).prev_hash), soci::use((r).hash)

}  // namespace

core::Status SqlAuditRepository::FlushPostgres() {
  // The head locked, then the events and the head's move in one statement per two events:
  // with the commit, three round trips for a transaction's usual one or two events, all of
  // them under the chain's lock.
  std::vector<AuditRow> rows;
  for (const auto& [event, at] : std::exchange(pending_, {})) {
    auto e = Chain(event, at);
    if (!e) return tl::unexpected(e.error());
    rows.emplace_back(*e);
  }
  try {
    static const std::string kInsert =
        "INSERT INTO audit_events (seq, at, actor, request_id, kind, detail, prev_hash, hash) "
        "VALUES (:s1, :a1, :ac1, :r1, :k1, :d1, :p1, :h1)";
    for (std::size_t i = 0; i < rows.size(); i += 2) {
      if (i + 1 < rows.size()) {
        statements_.Execute("WITH e AS (" + kInsert +
                                ", (:s2, :a2, :ac2, :r2, :k2, :d2, :p2, :h2)) "
                                "UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1",
                            RD_AUDIT_ROW_USES(rows[i]), RD_AUDIT_ROW_USES(rows[i + 1]),
                            soci::use(rows[i + 1].seq), soci::use(rows[i + 1].hash));
      } else {
        statements_.Execute(
            "WITH e AS (" + kInsert + ") UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1",
            RD_AUDIT_ROW_USES(rows[i]), soci::use(rows[i].seq), soci::use(rows[i].hash));
      }
    }
    dirty_ = false;
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "append audit event"));
  }
}

#undef RD_AUDIT_ROW_USES

core::Status SqlAuditRepository::Flush() {
  if (!pending_.empty()) return FlushPostgres();
  if (!dirty_) return {};
  try {
    statements_.Execute("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1",
                        soci::use(head_->first), soci::use(head_->second));
    dirty_ = false;
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "append audit event"));
  }
}

core::Result<core::AuditVerification> SqlAuditRepository::Verify() {
  core::AuditVerification v;
  if (auto st = Flush(); !st) return tl::unexpected(st.error());
  try {
    std::int64_t expected_seq = 1;
    std::string prev = kGenesisHash;
    auto fail = [&v](std::int64_t seq, std::string problem) {
      if (!v.ok) return;
      v.ok = false;
      v.first_bad_event = seq;
      v.problem = std::move(problem);
    };
    Scan(sql_, std::nullopt, 0, 0, [&](const core::AuditEvent& e) {
      ++v.events;
      if (!v.ok) return;
      if (e.seq != expected_seq) {
        fail(expected_seq < e.seq ? expected_seq : e.seq,
             "event " + std::to_string(expected_seq) + " is missing or out of order");
        return;
      }
      if (e.prev_hash != prev) {
        fail(e.seq, "event " + std::to_string(e.seq) + " does not link to the event before it");
        return;
      }
      if (crypto_.Sha256Hex(e.prev_hash + CanonicalAuditJson(e)) != e.hash) {
        fail(e.seq, "event " + std::to_string(e.seq) + " was changed after it was written");
        return;
      }
      prev = e.hash;
      ++expected_seq;
    });
    if (v.ok) {
      long long head_seq = 0;
      std::string head_hash;
      sql_ << "SELECT seq, hash FROM audit_head WHERE id = 1", soci::into(head_seq),
          soci::into(head_hash);
      if (head_seq != expected_seq - 1 || head_hash != prev) {
        fail(expected_seq, "the newest events after event " + std::to_string(expected_seq - 1) +
                               " are missing (the chain head records event " +
                               std::to_string(head_seq) + ")");
      }
    }
    return v;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "verify audit log"));
  }
}

core::Status SqlAuditRepository::ForEach(const std::optional<std::string>& request_id,
                                         std::int64_t after_seq, std::int64_t limit,
                                         const std::function<void(const core::AuditEvent&)>& fn) {
  if (!pending_.empty()) {  // this transaction's own events first, as the other dialects see them
    if (auto st = Flush(); !st) return st;
  }
  try {
    Scan(sql_, request_id, after_seq, limit, fn);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "read audit log"));
  }
}

}  // namespace rd::store
