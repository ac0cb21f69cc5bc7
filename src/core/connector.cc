#include "core/connector.h"

#include "core/json_text.h"

namespace rd::core {
namespace {

using Field = std::int64_t CollectionOutcome::*;

constexpr std::pair<const char*, Field> kCounts[] = {
    {"found", &CollectionOutcome::found},         {"exported", &CollectionOutcome::exported},
    {"erased", &CollectionOutcome::erased},       {"masked", &CollectionOutcome::masked},
    {"opted_out", &CollectionOutcome::opted_out}, {"remaining", &CollectionOutcome::remaining}};

std::string Counts(const ConnectorResult& r) {
  std::string out = "{";
  for (const auto& [name, field] : kCounts) {
    out += (out.size() > 1 ? "," : "") + JsonString(name) + ":" + std::to_string(r.Total(field));
  }
  return out + "}";
}

}  // namespace

Status RowCollector::Row(const std::string& collection, std::string row) {
  if (kept_ >= max_rows_) {
    truncated_ = true;
    return {};
  }
  rows_[collection].push_back(std::move(row));
  ++kept_;
  return {};
}

void RowCollector::MoveInto(ConnectorResult& r) {
  for (auto& c : r.collections) {
    const auto it = rows_.find(c.name);
    if (it != rows_.end()) c.rows = std::move(it->second);
  }
  r.truncated = r.truncated || truncated_;
}

std::string ConnectorCountsJson(const ConnectorResult& r) { return Counts(r); }

std::string ConnectorResultJson(const ConnectorResult& r, bool with_rows) {
  std::string out =
      "{\"action\":" + JsonString(r.action) + ",\"verified\":" + (r.verified ? "true" : "false") +
      ",\"truncated\":" + (r.truncated ? "true" : "false") +
      ",\"statements\":" + std::to_string(r.statements) +
      ",\"millis\":" + std::to_string(r.millis) +
      (r.batch_subjects > 1 ? ",\"batch_subjects\":" + std::to_string(r.batch_subjects) : "") +
      ",\"totals\":" + Counts(r) + ",\"collections\":{";
  bool first = true;
  for (const auto& c : r.collections) {
    out += (first ? "" : ",") + JsonString(c.name) + ":{";
    first = false;
    for (const auto& [name, field] : kCounts) {
      out += JsonString(name) + ":" + std::to_string(c.*field) + ",";
    }
    out += "\"millis\":" + std::to_string(c.millis) + "}";
  }
  out += "},\"errors\":[";
  for (std::size_t i = 0; i < r.errors.size(); ++i) {
    out += (i ? "," : "") + JsonString(r.errors[i]);
  }
  out += "]";
  if (with_rows) {
    out += ",\"rows\":{";
    first = true;
    for (const auto& c : r.collections) {
      if (c.rows.empty()) continue;
      out += (first ? "" : ",") + JsonString(c.name) + ":[";
      first = false;
      for (std::size_t i = 0; i < c.rows.size(); ++i) out += (i ? "," : "") + c.rows[i];
      out += "]";
    }
    out += "}";
  }
  return out + "}";
}

Result<std::vector<ConnectorResult>> Connector::EraseMany(
    const std::vector<ErasureSubject>& subjects) {
  std::vector<ConnectorResult> out;
  for (const auto& s : subjects) {
    auto r = Erase(s.ids, s.secret);
    if (!r) return tl::unexpected(r.error());
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace rd::core
