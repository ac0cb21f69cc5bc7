#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "scan/column_classifier.h"

namespace rd::scan {

struct ForeignKey {
  std::string column;      // in this table
  std::string ref_table;   // the table it points to
  std::string ref_column;  // usually its primary key
};

// One table (or file) as the scan read it: its schema and a sample of every column.
struct SampledTable {
  std::string name;
  std::vector<std::string> primary_key;  // column names, in key order
  std::vector<ForeignKey> foreign_keys;
  std::vector<ColumnSample> columns;  // in declaration order, with their sampled values
  long long rows_sampled = 0;
};

// Progress while sampling: `done` of `total` tables (or files) read so far.
using ProgressFn = std::function<void(int done, int total)>;

inline constexpr int kDefaultSampleRows = 1000;
inline constexpr int kMaxSampleRows = 100000;

// Reads a SQL database's schema (tables, columns with their declared types, primary and
// foreign keys) and the first `sample_rows` rows of every table, every value as text.
// `url`: sqlite:///absolute/path.db (opened read-only), postgresql://user:pass@host:port/db
// (the current schema), or mysql://user:pass@host:port/db. Identifiers are quoted by one
// function and the row limit is bound; nothing is written. kInvalidArgument for a malformed
// URL or a SQLite file that does not exist, kUnavailable when the database cannot be reached
// (the message names the URL without its password).
[[nodiscard]] core::Result<std::vector<SampledTable>> SampleSqlSource(const std::string& url,
                                                                      int sample_rows,
                                                                      const ProgressFn& progress);

// Reads a file: CSV with a header row (.csv), JSON lines (.jsonl, .ndjson: one object per
// line, keys are columns), or plain text (anything else: one column "text", one value per
// line). At most `sample_rows` records. kInvalidArgument naming the path's problem (missing,
// unreadable, a CSV without header, a JSON line that is not an object).
[[nodiscard]] core::Result<SampledTable> SampleFile(const std::string& path, int sample_rows);

}  // namespace rd::scan
