#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.h"
#include "core/discovery.h"
#include "core/result.h"
#include "discovery/registrable_domain.h"

namespace rd::discovery {

// One CSV record; fields unquoted.
using CsvRow = std::vector<std::string>;

// Splits RFC 4180 CSV (quoted fields with "" escapes and line breaks, CRLF or LF, a leading
// UTF-8 BOM dropped). A record whose quote is never closed is dropped and counted in
// `*broken`.
std::vector<CsvRow> ParseCsv(std::string_view text, std::int64_t* broken);

// Matches application names to catalog entries: by the catalog's name or key (ignoring case,
// punctuation, a trailing ".com" and words such as "SSO" or "SAML"), by the longest catalog
// name the app's name starts with ("Slack for Google Drive" → Slack), or by a domain in the
// name ("salesforce.com"). Immutable; thread-safe.
class AppNameMatcher {
 public:
  AppNameMatcher(const core::Catalog& catalog, const DomainMapper& domains);
  // nullptr when no entry matches.
  const core::CatalogEntry* Match(std::string_view app_name) const;

 private:
  const core::Catalog& catalog_;
  const DomainMapper& domains_;
  std::vector<std::pair<std::string, const core::CatalogEntry*>> names_;  // normalized
};

// Reads an identity provider's application export (see docs/discovery.md for the columns):
// Okta's applications / App Usage report and Google Workspace's OAuth apps / app usage
// export. One system per application: matched to the catalog by name and domain; unmatched
// applications are findings too, named as exported. `recipients` is the number of users.
// kInvalidArgument when the text is not CSV with an application column.
[[nodiscard]] core::Result<core::DiscoveryReport> ReadSsoCsv(std::string_view csv,
                                                             const AppNameMatcher& matcher,
                                                             const DomainMapper& domains);

}  // namespace rd::discovery
