#include "core/catalog.h"

#include <gtest/gtest.h>

#include <functional>

namespace rd::core {
namespace {

CatalogEntry Entry(std::string key, std::string name, std::string category = "",
                   std::vector<std::string> domains = {},
                   std::vector<std::string> mail_domains = {}) {
  CatalogEntry e;
  e.key = std::move(key);
  e.name = std::move(name);
  e.category = std::move(category);
  e.domains = std::move(domains);
  e.mail_domains = std::move(mail_domains);
  return e;
}

Catalog Sample() {
  return Catalog(
      {Entry("mailchimp", "Mailchimp", "marketing", {"mailchimp.com"}, {"mcsv.net", "mcdlv.net"}),
       Entry("stripe", "Stripe", "payments", {"stripe.com"}),
       Entry("hubspot", "HubSpot", "crm", {"hubspot.com"})});
}

TEST(CatalogTest, FindsByKeyAndByWebOrMailDomain) {
  const Catalog c = Sample();
  ASSERT_NE(c.Find("stripe"), nullptr);
  EXPECT_EQ(c.Find("nope"), nullptr);
  EXPECT_EQ(c.FindByDomain("mcsv.net")->key, "mailchimp");
  EXPECT_EQ(c.FindByDomain("MailChimp.com")->key, "mailchimp");
  EXPECT_EQ(c.FindByDomain("example.com"), nullptr);
}

TEST(CatalogTest, SearchesTextAndCategorySortedByName) {
  const Catalog c = Sample();
  auto all = c.Search("", "");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->name, "HubSpot");
  EXPECT_EQ(c.Search("STRI", "").size(), 1u);
  EXPECT_EQ(c.Search("", "crm").size(), 1u);
  EXPECT_TRUE(c.Search("stripe", "crm").empty());
  EXPECT_EQ(c.Search("chimp.com", "").size(), 1u);
}

TEST(CatalogTest, LaterEntryWithSameKeyReplacesEarlier) {
  Catalog c({Entry("a", "Old"), Entry("b", "B"), Entry("a", "New")});
  ASSERT_EQ(c.entries().size(), 2u);
  EXPECT_EQ(c.Find("a")->name, "New");
  EXPECT_EQ(c.entries()[0].key, "a");
}

}  // namespace
}  // namespace rd::core

namespace rd::core {
namespace {

TEST(CatalogShape, DomainNames) {
  for (const char* ok : {"mcsv.net", "analytics.google.com", "x.co", "acme-erp.example", "a1.io"}) {
    EXPECT_TRUE(IsDomainName(ok)) << ok;
  }
  for (const char* bad : {"", "localhost", "Mailchimp.com", "-a.com", "a-.com", "a..com", ".a.com",
                          "a.com.", "1.2.3.4", "a_b.com", "https://a.com", "a.com/x"}) {
    EXPECT_FALSE(IsDomainName(bad)) << bad;
  }
}

TEST(CatalogShape, EntryErrorsNameTheField) {
  CatalogEntry e = Entry("acme", "Acme", "crm", {"acme.com"}, {"acmemail.net"});
  EXPECT_TRUE(ValidateCatalogEntry(e));
  auto with = [&](auto change, const std::string& field) {
    CatalogEntry copy = e;
    change(copy);
    auto st = ValidateCatalogEntry(copy);
    ASSERT_FALSE(st) << field;
    EXPECT_EQ(st.error().message.rfind(field + ":", 0), 0u) << st.error().message;
  };
  with([](CatalogEntry& x) { x.key = "Acme"; }, "key");
  with([](CatalogEntry& x) { x.name = ""; }, "name");
  with([](CatalogEntry& x) { x.category = "misc"; }, "category");
  with([](CatalogEntry& x) { x.domains.push_back("acme.com"); }, "domains");
  with([](CatalogEntry& x) { x.mail_domains = {"acme.com"}; }, "mail_domains");
  with([](CatalogEntry& x) { x.privacy_email = "Privacy@Acme.com"; }, "privacy_email");
  with([](CatalogEntry& x) { x.privacy_url = "ftp://acme.com"; }, "privacy_url");
  with([](CatalogEntry& x) { x.integration = "saas:"; }, "integration");
}

TEST(CatalogSearch, PagesWithACursor) {
  std::vector<CatalogEntry> entries;
  for (int i = 0; i < 7; ++i)
    entries.push_back(Entry("e" + std::to_string(i), "E" + std::to_string(i), "crm"));
  const Catalog c(entries);
  CatalogQuery q;
  q.limit = 3;
  auto p1 = SearchCatalog(c, q);
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->items.size(), 3u);
  EXPECT_EQ(p1->total, 7u);
  q.cursor = p1->next_cursor;
  auto p2 = SearchCatalog(c, q);
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->items[0]->key, "e3");
  q.cursor = p2->next_cursor;
  auto p3 = SearchCatalog(c, q);
  ASSERT_TRUE(p3);
  EXPECT_EQ(p3->items.size(), 1u);
  EXPECT_EQ(p3->next_cursor, "");
  const std::vector<std::pair<std::string, std::function<void(CatalogQuery&)>>> bad_queries = {
      {"limit", [](CatalogQuery& x) { x.limit = 0; }},
      {"cursor", [](CatalogQuery& x) { x.cursor = "abc"; }},
      {"category", [](CatalogQuery& x) { x.category = "misc"; }},
      {"q", [](CatalogQuery& x) { x.q = std::string(201, 'a'); }}};
  for (const auto& [field, change] : bad_queries) {
    CatalogQuery bad;
    change(bad);
    auto r = SearchCatalog(c, bad);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().message.rfind(field + ":", 0), 0u) << r.error().message;
  }
}

TEST(CatalogSearch, CategoryNames) {
  EXPECT_EQ(CatalogCategoryName("crm"), "CRM");
  EXPECT_EQ(CatalogCategoryName("email_delivery"), "Email delivery");
  EXPECT_EQ(CatalogCategoryName("ecommerce"), "E-commerce");
}

}  // namespace
}  // namespace rd::core
