#include "scan/source_scan_service.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "scan/scanner.h"

namespace rd::scan {
namespace {

// The SQL URL of a source's connector ({"kind": "sql", "url": ...}).
core::Result<std::string> SqlUrl(const core::DataSource& ds) {
  const auto connector = nlohmann::json::parse(ds.connector, nullptr, false);
  if (ds.process != "integration" || !connector.is_object() ||
      connector.value("kind", "") != "sql" || !connector.contains("url") ||
      !connector["url"].is_string()) {
    return core::Fail(core::Errc::kInvalidArgument,
                      "connector: only integration sources with a SQL connector "
                      "({\"kind\": \"sql\", \"url\": ...}) can be scanned");
  }
  return connector["url"].get<std::string>();
}

std::string ColumnsJson(const std::vector<ColumnClassification>& columns) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : columns) {
    out.push_back(
        {{"collection", c.collection},
         {"field", c.field},
         {"category", c.category.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.category)},
         {"confidence", std::round(c.confidence * 100) / 100},
         {"share", std::round(c.share * 100) / 100},
         {"signal", c.signal}});
  }
  return out.dump();
}

}  // namespace

SourceScanService::SourceScanService(core::Store& store, const core::Crypto& crypto,
                                     const core::Clock& clock, const ValueDetectors& detectors,
                                     SourceScanPolicy policy,
                                     const core::ConnectorRegistry* connectors)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      detectors_(detectors),
      policy_(policy),
      connectors_(connectors) {}

core::Result<std::string> SourceScanService::Request(const std::string& data_source_id,
                                                     const std::string& actor) {
  const core::UnixTime now = clock_.Now();
  const std::string job_id = "job_" + crypto_.RandomHex(12);
  core::Status st = store_.Write([&](core::Transaction& tx) -> core::Status {
    auto ds = tx.DataSources().Get(data_source_id);
    if (!ds) return tl::unexpected(ds.error());
    if (ds->archived) return core::Fail(core::Errc::kNotFound, "no such data source");
    if (auto url = SqlUrl(*ds); !url) return tl::unexpected(url.error());
    auto previous = tx.SourceScans().Get(data_source_id);
    if (previous && (previous->status == "queued" || previous->status == "running") &&
        now - previous->updated_at < policy_.stale_after_seconds) {
      return core::Fail(core::Errc::kConflict,
                        "scan: a scan of this source is already " + previous->status);
    }
    core::SourceScan scan;
    scan.data_source_id = data_source_id;
    scan.job_id = job_id;
    scan.status = "queued";
    scan.requested_by = actor;
    scan.created_at = scan.updated_at = now;
    if (auto s = tx.SourceScans().Put(scan); !s) return s;
    const std::string payload = "{\"data_source_id\":" + core::JsonString(data_source_id) + "}";
    if (auto s = tx.Jobs().Enqueue({job_id, kJobKind, payload, now, 0}); !s) return s;
    return tx.Audit()
        .Append({actor, std::nullopt, "data_source.scan_requested",
                 "{\"id\":" + core::JsonString(data_source_id) +
                     ",\"job_id\":" + core::JsonString(job_id) + "}"},
                now)
        .map([](const core::AuditEvent&) {});
  });
  if (!st) return tl::unexpected(st.error());
  return job_id;
}

core::Result<core::SourceScan> SourceScanService::Get(const std::string& data_source_id) {
  core::Result<core::SourceScan> out = core::Fail(core::Errc::kNotFound, "no such data source");
  core::Status st = store_.Read([&](core::Transaction& tx) -> core::Status {
    auto ds = tx.DataSources().Get(data_source_id);
    if (!ds) return tl::unexpected(ds.error());
    out = tx.SourceScans().Get(data_source_id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

core::Status SourceScanService::Record(const core::SourceScan& scan) {
  return store_.Write([&](core::Transaction& tx) -> core::Status {
    // Only the latest request's job writes: a superseded job's result is dropped.
    auto current = tx.SourceScans().Get(scan.data_source_id);
    if (!current) return tl::unexpected(current.error());
    if (current->job_id != scan.job_id) return {};
    return tx.SourceScans().Put(scan);
  });
}

core::Status SourceScanService::Run(const core::Job& job) {
  const auto payload = nlohmann::json::parse(job.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("data_source_id") ||
      !payload["data_source_id"].is_string()) {
    return core::Fail(core::Errc::kInvalidArgument, "source.scan: malformed payload");
  }
  const std::string id = payload["data_source_id"].get<std::string>();
  core::SourceScan scan;
  core::DataSource ds;
  core::Status read = store_.Read([&](core::Transaction& tx) -> core::Status {
    auto s = tx.SourceScans().Get(id);
    if (!s) return tl::unexpected(s.error());
    scan = *s;
    auto d = tx.DataSources().Get(id);
    if (!d) return tl::unexpected(d.error());
    ds = *d;
    return {};
  });
  if (!read) {
    // The source or its scan is gone: nothing to do.
    if (read.error().code == core::Errc::kNotFound) return {};
    return read;
  }
  if (scan.job_id != job.id || scan.status == "done" || scan.status == "failed") return {};

  scan.status = "running";
  scan.progress_done = 0;
  scan.progress_total = 0;
  scan.updated_at = clock_.Now();
  if (auto s = Record(scan); !s) return s;

  auto fail = [&](const std::string& why) {
    scan.status = "failed";
    scan.error = why;
    scan.updated_at = clock_.Now();
    return Record(scan);
  };
  auto url = connectors_ != nullptr ? connectors_->DatabaseUrl(ds) : SqlUrl(ds);
  if (!url) return fail(url.error().message);
  auto scanner = Scanner::Create(detectors_, FirstNames::Bundled());
  if (!scanner) return fail(scanner.error().message);
  auto report = scanner->ScanSql(*url, policy_.sample_rows, ds.name, [&](int done, int total) {
    scan.progress_done = done;
    scan.progress_total = total;
    scan.updated_at = clock_.Now();
    // Progress is informative: a failed write here does not stop the scan.
    (void)Record(scan);
  });
  if (!report) return fail(report.error().message);

  int personal = 0;
  for (const auto& c : report->columns) personal += !c.category.empty();
  scan.status = "done";
  scan.error.clear();
  scan.columns_json = ColumnsJson(report->columns);
  scan.dataset = report->dataset_yaml;
  scan.progress_done = scan.progress_total;
  const core::UnixTime now = clock_.Now();
  scan.updated_at = now;
  return store_.Write([&](core::Transaction& tx) -> core::Status {
    auto current = tx.SourceScans().Get(id);
    if (!current) return tl::unexpected(current.error());
    if (current->job_id != job.id) return {};
    if (auto s = tx.SourceScans().Put(scan); !s) return s;
    return tx.Audit()
        .Append({"system", std::nullopt, "data_source.scanned",
                 "{\"id\":" + core::JsonString(id) +
                     ",\"columns\":" + std::to_string(report->columns.size()) +
                     ",\"personal\":" + std::to_string(personal) + "}"},
                now)
        .map([](const core::AuditEvent&) {});
  });
}

}  // namespace rd::scan
