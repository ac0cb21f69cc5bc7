#pragma once

#include <string>

#include "core/clock.h"
#include "core/connector.h"
#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"
#include "scan/value_detectors.h"

namespace rd::scan {

struct SourceScanPolicy {
  int sample_rows = 1000;  // rows sampled per table (scan.sample_rows)
  // A queued or running scan younger than this refuses a new request (kConflict); an older one
  // is taken to be lost (its job failed for good) and is replaced.
  int stale_after_seconds = 3600;
};

// Scans of data sources for personal data, run in the background (PRODUCT.md §2,
// auto-discovery). Request() records a queued scan and its `source.scan` job in one
// transaction, with the audit event "data_source.scan_requested"; the worker pool's handler
// calls Run(), which samples the source's SQL database, classifies every column, stores the
// progress as it goes and the result (columns and the proposed Fides dataset) at the end, with
// "data_source.scanned" ({id, columns, personal}: counts only). Thread-safe.
class SourceScanService {
 public:
  static constexpr const char* kJobKind = "source.scan";

  // `detectors` (and `connectors`, which opens sealed database passwords; without it the
  // connector's URL is used as stored) outlive the service.
  SourceScanService(core::Store& store, const core::Crypto& crypto, const core::Clock& clock,
                    const ValueDetectors& detectors, SourceScanPolicy policy,
                    const core::ConnectorRegistry* connectors = nullptr);

  // Queues a scan of the source and returns the job id. kNotFound (no such source, or
  // archived); kInvalidArgument "connector: ..." when the source has no SQL connector;
  // kConflict while a scan of it is queued or running.
  [[nodiscard]] core::Result<std::string> Request(const std::string& data_source_id,
                                                  const std::string& actor);
  // The source's latest scan. kNotFound "no such data source", or "the source was never
  // scanned".
  [[nodiscard]] core::Result<core::SourceScan> Get(const std::string& data_source_id);

  // Runs a `source.scan` job. A job that is no longer the source's latest scan does nothing.
  // A source that cannot be read marks the scan failed (with the reason) and succeeds, so the
  // job is not retried: the admin fixes the connector and asks again. Errors only when the
  // store cannot record the outcome (the worker retries).
  [[nodiscard]] core::Status Run(const core::Job& job);

 private:
  core::Status Record(const core::SourceScan& scan);

  core::Store& store_;
  const core::Crypto& crypto_;
  const core::Clock& clock_;
  const ValueDetectors& detectors_;
  const SourceScanPolicy policy_;
  const core::ConnectorRegistry* connectors_;
};

}  // namespace rd::scan
