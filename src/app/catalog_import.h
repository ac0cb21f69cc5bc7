#pragma once

#include <string>
#include <vector>

#include "core/catalog.h"
#include "core/result.h"

namespace rd::app {

// Import from the community company databases (datenanfragen/data `companies/*.json`, CC0):
// one JSON object per file with `name`, `web` (a URL or domain, or a list of them), `email`
// (the privacy contact), `categories` (their coarse categories) and optionally `slug`.
struct CompanyImport {
  std::vector<core::CatalogEntry> entries;  // valid, new to the catalog, in file-name order
  int files = 0;                            // .json files read
  int already_known = 0;                    // skipped: a web domain or key the catalog already has
  std::vector<std::string> skipped;         // "<file>: <why>" for each malformed file
};

// Maps one company file's text to a catalog entry ("source" names it in errors). The key is
// the slug (else the name) made lower-case with '_' for anything but letters, digits, '-'
// and '.'; the category maps theirs to ours (ads → advertising, commerce → ecommerce, finance,
// credit agency, collection and insurance → finance, telecommunication → communication,
// social media → advertising, else other). kInvalidArgument naming the field.
[[nodiscard]] core::Result<core::CatalogEntry> CompanyToEntry(const std::string& text);

// Reads every *.json file of `dir` (not recursive), skipping malformed ones with the reason,
// and companies `known` already has (by key or by any web domain). kNotFound when `dir` is not
// a directory.
[[nodiscard]] core::Result<CompanyImport> ImportCompanies(const std::string& dir,
                                                          const core::Catalog& known);

// The host of a URL or a bare domain, lower-case, without "www."; "" when it is neither.
std::string WebDomain(std::string_view url_or_domain);

}  // namespace rd::app
