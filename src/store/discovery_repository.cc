// Discovery findings.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {
namespace {

constexpr const char* kFindingColumns =
    "SELECT id, source, match_key, domain, catalog_id, name, messages, first_seen, last_seen, "
    "recipients, signals, status, data_source_id, created_at, updated_at FROM discovery_findings";

std::string JoinSignals(const std::vector<std::string>& signals) {
  std::string out;
  for (const auto& s : signals) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> SplitSignals(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

core::FindingSource SourceOf(const std::string& s) {
  if (s == "sso") return core::FindingSource::kSso;
  if (s == "dns") return core::FindingSource::kDns;
  return core::FindingSource::kMailbox;
}

core::DiscoveryFinding FindingFromRow(const soci::row& r) {
  core::DiscoveryFinding f;
  f.id = RowText(r, 0);
  f.source = SourceOf(RowText(r, 1));
  f.match_key = RowText(r, 2);
  f.domain = RowText(r, 3);
  f.catalog_id = RowText(r, 4);
  f.name = RowText(r, 5);
  f.messages = RowInt(r, 6);
  if (!RowIsNull(r, 7)) f.first_seen = RowInt(r, 7);
  if (!RowIsNull(r, 8)) f.last_seen = RowInt(r, 8);
  f.recipients = RowInt(r, 9);
  f.signals = SplitSignals(RowText(r, 10));
  f.status = core::ParseFindingStatus(RowText(r, 11)).value_or(core::FindingStatus::kNew);
  f.data_source_id = RowText(r, 12);
  f.created_at = RowInt(r, 13);
  f.updated_at = RowInt(r, 14);
  return f;
}

}  // namespace

core::Status SqlDiscoveryFindingRepository::Insert(const core::DiscoveryFinding& f) {
  try {
    const std::string source = core::FindingSourceName(f.source);
    const std::string status = core::FindingStatusName(f.status);
    const std::string signals = JoinSignals(f.signals);
    const long long messages = f.messages, recipients = f.recipients;
    const long long first = f.first_seen.value_or(0), last = f.last_seen.value_or(0);
    const long long created = f.created_at, updated = f.updated_at;
    soci::indicator first_ind = f.first_seen ? soci::i_ok : soci::i_null;
    soci::indicator last_ind = f.last_seen ? soci::i_ok : soci::i_null;
    soci::indicator catalog_ind = f.catalog_id.empty() ? soci::i_null : soci::i_ok;
    soci::indicator ds_ind = f.data_source_id.empty() ? soci::i_null : soci::i_ok;
    sql_ << "INSERT INTO discovery_findings (id, source, match_key, domain, catalog_id, name, "
            "messages, first_seen, last_seen, recipients, signals, status, data_source_id, "
            "created_at, updated_at) VALUES (:id, :src, :k, :d, :cat, :n, :m, :fs, :ls, :r, :sig, "
            ":st, :ds, :ca, :ua)",
        soci::use(f.id), soci::use(source), soci::use(f.match_key), soci::use(f.domain),
        soci::use(f.catalog_id, catalog_ind), soci::use(f.name), soci::use(messages),
        soci::use(first, first_ind), soci::use(last, last_ind), soci::use(recipients),
        soci::use(signals), soci::use(status), soci::use(f.data_source_id, ds_ind),
        soci::use(created), soci::use(updated);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "discovery finding"));
  }
}

core::Result<std::optional<core::DiscoveryFinding>> SqlDiscoveryFindingRepository::FindByKey(
    core::FindingSource source, const std::string& match_key) {
  try {
    const std::string src = core::FindingSourceName(source);
    soci::row r;
    sql_ << std::string(kFindingColumns) + " WHERE source = :s AND match_key = :k" +
                (dialect_ == Dialect::kPostgres ? " FOR UPDATE" : ""),
        soci::use(src), soci::use(match_key), soci::into(r);
    if (!sql_.got_data()) return std::optional<core::DiscoveryFinding>();
    return std::optional<core::DiscoveryFinding>(FindingFromRow(r));
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "find discovery finding"));
  }
}

core::Result<core::DiscoveryFinding> SqlDiscoveryFindingRepository::Get(const std::string& id) {
  try {
    soci::row r;
    sql_ << std::string(kFindingColumns) + " WHERE id = :id", soci::use(id), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such finding");
    return FindingFromRow(r);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get discovery finding"));
  }
}

core::Result<std::vector<core::DiscoveryFinding>> SqlDiscoveryFindingRepository::List(
    std::optional<core::FindingStatus> status) {
  try {
    std::vector<core::DiscoveryFinding> out;
    const std::string st = status ? core::FindingStatusName(*status) : "";
    const std::string order = " ORDER BY created_at DESC, messages DESC, id";
    if (status) {
      soci::rowset<soci::row> rows =
          (sql_.prepare << std::string(kFindingColumns) + " WHERE status = :st" + order,
           soci::use(st));
      for (const auto& r : rows) out.push_back(FindingFromRow(r));
      return out;
    }
    soci::rowset<soci::row> rows = (sql_.prepare << std::string(kFindingColumns) + order);
    for (const auto& r : rows) out.push_back(FindingFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list discovery findings"));
  }
}

core::Status SqlDiscoveryFindingRepository::Update(const core::DiscoveryFinding& f,
                                                   core::FindingStatus expected) {
  try {
    const std::string status = core::FindingStatusName(f.status);
    const std::string expected_status = core::FindingStatusName(expected);
    const std::string signals = JoinSignals(f.signals);
    const long long messages = f.messages, recipients = f.recipients;
    const long long first = f.first_seen.value_or(0), last = f.last_seen.value_or(0);
    const long long updated = f.updated_at;
    soci::indicator first_ind = f.first_seen ? soci::i_ok : soci::i_null;
    soci::indicator last_ind = f.last_seen ? soci::i_ok : soci::i_null;
    soci::indicator catalog_ind = f.catalog_id.empty() ? soci::i_null : soci::i_ok;
    soci::indicator ds_ind = f.data_source_id.empty() ? soci::i_null : soci::i_ok;
    soci::statement stmt =
        (sql_.prepare << "UPDATE discovery_findings SET domain = :d, catalog_id = :cat, "
                         "name = :n, messages = :m, first_seen = :fs, last_seen = :ls, "
                         "recipients = :r, signals = :sig, status = :st, data_source_id = :ds, "
                         "updated_at = :ua WHERE id = :id AND status = :exp",
         soci::use(f.domain), soci::use(f.catalog_id, catalog_ind), soci::use(f.name),
         soci::use(messages), soci::use(first, first_ind), soci::use(last, last_ind),
         soci::use(recipients), soci::use(signals), soci::use(status),
         soci::use(f.data_source_id, ds_ind), soci::use(updated), soci::use(f.id),
         soci::use(expected_status));
    stmt.execute(true);
    if (stmt.get_affected_rows() == 0) {
      int exists = 0;
      sql_ << "SELECT COUNT(*) FROM discovery_findings WHERE id = :id", soci::use(f.id),
          soci::into(exists);
      if (exists == 0) return core::Fail(core::Errc::kNotFound, "no such finding");
      return core::Fail(core::Errc::kConflict, "finding: it changed at the same moment");
    }
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update discovery finding"));
  }
}

}  // namespace rd::store
