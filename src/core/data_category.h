#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace rd::core {

// One key of the fideslang data category taxonomy ("user.contact.email"): what a data source
// holds and what the scanner labels columns with (PRODUCT.md §2).
struct DataCategory {
  std::string key;          // dotted path; its parent is the key without the last part
  std::string name;         // "User Contact Email"
  std::string parent;       // "" for the roots ("user", "system")
  std::string description;  // one sentence
  std::string replaced_by;  // deprecated keys: the key that replaces it; "" otherwise
};

// The taxonomy, immutable after construction. Thread-safe to read.
class DataCategoryTaxonomy {
 public:
  DataCategoryTaxonomy() = default;
  // Keeps the order given; ValidateTaxonomy should have accepted `categories`.
  explicit DataCategoryTaxonomy(std::vector<DataCategory> categories);

  const std::vector<DataCategory>& categories() const { return categories_; }
  // nullptr when `key` is not in the taxonomy.
  const DataCategory* Find(std::string_view key) const;
  bool empty() const { return categories_.empty(); }

 private:
  std::vector<DataCategory> categories_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Checks a taxonomy's shape: every key is lower-case dotted words ([a-z0-9_] parts), unique,
// has a name, its parent is the key without its last part and exists, and replaced_by (when
// set) names a key that exists. kInvalidArgument naming the entry's index and field
// ("categories[12].parent: ...").
[[nodiscard]] Status ValidateTaxonomy(const std::vector<DataCategory>& categories);

}  // namespace rd::core
