#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace rd::store {

struct MigrationReport {
  int current_version = 0;           // after the run
  std::vector<std::string> applied;  // names applied by this run, in order
};

// Applies the embedded migrations (src/store/migrations/NNNN_name.sql) that the database has
// not seen, each in its own transaction, recording them in schema_migrations. Safe to call
// from several processes at once: on PostgreSQL an advisory lock serializes them, on SQLite
// the write lock does. A database newer than this binary is an error (kConflict) naming both
// versions.
[[nodiscard]] core::Result<MigrationReport> Migrate(Database& db);

// The highest migration version this binary knows.
int LatestSchemaVersion();

}  // namespace rd::store
