#include "core/catalog.h"

#include <gtest/gtest.h>

namespace rd::core {
namespace {

Catalog Sample() {
  return Catalog(
      {{.key = "mailchimp",
        .name = "Mailchimp",
        .category = "marketing",
        .domains = {"mailchimp.com"},
        .mail_domains = {"mcsv.net", "mcdlv.net"}},
       {.key = "stripe", .name = "Stripe", .category = "payments", .domains = {"stripe.com"}},
       {.key = "hubspot", .name = "HubSpot", .category = "crm", .domains = {"hubspot.com"}}});
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
