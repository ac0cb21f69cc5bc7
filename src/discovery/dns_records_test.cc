#include "discovery/dns_records.h"

#include <gtest/gtest.h>

#include "discovery/discoverer.h"
#include "discovery/test_catalog.h"

namespace rd::discovery {
namespace {

class DnsRecordsTest : public ::testing::Test {
 protected:
  core::Catalog catalog_ = TestCatalog();
  Discoverer discoverer_{catalog_, MailboxOptions{}};
};

const core::DiscoveredSystem* Find(const core::DiscoveryReport& r, const std::string& domain) {
  for (const auto& s : r.systems) {
    if (s.domain == domain) return &s;
  }
  return nullptr;
}

TEST_F(DnsRecordsTest, MapsSpfIncludesAndVerificationTokensToVendors) {
  const std::string text =
      "; dig ourco.com TXT\n"
      "ourco.com.  300 IN TXT \"v=spf1 ip4:192.0.2.1 include:_spf.google.com "
      "include:servers.mcsv.net\" \" include:sendgrid.net include:mail.zendesk.com ~all\"\n"
      "ourco.com.  300 IN TXT \"atlassian-domain-verification=abc123\"\n"
      "MS=ms12345678\n"
      "google-site-verification=xyz\n"
      "stripe-verification=0f0f0f\n"
      "_dmarc.ourco.com. 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:abc@rua.dmarcvendor.io!10m\"\n"
      "some-unrelated=token\n";
  auto r = discoverer_.ReadDnsRecords(text);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->source, core::FindingSource::kDns);
  EXPECT_EQ(r->read, 7);
  EXPECT_EQ(r->skipped, 0);
  ASSERT_NE(Find(*r, "google.com"), nullptr);
  EXPECT_EQ(Find(*r, "google.com")->catalog_id, "google_workspace");
  EXPECT_EQ(Find(*r, "google.com")->signals,
            (std::vector<std::string>{"spf", "txt:google-site-verification"}));
  EXPECT_EQ(Find(*r, "mcsv.net")->catalog_id, "mailchimp");
  EXPECT_EQ(Find(*r, "sendgrid.net")->catalog_id, "sendgrid");
  EXPECT_EQ(Find(*r, "zendesk.com")->catalog_id, "zendesk");
  EXPECT_EQ(Find(*r, "atlassian.com")->catalog_id, "atlassian");
  EXPECT_EQ(Find(*r, "atlassian.com")->signals,
            (std::vector<std::string>{"txt:atlassian-domain-verification"}));
  // Not in the test catalog: named from the token table.
  ASSERT_NE(Find(*r, "microsoft.com"), nullptr);
  EXPECT_EQ(Find(*r, "microsoft.com")->name, "Microsoft 365");
  EXPECT_EQ(Find(*r, "microsoft.com")->catalog_id, "");
  EXPECT_EQ(Find(*r, "stripe.com")->catalog_id, "stripe");
  ASSERT_NE(Find(*r, "dmarcvendor.io"), nullptr);
  EXPECT_EQ(Find(*r, "dmarcvendor.io")->signals, (std::vector<std::string>{"dmarc"}));
  EXPECT_EQ(r->systems.size(), 8u);
}

TEST_F(DnsRecordsTest, SkipsMalformedRecordsWithACount) {
  const std::string text =
      "\"v=spf1 include:%{i}.macro.example include:servers.mcsv.net -all\"\n"
      "\"v=spf1 include:servers.mcsv.net\n"  // never closed
      "v=spf1 include: ~all\n";
  auto r = discoverer_.ReadDnsRecords(text);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->skipped, 3);
  ASSERT_EQ(r->systems.size(), 1u);
  EXPECT_EQ(r->systems[0].catalog_id, "mailchimp");
}

TEST_F(DnsRecordsTest, RefusesTextWithoutAnyDnsSignal) {
  for (const std::string bad :
       {std::string(""), std::string("hello world\nfoo=bar\n"), std::string("v=spf1\0", 7)}) {
    auto r = discoverer_.ReadDnsRecords(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind("text: ", 0), 0u);
  }
}

}  // namespace
}  // namespace rd::discovery
