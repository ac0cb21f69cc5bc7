#pragma once

#include "core/catalog.h"
#include "core/discovery.h"
#include "discovery/mailbox_tally.h"
#include "discovery/registrable_domain.h"
#include "discovery/sso_export.h"

namespace rd::discovery {

// The SystemReader port on GMime, libpsl and libzip: mailbox exports (mailbox_reader.h), SSO
// exports (sso_export.h) and DNS records (dns_records.h), matched against `catalog`, which
// must outlive it. Thread-safe: each call keeps its own tally.
class Discoverer final : public core::SystemReader {
 public:
  Discoverer(const core::Catalog& catalog, MailboxOptions options);

  core::Result<core::DiscoveryReport> ReadMailboxPath(const std::string& path) override;
  core::Result<core::DiscoveryReport> ReadMailboxUpload(std::string_view bytes,
                                                        core::MailboxFormat format) override;
  core::Result<core::DiscoveryReport> ReadSsoExport(std::string_view csv) override;
  core::Result<core::DiscoveryReport> ReadDnsRecords(std::string_view text) override;

 private:
  const core::Catalog& catalog_;
  MailboxOptions options_;
  DomainMapper domains_;
  AppNameMatcher apps_;
};

}  // namespace rd::discovery
