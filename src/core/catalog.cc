#include "core/catalog.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace rd::core {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Contains(std::string_view haystack, const std::string& lower_needle) {
  return Lower(haystack).find(lower_needle) != std::string::npos;
}

}  // namespace

const std::vector<std::string>& CatalogCategories() {
  static const std::vector<std::string> kCategories = {
      "crm",           "marketing",      "email_delivery", "analytics",
      "advertising",   "payments",       "support",        "hr",
      "collaboration", "communication",  "cloud_storage",  "ecommerce",
      "database",      "infrastructure", "security",       "productivity",
      "finance",       "other"};
  return kCategories;
}

Catalog::Catalog(std::vector<CatalogEntry> entries) {
  std::unordered_map<std::string, std::size_t> index;
  for (auto& e : entries) {
    if (auto it = index.find(e.key); it != index.end()) {
      entries_[it->second] = std::move(e);
    } else {
      index.emplace(e.key, entries_.size());
      entries_.push_back(std::move(e));
    }
  }
}

const CatalogEntry* Catalog::Find(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const CatalogEntry* Catalog::FindByDomain(std::string_view registrable_domain) const {
  const std::string d = Lower(registrable_domain);
  for (const auto& e : entries_) {
    if (std::find(e.domains.begin(), e.domains.end(), d) != e.domains.end() ||
        std::find(e.mail_domains.begin(), e.mail_domains.end(), d) != e.mail_domains.end()) {
      return &e;
    }
  }
  return nullptr;
}

std::vector<const CatalogEntry*> Catalog::Search(std::string_view q,
                                                 std::string_view category) const {
  const std::string needle = Lower(q);
  std::vector<const CatalogEntry*> out;
  for (const auto& e : entries_) {
    if (!category.empty() && e.category != category) continue;
    bool hit = needle.empty() || Contains(e.name, needle) || Contains(e.key, needle);
    for (const auto& d : e.domains) hit = hit || Contains(d, needle);
    if (hit) out.push_back(&e);
  }
  std::sort(out.begin(), out.end(), [](const CatalogEntry* a, const CatalogEntry* b) {
    return Lower(a->name) < Lower(b->name);
  });
  return out;
}

}  // namespace rd::core
