#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// The fields of a data source a caller may set. Absent (nullopt) fields keep their value on
// update and take the default on create. `connector` and `dataset` are for integration
// sources, which arrive with the connectors.
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
};

inline constexpr std::size_t kMaxSourceNameBytes = 200;
inline constexpr std::size_t kMaxCategoryBytes = 64;
inline constexpr std::size_t kMaxInstructionsBytes = 20000;
inline constexpr std::size_t kMaxRequestTypes = 50;

// True for a request type key: a built-in name or an admin's custom right,
// [a-z][a-z0-9_]{1,39}.
bool IsTypeKey(std::string_view key);

// True for a SQL connector as the HTTP layer stores it: compact JSON with "kind":"sql" and a
// "url" of sqlite:///, postgresql://, postgres:// or mysql://.
bool IsSqlConnector(std::string_view connector);

// Checks a whole data source as it would be stored, normalizing the contact email in place.
// kInvalidArgument naming the field.
[[nodiscard]] Status ValidateDataSource(DataSource& ds);

// The data inventory (PRODUCT.md §2): create, read, change and archive data sources. Every
// change and its audit event ("data_source.created/updated/archived", {id, process}) commit in
// one transaction. Thread-safe.
class DataSourceService {
 public:
  DataSourceService(Store& store, const Crypto& crypto, const Clock& clock);

  // request_handling defaults to true. Errors: kInvalidArgument naming the field.
  [[nodiscard]] Result<DataSource> Create(const DataSourceFields& in, const std::string& actor);
  // Archived sources too (tasks still name them). kNotFound.
  [[nodiscard]] Result<DataSource> Get(const std::string& id);
  // Sources not archived, by name.
  [[nodiscard]] Result<std::vector<DataSource>> List();
  // Changes the given fields; the result is validated as a whole. kNotFound (also for an
  // archived source), kInvalidArgument naming the field.
  [[nodiscard]] Result<DataSource> Update(const std::string& id, const DataSourceFields& in,
                                          const std::string& actor);
  // Archives the source: it leaves the lists and the pre-selection; tasks keep naming it.
  // kNotFound when there is no such source or it is archived already.
  [[nodiscard]] Status Archive(const std::string& id, const std::string& actor);

 private:
  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
};

}  // namespace rd::core
