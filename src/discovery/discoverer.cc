#include "discovery/discoverer.h"

#include "discovery/dns_records.h"
#include "discovery/mailbox_reader.h"

namespace rd::discovery {

Discoverer::Discoverer(const core::Catalog& catalog, MailboxOptions options)
    : catalog_(catalog), options_(options), apps_(catalog, domains_) {}

core::Result<core::DiscoveryReport> Discoverer::ReadMailboxPath(const std::string& path) {
  MailboxTally tally(catalog_, domains_, options_);
  if (auto st = discovery::ReadMailboxPath(path, tally); !st) return tl::unexpected(st.error());
  return tally.Finish();
}

core::Result<core::DiscoveryReport> Discoverer::ReadMailboxUpload(std::string_view bytes,
                                                                  core::MailboxFormat format) {
  MailboxTally tally(catalog_, domains_, options_);
  if (auto st = ReadMailboxBytes(bytes, format, tally); !st) return tl::unexpected(st.error());
  return tally.Finish();
}

core::Result<core::DiscoveryReport> Discoverer::ReadSsoExport(std::string_view csv) {
  return ReadSsoCsv(csv, apps_, domains_);
}

core::Result<core::DiscoveryReport> Discoverer::ReadDnsRecords(std::string_view text) {
  return ReadDnsText(text, catalog_, domains_);
}

}  // namespace rd::discovery
