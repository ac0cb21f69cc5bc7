#include "discovery/registrable_domain.h"

#include <gtest/gtest.h>

namespace rd::discovery {
namespace {

TEST(DomainMapper, MapsHostsToRegistrableDomains) {
  DomainMapper m;
  EXPECT_EQ(m.Registrable("mail181.suw11.mcsv.net"), "mcsv.net");
  EXPECT_EQ(m.Registrable("News.AcmeShop.co.uk"), "acmeshop.co.uk");
  EXPECT_EQ(m.Registrable("stripe.com."), "stripe.com");
  EXPECT_EQ(m.Registrable("bounces.example.com.au"), "example.com.au");
}

TEST(DomainMapper, RefusesWhatIsNoHostName) {
  DomainMapper m;
  EXPECT_EQ(m.Registrable(""), "");
  EXPECT_EQ(m.Registrable("co.uk"), "");
  EXPECT_EQ(m.Registrable("localhost"), "");
  EXPECT_EQ(m.Registrable("192.168.0.1"), "");
  EXPECT_EQ(m.Registrable("[10.0.0.1]"), "");
  EXPECT_EQ(m.Registrable("bad host.com"), "");
  EXPECT_EQ(m.Registrable("a..b.com"), "");
}

TEST(DomainMapper, TakesTheHostOfAnAddress) {
  EXPECT_EQ(HostOfAddress("a@B.example.com"), "B.example.com");
  EXPECT_EQ(HostOfAddress("no-at-sign"), "");
}

}  // namespace
}  // namespace rd::discovery
