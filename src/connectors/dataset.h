#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace rd::connectors {

// A dataset mapping in the Fides dataset YAML format (fideslang models.py), as far as SQL
// sources need it. Annotations written for Fides load unchanged; keys we do not use are
// ignored, keys we use are checked.

// A reference from a field to another collection's field. direction "from": the referenced
// field's values find rows here; "to": this field's values find rows there; "" both ways.
struct Reference {
  std::string dataset;     // a fides_key (the dataset's own)
  std::string collection;  // from "collection.field"
  std::string field;
  std::string direction;  // "from", "to" or ""
};

struct Field {
  std::string name;  // nested fields are named "parent.child"
  std::vector<std::string> data_categories;
  std::string identity;  // fides_meta.identity, e.g. "email"
  bool primary_key = false;
  std::string data_type;
  std::vector<Reference> references;
  bool nested = false;  // a sub-field of a document column: not a SQL column of its own
};

struct OptOutField {
  std::string field;
  std::string value;  // as written in the YAML (true, 1, "yes")
};

struct Collection {
  std::string name;
  std::vector<std::string> data_categories;
  std::vector<Field> fields;             // top-level and nested, in document order
  std::vector<std::string> erase_after;  // collection names ("dataset.collection" in YAML)
  bool delete_rows = false;              // masking_strategy_override: {strategy: delete}
  std::optional<OptOutField> opt_out;    // fides_meta.rightsdesk_opt_out

  const Field* FindField(const std::string& name) const;
  // The primary key fields, in order.
  std::vector<const Field*> PrimaryKey() const;
};

struct Dataset {
  std::string fides_key;
  std::string name;
  std::vector<Collection> collections;

  const Collection* FindCollection(const std::string& name) const;
};

// [A-Za-z_][A-Za-z0-9_]*, at most 63 characters: names that are safe to quote in every
// dialect.
bool IsIdentifier(const std::string& s);

// Parses and checks a dataset YAML text: exactly one dataset under `dataset:`, identifiers
// valid, references pointing at existing collections and fields of this dataset, erase_after
// naming existing collections without a cycle, and every collection reachable from an
// identity field (see PlanTraversal). Errors are kInvalidArgument and name the place, e.g.
// "dataset[0].collections[orders].fields[customer_id].fides_meta.references[0].field: no
// collection 'customer'".
[[nodiscard]] core::Result<Dataset> LoadDataset(const std::string& yaml);

}  // namespace rd::connectors
