#include "core/data_category.h"

#include <set>

namespace rd::core {
namespace {

bool IsCategoryKey(std::string_view key) {
  if (key.empty() || key.size() > 200 || key.front() == '.' || key.back() == '.') return false;
  char prev = '.';
  for (char c : key) {
    if (c == '.' && prev == '.') return false;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) {
      return false;
    }
    prev = c;
  }
  return true;
}

Status At(std::size_t i, const std::string& field, const std::string& what) {
  return Fail(Errc::kInvalidArgument,
              "categories[" + std::to_string(i) + "]." + field + ": " + what);
}

}  // namespace

DataCategoryTaxonomy::DataCategoryTaxonomy(std::vector<DataCategory> categories)
    : categories_(std::move(categories)) {
  for (std::size_t i = 0; i < categories_.size(); ++i) index_.emplace(categories_[i].key, i);
}

const DataCategory* DataCategoryTaxonomy::Find(std::string_view key) const {
  const auto it = index_.find(std::string(key));
  return it == index_.end() ? nullptr : &categories_[it->second];
}

Status ValidateTaxonomy(const std::vector<DataCategory>& categories) {
  std::set<std::string> keys;
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const auto& c = categories[i];
    if (!IsCategoryKey(c.key)) {
      return At(i, "key", "'" + c.key.substr(0, 100) + "' is not a dotted lower-case key");
    }
    if (!keys.insert(c.key).second) return At(i, "key", c.key + " is listed twice");
    if (c.name.empty()) return At(i, "name", "required");
    const auto dot = c.key.rfind('.');
    const std::string expected = dot == std::string::npos ? "" : c.key.substr(0, dot);
    if (c.parent != expected) {
      return At(i, "parent",
                "'" + c.parent + "' but " + c.key + " belongs under '" + expected + "'");
    }
  }
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const auto& c = categories[i];
    if (!c.parent.empty() && keys.count(c.parent) == 0) {
      return At(i, "parent", c.parent + " is not in the taxonomy");
    }
    if (!c.replaced_by.empty() && keys.count(c.replaced_by) == 0) {
      return At(i, "replaced_by", c.replaced_by + " is not in the taxonomy");
    }
  }
  return {};
}

}  // namespace rd::core
