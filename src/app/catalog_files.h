#pragma once

#include <string>
#include <vector>

#include "core/catalog.h"
#include "core/data_category.h"
#include "core/result.h"

namespace rd::app {

// The catalog files: `catalog.json` ({"version": 1, "entries": [CatalogEntry...]}) and
// `data_categories.json` ({"categories": [DataCategory...]}), in the bundled catalog
// directory; a local catalog file has the catalog.json format.

// Parses a catalog file's text. Every entry passes ValidateCatalogEntry and keys are unique
// within the file. kInvalidArgument naming `source`, the entry's index and the field
// ("catalog.json: entries[12].domains: 'X' is not a lower-case domain name").
[[nodiscard]] core::Result<std::vector<core::CatalogEntry>> ParseCatalogJson(
    const std::string& text, const std::string& source);

// Parses and validates (ValidateTaxonomy) a data categories file's text. kInvalidArgument
// naming `source`, the index and the field.
[[nodiscard]] core::Result<std::vector<core::DataCategory>> ParseDataCategoriesJson(
    const std::string& text, const std::string& source);

// The catalog file's text for `entries` (one entry per line, so that diffs stay readable).
std::string CatalogJson(const std::vector<core::CatalogEntry>& entries);

// The whole file at `path`; kNotFound / kUnavailable naming the path.
[[nodiscard]] core::Result<std::string> ReadTextFile(const std::string& path);
// Writes `text` to `path` through a temporary file and a rename. kUnavailable naming the path.
[[nodiscard]] core::Status WriteTextFile(const std::string& path, const std::string& text);

// The bundled catalog directory: catalog/ beside the binary's checkout (build/rightsdesk →
// catalog), or beside the installed binary (bin/rightsdesk → share/rightsdesk/catalog); ""
// when neither exists.
std::string DefaultCatalogDir();

// What the server and CLI search: the bundled catalog extended by the local one, and the
// taxonomy.
struct LoadedCatalog {
  core::Catalog catalog;
  core::DataCategoryTaxonomy taxonomy;
  std::string dir;  // the directory read; "" when no bundled catalog was found
};

// Loads <dir>/catalog.json and <dir>/data_categories.json (dir = `catalog_dir`, or
// DefaultCatalogDir() when empty; with neither, an empty catalog and taxonomy), then the
// local file `local_file` when not empty, whose entries replace bundled entries of the same
// key and add the others. Errors name the file (and the entry): bad startup configuration.
[[nodiscard]] core::Result<LoadedCatalog> LoadCatalog(const std::string& catalog_dir,
                                                      const std::string& local_file);

}  // namespace rd::app
