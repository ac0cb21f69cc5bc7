#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/data_source_service.h"
#include "core/discovery.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// What an import stored: the findings it created or merged into (in the reader's order) and
// how much of the input was read or skipped.
struct DiscoveryImport {
  std::vector<DiscoveryFinding> findings;
  std::int64_t read = 0;
  std::int64_t skipped = 0;
};

// Optional choices of the admin when accepting a finding; absent fields take what the
// catalog entry (or, for an unknown system, the finding) says.
struct AcceptFields {
  std::optional<std::string> name;
  std::optional<std::string> category;
  std::optional<bool> request_handling;
};

// System discovery: reads an input through the SystemReader, stores its systems as findings
// (one per source and domain: a re-run merges into the existing finding, see MergeInto), and
// lets an admin accept a finding (a data source is created through DataSourceService) or
// dismiss it. Each import commits its findings and one "discovery.imported" audit event
// ({source, findings, read, skipped}: counts only) in one transaction. Thread-safe.
class DiscoveryService {
 public:
  DiscoveryService(Store& store, const Crypto& crypto, const Clock& clock, SystemReader& reader,
                   DataSourceService& sources, const Catalog& catalog);

  // Errors: the reader's kInvalidArgument for an input that is not of its kind.
  [[nodiscard]] Result<DiscoveryImport> ImportMailboxUpload(std::string_view bytes,
                                                            MailboxFormat format,
                                                            const std::string& actor);
  [[nodiscard]] Result<DiscoveryImport> ImportMailboxPath(const std::string& path,
                                                          const std::string& actor);
  [[nodiscard]] Result<DiscoveryImport> ImportSso(std::string_view csv, const std::string& actor);
  [[nodiscard]] Result<DiscoveryImport> ImportDns(std::string_view text, const std::string& actor);

  // All findings, or those with `status`.
  [[nodiscard]] Result<std::vector<DiscoveryFinding>> List(std::optional<FindingStatus> status);
  [[nodiscard]] Result<DiscoveryFinding> Get(const std::string& id);

  // Creates a data source from a new finding: from its catalog entry (process "email" to the
  // entry's privacy contact when it has one, else "manual" with instructions), or a manual
  // source named after the finding (category "other") for an unknown system. The finding
  // becomes accepted with the source's id ("discovery.accepted" {id, data_source_id}).
  // kNotFound, kConflict when the finding was accepted or dismissed already, kInvalidArgument
  // from the data source's validation.
  [[nodiscard]] Result<DataSource> Accept(const std::string& id, const AcceptFields& in,
                                          const std::string& actor);
  // kNotFound; kConflict when it was accepted already. Dismissing twice is harmless.
  [[nodiscard]] Result<DiscoveryFinding> Dismiss(const std::string& id, const std::string& actor);

 private:
  [[nodiscard]] Result<DiscoveryImport> Save(Result<DiscoveryReport> report,
                                             const std::string& actor);

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  SystemReader& reader_;
  DataSourceService& sources_;
  const Catalog& catalog_;
};

}  // namespace rd::core
