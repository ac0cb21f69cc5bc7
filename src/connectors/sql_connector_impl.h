// Internal to the SQL connector (sql_connector.cc, sql_erase.cc): the rows a walk finds and
// the state of one connector call (SqlConnector::Impl). Not for other code.
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/sql_connector.h"

namespace rd::connectors {
namespace sql_detail {

using Clock = std::chrono::steady_clock;

std::int64_t MillisSince(Clock::time_point start);

// The first line of a driver's message: SOCI appends context after it.
std::string FirstLine(const std::string& s);

struct Cell {
  bool null = true;
  bool number = false;
  std::string text;
};

Cell ToCell(const soci::row& r, std::size_t i);

using Row = std::vector<Cell>;

// The rows of one collection found so far, by row key, in the order they were found.
struct CollectionRows {
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> index;  // row key -> position in rows
  std::vector<Row> rows;                     // empty when the rows are streamed (Export)
  std::size_t count = 0;                     // rows found

  int Column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
};

// A row as a JSON object text: numbers as numbers, NULL as null, the rest as strings.
std::string RowJson(const CollectionRows& cr, const Row& row);

// ":k0, :k1, ..." for n values.
std::string Placeholders(std::size_t n, const char* prefix);

// A statement with `values` bound in order.
soci::details::prepare_temp_type Prepared(soci::session& sql, const std::string& query,
                                          const std::vector<std::string>& values);

// A value as databases compare identities: ASCII case and trailing spaces ignored (MariaDB's
// default collations do both), so rows found by `IN` are attributed to their subject.
std::string Fold(const std::string& v);

bool IsTrue(const std::string& v);
bool IsFalse(const std::string& v);

}  // namespace sql_detail

struct SqlConnector::Impl {
  using Cell = sql_detail::Cell;
  using Row = sql_detail::Row;
  using CollectionRows = sql_detail::CollectionRows;

  const SqlConnectorConfig& config;
  const Dataset& dataset;
  const TraversalPlan& plan;
  soci::session sql;
  std::int64_t statements = 0;
  std::map<std::string, CollectionRows> found;
  std::map<std::string, std::int64_t> millis;

  Impl(const SqlConnectorConfig& c, const Dataset& d, const TraversalPlan& p)
      : config(c), dataset(d), plan(p) {}

  std::string Q(const std::string& name) const { return QuoteIdentifier(config.url.dialect, name); }

  core::Status Open();

  std::vector<std::string> Columns(const Collection& c) const;

  std::string SelectList(const Collection& c) const;

  // The row's identity within its collection: the primary key, else every column.
  static std::string RowKey(const Collection& c, const CollectionRows& cr, const Row& row);

  // Reads the rows of `c` whose `field` is one of `values`, in batches; calls `on_new` for each
  // row not seen before.
  void Select(const Collection& c, const std::string& field, const std::vector<std::string>& values,
              const std::function<void(const Row&)>& on_new);

  // Set by Export: receives each new row as the walk finds it (instead of keeping it).
  std::function<void(const std::string&, const CollectionRows&, const Row&)> stream;

  // The set-wise walk from the identities (of one subject or many) along the plan's edges,
  // until no new key appears.
  void Walk(const std::vector<const core::Identities*>& subjects);

  void Walk(const core::Identities& ids) { Walk(std::vector<const core::Identities*>{&ids}); }

  // Collections an erasure deletes without reading them first (the walk only gathers the
  // values that find their rows): deleted as a whole, no identity field, reached along
  // exactly one edge and leading nowhere, one primary key. `DELETE ... RETURNING` then reports
  // the rows it removed, so each is still counted for its subject, with one statement per 500
  // parent keys instead of a read and a delete. Not on MySQL (no RETURNING on DELETE).
  std::set<std::string> direct;
  std::map<std::string, std::vector<std::string>> direct_values;

  std::set<std::string> DirectDeletes() const;

  // The one edge into `name`, or nullptr when there is none or more than one.
  const Edge* IncomingEdge(const std::string& name) const;

  // Deletes a direct collection's rows by the gathered values; each deleted row belongs to
  // the owners of the parent rows holding its reference value.
  void DeleteDirect(const Collection& c, core::CollectionOutcome& o);

  // Per collection and row (in found's order): the subjects (indexes into the batch) whose
  // walk reaches the row. Computed in memory after the set-wise walk, by the same seeds and
  // edges: a seed row belongs to the subjects whose identity value it holds; a row reached
  // along an edge to the owners of the row it was reached from. A row no value matches
  // (a collation that ignores more than case and trailing spaces) goes to the first subject.
  std::map<std::string, std::vector<std::vector<int>>> owners;

  void Attribute(const std::vector<const core::Identities*>& subjects);

  core::ConnectorResult Counts(const std::string& action);

  core::CollectionOutcome& Outcome(core::ConnectorResult& r, const std::string& name);

  // The single primary-key column of `c`, or an error naming the collection.
  core::Result<int> KeyColumn(const Collection& c, const char* what);

  std::vector<std::string> Keys(const CollectionRows& cr, int col) const;

  std::int64_t Execute(const std::string& q, const std::vector<std::string>& values);

  // The fields of `c` an erasure overwrites, with their strategy; `delete_rows` is set when
  // the collection's rows go as a whole.
  std::vector<std::pair<const Field*, MaskStrategy>> MaskedFields(const Collection& c,
                                                                  bool* delete_rows) const;

  // Per collection and row: whether a DELETE or UPDATE of the erasure covered it, and per
  // collection whether its rows were deleted (else masked).
  std::map<std::string, std::vector<bool>> touched;
  std::map<std::string, bool> deleted;

  // `secret(i)` keys the HMAC masking of row i (its subject's secret).
  core::Status EraseCollection(const Collection& c,
                               const std::function<const std::string&(std::size_t)>& secret,
                               core::CollectionOutcome& o);

  // Per subject and collection, the rows that still hold one of the subject's identity
  // values: per seed, one SELECT of the values still present per batch of values.
  std::vector<std::map<std::string, std::int64_t>> Verify(
      const std::vector<const core::Identities*>& subjects);

  std::string OptOutValue(const std::string& v) const;
};

}  // namespace rd::connectors
