#include "app/catalog_import.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/catalog_files.h"

namespace rd::app {
namespace {

core::CatalogEntry Known() {
  core::CatalogEntry e;
  e.key = "stripe";
  e.name = "Stripe";
  e.category = "payments";
  e.domains = {"stripe.com"};
  return e;
}

TEST(CompanyImport, MapsTheCommunityFormat) {
  auto e = CompanyToEntry(R"({"slug": "adjust-com", "name": "Adjust GmbH",
      "categories": ["ads"], "email": "Privacy@Adjust.com", "web": "https://www.adjust.com/"})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->key, "adjust-com");
  EXPECT_EQ(e->category, "advertising");
  EXPECT_EQ(e->privacy_email, "privacy@adjust.com");
  ASSERT_EQ(e->domains.size(), 1u);
  EXPECT_EQ(e->domains[0], "adjust.com");

  auto by_name = CompanyToEntry(R"({"name": "Acme Shop AG", "categories": ["commerce"],
      "web": ["acme.example", "https://shop.acme.example/de"]})");
  ASSERT_TRUE(by_name) << by_name.error().message;
  EXPECT_EQ(by_name->key, "acme_shop_ag");
  EXPECT_EQ(by_name->category, "ecommerce");
  EXPECT_EQ(by_name->domains, (std::vector<std::string>{"acme.example", "shop.acme.example"}));
  EXPECT_EQ(by_name->privacy_email, "");
}

TEST(CompanyImport, MalformedCompaniesSayWhy) {
  for (auto [text, expected] :
       {std::pair{"{", "not valid JSON"}, std::pair{"[]", "not a JSON object"},
        std::pair{R"({"web": "a.com"})", "name: required"},
        std::pair{R"({"name": "A", "email": "nope"})", "privacy_email"},
        std::pair{R"({"name": "A", "web": "not a domain"})", "web:"},
        std::pair{R"({"name": "A", "web": 3})", "web:"}}) {
    auto e = CompanyToEntry(text);
    ASSERT_FALSE(e) << text;
    EXPECT_NE(e.error().message.find(expected), std::string::npos) << e.error().message;
  }
}

TEST(CompanyImport, DirectorySkipsMalformedAndKnownWithCounts) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("rd_import_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    ASSERT_TRUE(WriteTextFile((dir / name).string(), text));
  };
  write("a-good.json", R"({"slug": "good", "name": "Good", "web": "good.example"})");
  write("b-broken.json", R"({"slug": "broken", "name": )");
  write("c-stripe.json",
        R"({"slug": "stripe-inc", "name": "Stripe", "web": "https://stripe.com"})");
  write("d-same-domain.json", R"({"slug": "good-2", "name": "Good 2", "web": "good.example"})");
  write("notes.txt", "ignored");
  const core::Catalog known({Known()});
  auto r = ImportCompanies(dir.string(), known);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->files, 4);
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].key, "good");
  EXPECT_EQ(r->already_known, 2);
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].rfind("b-broken.json: ", 0), 0u) << r->skipped[0];

  auto missing = ImportCompanies((dir / "nope").string(), known);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::kNotFound);
}

TEST(CompanyImport, WebDomains) {
  EXPECT_EQ(WebDomain("https://www.Example.com:443/path?q"), "example.com");
  EXPECT_EQ(WebDomain("example.org"), "example.org");
  EXPECT_EQ(WebDomain("http://localhost/"), "");
  EXPECT_EQ(WebDomain(""), "");
}

}  // namespace
}  // namespace rd::app
