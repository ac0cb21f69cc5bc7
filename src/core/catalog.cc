#include "core/catalog.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "core/free_text.h"
#include "core/privacy_request.h"

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

bool IsKeyChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         (!first && (c == '_' || c == '-' || c == '.'));
}

}  // namespace

bool IsDomainName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  int labels = 0;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    ++labels;
    start = end + 1;
  }
  // The last label is a top-level domain: never all digits (that would be an IP address).
  const std::string_view tld = name.substr(name.rfind('.') + 1);
  return labels >= 2 && tld.find_first_not_of("0123456789") != std::string_view::npos;
}

Status ValidateCatalogEntry(const CatalogEntry& e) {
  if (e.key.empty() || e.key.size() > 100 || !IsKeyChar(e.key.front(), true) ||
      !std::all_of(e.key.begin(), e.key.end(), [](char c) { return IsKeyChar(c, false); })) {
    return Fail(Errc::kInvalidArgument,
                "key: required, lower-case letters, digits, '_', '-' or '.', at most 100");
  }
  if (e.name.empty() || e.name.size() > 200 || HasControlCharacters(e.name, false)) {
    return Fail(Errc::kInvalidArgument, "name: required, 1 to 200 characters");
  }
  const auto& cats = CatalogCategories();
  if (std::find(cats.begin(), cats.end(), e.category) == cats.end()) {
    return Fail(Errc::kInvalidArgument,
                "category: '" + e.category.substr(0, 64) + "' is not a catalog category");
  }
  std::set<std::string> seen;
  for (const auto* list : {&e.domains, &e.mail_domains}) {
    const char* field = list == &e.domains ? "domains" : "mail_domains";
    for (const auto& d : *list) {
      if (!IsDomainName(d)) {
        return Fail(Errc::kInvalidArgument, std::string(field) + ": '" + d.substr(0, 100) +
                                                "' is not a lower-case domain name");
      }
      if (!seen.insert(d).second) {
        return Fail(Errc::kInvalidArgument, std::string(field) + ": '" + d + "' is listed twice");
      }
    }
  }
  if (!e.privacy_email.empty()) {
    const auto email = NormalizeEmail(e.privacy_email);
    if (!email || *email != e.privacy_email) {
      return Fail(Errc::kInvalidArgument,
                  "privacy_email: not a valid lower-case email address (or \"\" when none)");
    }
  }
  if (!e.privacy_url.empty() &&
      ((e.privacy_url.rfind("https://", 0) != 0 && e.privacy_url.rfind("http://", 0) != 0) ||
       e.privacy_url.size() > 2000 ||
       e.privacy_url.find_first_of(" \t\r\n\"<>") != std::string::npos)) {
    return Fail(Errc::kInvalidArgument, "privacy_url: an http:// or https:// URL, or \"\"");
  }
  const bool saas = e.integration.rfind("saas:", 0) == 0 && e.integration.size() > 5 &&
                    std::all_of(e.integration.begin() + 5, e.integration.end(),
                                [](char c) { return IsKeyChar(c, false); });
  if (!e.integration.empty() && e.integration != "sql" && !saas) {
    return Fail(Errc::kInvalidArgument, "integration: \"\", \"sql\" or \"saas:<spec name>\"");
  }
  if (e.description.size() > 500 || HasControlCharacters(e.description, false)) {
    return Fail(Errc::kInvalidArgument, "description: at most 500 characters, one line");
  }
  return {};
}

const std::vector<std::string>& CatalogCategories() {
  static const std::vector<std::string> kCategories = {
      "crm",           "marketing",      "email_delivery", "analytics",
      "advertising",   "payments",       "support",        "hr",
      "collaboration", "communication",  "cloud_storage",  "ecommerce",
      "database",      "infrastructure", "security",       "productivity",
      "finance",       "other"};
  return kCategories;
}

std::string CatalogCategoryName(std::string_view category) {
  if (category == "crm") return "CRM";
  if (category == "hr") return "HR";
  if (category == "ecommerce") return "E-commerce";
  std::string out(category);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

Result<CatalogPage> SearchCatalog(const Catalog& catalog, const CatalogQuery& query) {
  if (query.q.size() > kMaxCatalogQueryBytes || HasControlCharacters(query.q, false)) {
    return Fail(Errc::kInvalidArgument, "q: at most 200 characters");
  }
  const auto& cats = CatalogCategories();
  if (!query.category.empty() &&
      std::find(cats.begin(), cats.end(), query.category) == cats.end()) {
    return Fail(Errc::kInvalidArgument, "category: '" + query.category.substr(0, 64) +
                                            "' is not a catalog category (see "
                                            "/api/v1/catalog/categories)");
  }
  if (query.limit < 1 || query.limit > kMaxCatalogPage) {
    return Fail(Errc::kInvalidArgument, "limit: from 1 to 500");
  }
  std::size_t offset = 0;
  if (!query.cursor.empty()) {
    // The cursor is the offset of the next page's first match, in decimal.
    if (query.cursor.size() > 9 ||
        query.cursor.find_first_not_of("0123456789") != std::string::npos) {
      return Fail(Errc::kInvalidArgument, "cursor: not a cursor from a previous page");
    }
    offset = std::stoul(query.cursor);
  }
  auto all = catalog.Search(query.q, query.category);
  CatalogPage page;
  page.total = all.size();
  const std::size_t end = std::min(all.size(), offset + static_cast<std::size_t>(query.limit));
  for (std::size_t i = offset; i < end; ++i) page.items.push_back(all[i]);
  if (end < all.size()) page.next_cursor = std::to_string(end);
  return page;
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
