#include "core/catalog.h"

#include <gtest/gtest.h>

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
