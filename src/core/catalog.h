#pragma once

#include <string>
#include <string_view>
#include <vector>

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

}  // namespace rd::core
