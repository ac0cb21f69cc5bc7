#pragma once

#include <string>

#include "connectors/dataset.h"
#include "connectors/sql_config.h"
#include "connectors/traversal.h"
#include "core/connector.h"

namespace rd::connectors {

// Keys per IN list: one statement per collection per batch of at most this many keys.
inline constexpr std::size_t kMaxKeysPerStatement = 500;
// Subjects per EraseMany call worth taking at once: their rows are held in memory together.
inline constexpr std::size_t kMaxSubjectsPerErase = 1000;

// The connector for SQLite, PostgreSQL and MariaDB/MySQL (SOCI), driven by a Fides dataset.
// Each call opens its own connection and closes it. Values are always bound; identifiers
// come from the dataset, were validated when it loaded and are quoted for the dialect.
//
// The walk (find, export, erase, opt out) starts at the identity fields and follows the
// references set-wise: every round collects, per collection and field, the key values not
// asked for yet and reads them with `WHERE field IN (:k1, ..., :kN)`, until no new key turns
// up (cycles end there). Erasure then works in the plan's erase order inside one
// transaction: per collection and batch of primary keys, one DELETE (collection override
// `delete`, or a `delete` strategy for one of its fields) or one UPDATE that masks every
// personal field by the policy (identity fields always; other join keys and primary keys
// never, so that references still hold). After the commit, a re-read by the identities must
// find nothing. Opt-out sets the declared field on the reachable rows, in one transaction.
class SqlConnector final : public core::Connector {
 public:
  SqlConnector(SqlConnectorConfig config, Dataset dataset, TraversalPlan plan);

  core::Status Test() override;
  core::Result<core::ConnectorResult> Find(const core::Identities& ids) override;
  core::Result<core::ConnectorResult> Export(const core::Identities& ids,
                                             core::RowSink& sink) override;
  core::Result<core::ConnectorResult> Erase(const core::Identities& ids,
                                            const std::string& secret) override;
  core::Result<core::ConnectorResult> OptOut(const core::Identities& ids) override;
  // Set-based over the whole batch: one walk for every subject's identities (values per
  // identity field gathered, keys in IN lists of at most kMaxKeysPerStatement), rows
  // attributed to their subjects in memory, one DELETE or UPDATE per collection per key
  // batch in one transaction for all subjects (HMAC masks keyed by each row's subject), then
  // one re-read per identity field per value batch. Erase is EraseMany of one subject.
  core::Result<std::vector<core::ConnectorResult>> EraseMany(
      const std::vector<core::ErasureSubject>& subjects) override;
  // kMaxSubjectsPerErase.
  std::size_t EraseBatchLimit() const override { return kMaxSubjectsPerErase; }

  // `name` quoted for the dialect ("name" or `name`). `name` must be an identifier.
  static std::string QuoteIdentifier(SqlDialect dialect, const std::string& name);

 private:
  struct Impl;
  SqlConnectorConfig config_;
  Dataset dataset_;
  TraversalPlan plan_;
};

}  // namespace rd::connectors
