#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/catalog.h"
#include "core/clock.h"
#include "core/connector.h"
#include "core/crypto.h"
#include "core/data_category.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// The fields of a data source a caller may set. Absent (nullopt) fields keep their value on
// update and take the default on create. `connector` and `dataset` are for integration
// sources.
struct DataSourceFields {
  std::optional<std::string> name;
  std::optional<std::string> catalog_id;
  std::optional<std::string> category;
  std::optional<std::string> process;
  std::optional<bool> request_handling;
  std::optional<std::string> contact_email;
  std::optional<std::string> instructions;
  std::optional<std::string> connector;  // JSON text
  std::optional<std::string> dataset;    // Fides dataset YAML
  std::optional<std::vector<std::string>> request_types;
  std::optional<std::string> owner;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> data_categories;  // fideslang keys
};

// The two inventory lists (PRODUCT.md §2): all sources, or those used in request handling;
// either filtered by category.
struct DataSourceFilter {
  std::string category;                  // "" = every category
  std::optional<bool> request_handling;  // nullopt = both
};

inline constexpr std::size_t kMaxSourceNameBytes = 200;
inline constexpr std::size_t kMaxCategoryBytes = 64;
inline constexpr std::size_t kMaxInstructionsBytes = 20000;
inline constexpr std::size_t kMaxRequestTypes = 50;
inline constexpr std::size_t kMaxOwnerBytes = 200;
inline constexpr std::size_t kMaxDescriptionBytes = 4000;
inline constexpr std::size_t kMaxDataCategories = 200;

// True for a request type key: a built-in name or an admin's custom right,
// [a-z][a-z0-9_]{1,39}.
bool IsTypeKey(std::string_view key);

// True for a SQL connector as the HTTP layer stores it: compact JSON with "kind":"sql" and a
// "url" of sqlite:///, postgresql://, postgres:// or mysql://.
bool IsSqlConnector(std::string_view connector);

// Checks a whole data source as it would be stored, normalizing the contact email in place.
// kInvalidArgument naming the field.
[[nodiscard]] Status ValidateDataSource(DataSource& ds);

// The outcome of testing an integration source's connection.
struct ConnectionCheck {
  bool ok = false;
  std::string error;  // why not, naming what to fix
  std::int64_t millis = 0;
};

// The data inventory (PRODUCT.md §2): create, read, change and archive data sources. Every
// change and its audit event ("data_source.created/updated/archived", {id, process}) commit in
// one transaction. Thread-safe.
class DataSourceService {
 public:
  // `connectors` checks and seals integration sources' connectors; without it, integration
  // sources are refused. `catalog` and `taxonomy` (not owned, may be null) check catalog_id and
  // data_categories; without them any well-formed catalog_id and data category key is accepted.
  DataSourceService(Store& store, const Crypto& crypto, const Clock& clock,
                    const ConnectorRegistry* connectors = nullptr, const Catalog* catalog = nullptr,
                    const DataCategoryTaxonomy* taxonomy = nullptr);

  // Sources come back as the API shows them: a connector's secrets replaced by "***" (they
  // are stored sealed and never returned). An integration source needs a connector and a
  // dataset the registry accepts; a connector sent back with "***" keeps the stored secret.
  //
  // request_handling defaults to true. With a catalog_id, the catalog entry fills what the
  // caller left out: name, category, contact_email (the entry's privacy contact) and process
  // (email when the entry has a privacy contact, else manual). Errors: kInvalidArgument naming
  // the field (an unknown catalog_id or data category too).
  [[nodiscard]] Result<DataSource> Create(const DataSourceFields& in, const std::string& actor);
  // Archived sources too (tasks still name them). kNotFound.
  [[nodiscard]] Result<DataSource> Get(const std::string& id);
  // Sources not archived, by name.
  [[nodiscard]] Result<std::vector<DataSource>> List();
  // The same, filtered.
  [[nodiscard]] Result<std::vector<DataSource>> List(const DataSourceFilter& filter);
  // Changes the given fields; the result is validated as a whole. kNotFound (also for an
  // archived source), kInvalidArgument naming the field.
  [[nodiscard]] Result<DataSource> Update(const std::string& id, const DataSourceFields& in,
                                          const std::string& actor);
  // Archives the source: it leaves the lists and the pre-selection; tasks keep naming it.
  // kNotFound when there is no such source or it is archived already; kConflict while tasks
  // of it are open (pending, waiting or running): they must be finished or skipped first.
  [[nodiscard]] Status Archive(const std::string& id, const std::string& actor);
  // Connects to an integration source and reads every mapped collection. A failed connection
  // is a result (ok false, the reason), not an error. kNotFound; kConflict for a source that
  // is not an integration.
  [[nodiscard]] Result<ConnectionCheck> TestConnection(const std::string& id);

 private:
  // For an integration source: checks the connector and dataset and seals the connector's
  // secrets (`connector_given`: ds.connector came from the caller, else it is the stored one).
  [[nodiscard]] Status PrepareConnector(DataSource& ds, const std::string& stored_before,
                                        bool connector_given) const;
  DataSource Shown(DataSource ds) const;
  // catalog_id and data_categories against the catalog and the taxonomy.
  [[nodiscard]] Status CheckReferences(const DataSource& ds) const;

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const ConnectorRegistry* connectors_;
  const Catalog* catalog_;
  const DataCategoryTaxonomy* taxonomy_;
};

}  // namespace rd::core
