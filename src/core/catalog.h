#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rd::core {

// One known system (a SaaS vendor or a database kind) of the bundled catalog (PRODUCT.md §2).
// Data sources are created from entries; discovery maps sender and DNS domains to them.
struct CatalogEntry {
  std::string key;                        // stable id, e.g. "mailchimp"
  std::string name;                       // "Mailchimp"
  std::string category;                   // one of CatalogCategories()
  std::vector<std::string> domains;       // registrable web domains, e.g. "mailchimp.com"
  std::vector<std::string> mail_domains;  // registrable domains it sends mail from
  std::string privacy_email;              // published privacy/DSAR contact; "" when none
  std::string privacy_url;                // deletion / privacy request page; "" when none
  std::string integration;                // "saas:<spec>", "sql", "" (email or manual only)
  std::string description;
};

// The categories an entry may have, in display order.
const std::vector<std::string>& CatalogCategories();
// A category's label for people ("crm" → "CRM", "email_delivery" → "Email delivery").
std::string CatalogCategoryName(std::string_view category);

// True for a lower-case DNS name of at least two labels ("mcsv.net", "analytics.google.com"):
// letters, digits and inner hyphens, labels of 1 to 63 characters, at most 253 in all.
bool IsDomainName(std::string_view name);

// Checks one entry's shape: key ([a-z0-9][a-z0-9_.-]*, at most 100), name (1 to 200
// characters), a category of CatalogCategories(), domain names (IsDomainName, none twice),
// a valid privacy_email or "", an http(s) privacy_url or "", integration "", "sql" or
// "saas:<name>". kInvalidArgument naming the field ("domains: 'X' is not ...").
[[nodiscard]] Status ValidateCatalogEntry(const CatalogEntry& entry);

// An immutable, searchable set of entries. Lookups are by exact key, by registrable domain
// (web or mail domain, lower case) and by free text over name, key and domains.
class Catalog {
 public:
  Catalog() = default;
  // Entries keep their order; a later entry with the key of an earlier one replaces it (a
  // local catalog extends and overrides the bundled one).
  explicit Catalog(std::vector<CatalogEntry> entries);

  const std::vector<CatalogEntry>& entries() const { return entries_; }
  // nullptr when unknown.
  const CatalogEntry* Find(std::string_view key) const;
  // The entry owning `registrable_domain` (e.g. "mcsv.net" → Mailchimp); nullptr when none.
  const CatalogEntry* FindByDomain(std::string_view registrable_domain) const;
  // Case-insensitive substring match of `q` on name, key and domains (empty `q`: all), and
  // exact `category` when not empty; by name.
  std::vector<const CatalogEntry*> Search(std::string_view q, std::string_view category) const;

 private:
  std::vector<CatalogEntry> entries_;
};

// One page of a catalog search (GET /api/v1/catalog). `cursor` is the opaque next_cursor of
// the previous page ("" for the first).
struct CatalogQuery {
  std::string q;
  std::string category;
  int limit = 50;
  std::string cursor;
};
inline constexpr int kMaxCatalogPage = 500;
inline constexpr std::size_t kMaxCatalogQueryBytes = 200;

struct CatalogPage {
  std::vector<const CatalogEntry*> items;  // point into the catalog searched
  std::string next_cursor;                 // "" on the last page
  std::size_t total = 0;                   // matches over all pages
};

// Catalog::Search, one page at a time. kInvalidArgument naming the field: q longer than 200
// bytes, a category not in CatalogCategories(), limit outside 1..500, a cursor not from a
// previous page.
[[nodiscard]] Result<CatalogPage> SearchCatalog(const Catalog& catalog, const CatalogQuery& query);

}  // namespace rd::core
