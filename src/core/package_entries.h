// The entries of a copy package, read piece by piece from the sources' sealed spools as the
// zip is written: <source>.json and <source>/<collection>.csv (redacted columns left out),
// and small texts (index.html, sources.json). Internal to the package service.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/archive.h"
#include "core/crypto.h"
#include "core/package_service.h"
#include "core/store.h"

namespace rd::core {

// One spooled row: the collection's name and the row's JSON text.
struct SpoolLine {
  std::string collection;
  std::string row;
};

// A spool line ("<collection as JSON string>\t<row JSON>") split.
Result<SpoolLine> SplitLine(const std::string& line);

// The row without the redacted columns of its collection, as JSON text.
std::string RedactRow(const std::string& row, const std::vector<std::string>& redacted);

const PackageCollection* FindCollection(const PackageSource& s, const std::string& name);

// <source>.json: {"source", "data_source_id", "exported_at", "collections": [{"name", "rows":
// [...]}, ...]}, a group per run of rows of one collection.
std::unique_ptr<EntryReader> SourceJsonEntry(Store& store, const Crypto& crypto,
                                             const PackageSource& source, std::string exported_at);

// <source>/<collection>.csv: a header of the collection's columns (redacted ones left out),
// then one line per row of that collection.
std::unique_ptr<EntryReader> CollectionCsvEntry(Store& store, const Crypto& crypto,
                                                const PackageSource& source,
                                                const PackageCollection& collection);

// index.html: what the package holds, per source and collection, with links to the entries.
std::string IndexHtml(const std::string& org, const PrivacyRequest& q,
                      const std::vector<PackageSource>& sources,
                      const std::map<const PackageCollection*, std::string>& csv_names,
                      const std::map<const PackageSource*, std::string>& json_names, UnixTime now);

// A text known in full.
std::unique_ptr<EntryReader> TextEntry(std::string text);

}  // namespace rd::core
