#include "app/catalog_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

namespace rd::app {
namespace {

const std::string kBundled = std::string(RD_SOURCE_DIR) + "/catalog";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The bundled file is data a person edits: every entry's shape is checked when it loads, and
// the whole file must keep discovery unambiguous.
TEST(BundledCatalog, LoadsWithEnoughWellFormedEntries) {
  auto text = ReadTextFile(kBundled + "/catalog.json");
  ASSERT_TRUE(text) << text.error().message;
  auto entries = ParseCatalogJson(*text, "catalog.json");
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_GE(entries->size(), 300u);
  std::set<std::string> keys;
  std::map<std::string, std::string> owner;
  std::map<std::string, int> per_category;
  for (const auto& e : *entries) {
    EXPECT_TRUE(core::ValidateCatalogEntry(e)) << e.key;
    EXPECT_TRUE(keys.insert(e.key).second) << "duplicate key " << e.key;
    ++per_category[e.category];
    for (const auto* list : {&e.domains, &e.mail_domains}) {
      for (const auto& d : *list) {
        auto [it, inserted] = owner.emplace(d, e.key);
        EXPECT_TRUE(inserted || it->second == e.key)
            << d << " is owned by " << it->second << " and " << e.key;
      }
    }
  }
  // Every category but "other" has real systems in it.
  for (const auto& c : core::CatalogCategories()) {
    if (c != "other") EXPECT_GE(per_category[c], 5) << c;
  }
}

TEST(BundledCatalog, KnowsTheMailDomainsDiscoveryNeeds) {
  auto loaded = LoadCatalog(kBundled, "");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const auto& c = loaded->catalog;
  for (auto [domain, key] :
       {std::pair{"mcsv.net", "mailchimp"}, std::pair{"rsgsv.net", "mailchimp"},
        std::pair{"sendgrid.net", "sendgrid"}, std::pair{"amazonses.com", "amazon_ses"},
        std::pair{"exacttarget.com", "salesforce_marketing_cloud"},
        std::pair{"stripe.com", "stripe"}}) {
    const auto* e = c.FindByDomain(domain);
    ASSERT_NE(e, nullptr) << domain;
    EXPECT_EQ(e->key, key) << domain;
  }
  for (const char* key : {"mailchimp", "stripe", "hubspot", "zendesk", "intercom"}) {
    ASSERT_NE(c.Find(key), nullptr) << key;
    EXPECT_EQ(c.Find(key)->integration, std::string("saas:") + key);
  }
  for (const char* key : {"postgresql", "mysql", "mariadb", "sqlite"}) {
    ASSERT_NE(c.Find(key), nullptr) << key;
    EXPECT_EQ(c.Find(key)->integration, "sql");
    EXPECT_EQ(c.Find(key)->category, "database");
  }
}

TEST(BundledCatalog, TaxonomyIsFideslangWithParents) {
  auto loaded = LoadCatalog(kBundled, "");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const auto& t = loaded->taxonomy;
  EXPECT_GE(t.categories().size(), 80u);
  for (const char* key :
       {"user", "system", "user.contact.email", "user.contact.phone_number", "user.name",
        "user.financial.bank_account", "user.financial.credit_card", "user.government_id",
        "user.government_id.passport_number", "user.device.ip_address",
        "user.demographic.date_of_birth", "user.contact.address.postal_code"}) {
    EXPECT_NE(t.Find(key), nullptr) << key;
  }
  std::set<std::string> keys;
  for (const auto& c : t.categories()) {
    EXPECT_TRUE(keys.insert(c.key).second) << c.key;
    if (!c.parent.empty()) EXPECT_NE(t.Find(c.parent), nullptr) << c.key;
  }
}

TEST(CatalogJsonParsing, ErrorsNameTheEntryAndField) {
  const std::string head = R"({"entries": [{"key": "ok", "name": "Ok", "category": "crm"}, )";
  struct Case {
    std::string entry;
    std::string expected;
  } cases[] = {
      {R"({"key": "x", "name": "X", "category": "crm", "domains": ["Example.com"]})",
       "entries[1] (x): domains: 'Example.com'"},
      {R"({"key": "x", "name": "X", "category": "nope"})", "entries[1] (x): category"},
      {R"({"key": "x", "name": "X", "category": "crm", "privacy_email": "not-an-email"})",
       "entries[1] (x): privacy_email"},
      {R"({"key": "x", "name": "", "category": "crm"})", "entries[1] (x): name"},
      {R"({"key": "X Y", "name": "X", "category": "crm"})", "entries[1] (X Y): key"},
      {R"({"key": "x", "name": "X", "category": "crm", "domains": "a.com"})",
       "entries[1].domains: must be an array"},
      {R"({"key": "x", "name": "X", "category": "crm", "integration": "ftp"})",
       "entries[1] (x): integration"},
      {R"({"key": "x", "name": "X", "category": "crm", "web": []})",
       "entries[1].web: unknown field"},
      {R"({"key": "ok", "name": "X", "category": "crm"})", "entries[1].key: ok is listed twice"},
  };
  for (const auto& c : cases) {
    auto r = ParseCatalogJson(head + c.entry + "]}", "local.json");
    ASSERT_FALSE(r) << c.entry;
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(Contains(r.error().message, "local.json: " + c.expected)) << r.error().message;
  }
  auto bad = ParseCatalogJson("{not json", "local.json");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(Contains(bad.error().message, "local.json: not valid JSON"));
}

TEST(CatalogJsonParsing, WritesWhatItReads) {
  auto text = ReadTextFile(kBundled + "/catalog.json");
  ASSERT_TRUE(text);
  auto entries = ParseCatalogJson(*text, "catalog.json");
  ASSERT_TRUE(entries);
  auto again = ParseCatalogJson(CatalogJson(*entries), "again");
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(again->size(), entries->size());
  EXPECT_EQ((*again)[7].domains, (*entries)[7].domains);
  EXPECT_EQ((*again)[7].privacy_email, (*entries)[7].privacy_email);
}

TEST(TaxonomyParsing, RefusesMissingParentsAndDuplicates) {
  auto missing = ParseDataCategoriesJson(
      R"({"categories": [{"key": "user", "name": "User", "parent": ""},
                         {"key": "user.contact.email", "name": "Email", "parent": "user.contact"}]})",
      "t.json");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(Contains(missing.error().message, "t.json: categories[1].parent: user.contact"))
      << missing.error().message;
  auto twice = ParseDataCategoriesJson(
      R"({"categories": [{"key": "user", "name": "User"}, {"key": "user", "name": "Again"}]})",
      "t.json");
  ASSERT_FALSE(twice);
  EXPECT_TRUE(Contains(twice.error().message, "categories[1].key")) << twice.error().message;
}

class LocalCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rd_catalog_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    EXPECT_TRUE(WriteTextFile(path, text));
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(LocalCatalogTest, LocalEntriesAddToAndOverrideTheBundledOnes) {
  const std::string local = Write("local.json", R"json({"entries": [
    {"key": "stripe", "name": "Stripe (EU)", "category": "payments", "domains": ["stripe.com"]},
    {"key": "acme_erp", "name": "Acme ERP", "category": "finance", "domains": ["acme-erp.example"]}
  ]})json");
  auto loaded = LoadCatalog(kBundled, local);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->catalog.Find("stripe")->name, "Stripe (EU)");
  EXPECT_EQ(loaded->catalog.FindByDomain("acme-erp.example")->key, "acme_erp");
  auto bundled = LoadCatalog(kBundled, "");
  ASSERT_TRUE(bundled);
  EXPECT_EQ(loaded->catalog.entries().size(), bundled->catalog.entries().size() + 1);
}

TEST_F(LocalCatalogTest, BadFilesNameTheSetting) {
  auto missing = LoadCatalog(kBundled, (dir_ / "nope.json").string());
  ASSERT_FALSE(missing);
  EXPECT_TRUE(Contains(missing.error().message, "catalog.local:")) << missing.error().message;
  auto no_dir = LoadCatalog((dir_ / "nodir").string(), "");
  ASSERT_FALSE(no_dir);
  EXPECT_TRUE(Contains(no_dir.error().message, "catalog.path:")) << no_dir.error().message;
  const std::string bad = Write("bad.json", R"({"entries": [{"key": "a"}]})");
  auto r = LoadCatalog(kBundled, bad);
  ASSERT_FALSE(r);
  EXPECT_TRUE(Contains(r.error().message, bad + ": entries[0] (a): name")) << r.error().message;
}

}  // namespace
}  // namespace rd::app
