#include "discovery/sso_export.h"

#include <gtest/gtest.h>

#include "discovery/discoverer.h"
#include "discovery/test_catalog.h"

namespace rd::discovery {
namespace {

class SsoExportTest : public ::testing::Test {
 protected:
  core::Catalog catalog_ = TestCatalog();
  Discoverer discoverer_{catalog_, MailboxOptions{}};
};

const core::DiscoveredSystem* Named(const core::DiscoveryReport& r, const std::string& name) {
  for (const auto& s : r.systems) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

TEST(Csv, ParsesQuotesEscapesAndLineEnds) {
  std::int64_t broken = 0;
  auto rows = ParseCsv(
      "\xEF\xBB\xBF"
      "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\n",
      &broken);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (CsvRow{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(rows[1], (CsvRow{"multi\nline", "", "x"}));
  EXPECT_EQ(broken, 0);
  ParseCsv("a,b\n\"never closed,x\n", &broken);
  EXPECT_EQ(broken, 1);
}

TEST_F(SsoExportTest, ReadsAnOktaApplicationReport) {
  const std::string csv =
      "Application,App Label,Status,Users,Last Used\n"
      "salesforce,Salesforce.com,ACTIVE,120,2026-03-01T10:00:00Z\n"
      "slack,Slack SSO,ACTIVE,340,2026-03-02\n"
      "jira_onprem,Jira (atlassian.net),ACTIVE,80,\n"
      "bookmark_app,Payroll Portal,ACTIVE,12,2026-01-15\n"
      ",,ACTIVE,5,\n";
  auto r = discoverer_.ReadSsoExport(csv);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->source, core::FindingSource::kSso);
  EXPECT_EQ(r->read, 4);
  EXPECT_EQ(r->skipped, 1);
  ASSERT_EQ(r->systems.size(), 4u);
  const auto* sf = Named(*r, "Salesforce");
  ASSERT_NE(sf, nullptr);
  EXPECT_EQ(sf->catalog_id, "salesforce");
  EXPECT_EQ(sf->domain, "salesforce.com");
  EXPECT_EQ(sf->recipients, 120);
  core::UnixTime t = 0;
  ASSERT_TRUE(core::ParseRfc3339("2026-03-01T00:00:00Z", &t));
  EXPECT_EQ(sf->last_seen, t);
  EXPECT_EQ(Named(*r, "Slack")->recipients, 340);
  EXPECT_EQ(Named(*r, "Atlassian")->catalog_id, "atlassian");
  const auto* payroll = Named(*r, "Payroll Portal");
  ASSERT_NE(payroll, nullptr);
  EXPECT_EQ(payroll->catalog_id, "");
  EXPECT_EQ(payroll->domain, "");
  EXPECT_EQ(core::FindingMatchKey(*payroll), "app:payroll portal");
}

TEST_F(SsoExportTest, ReadsAGoogleWorkspaceAppExportCountingDistinctUsers) {
  const std::string csv =
      "App name,Client ID,User,Scopes\n"
      "Slack for Google Drive,123.apps.googleusercontent.com,alice@ourco.com,drive\n"
      "Slack for Google Drive,123.apps.googleusercontent.com,bob@ourco.com,drive\n"
      "Slack for Google Drive,123.apps.googleusercontent.com,BOB@ourco.com,drive\n"
      "HubSpot Sales,456.apps.googleusercontent.com,alice@ourco.com,gmail\n"
      "Calendar Helper,789.apps.googleusercontent.com,carol@ourco.com,calendar\n";
  auto r = discoverer_.ReadSsoExport(csv);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->systems.size(), 3u);
  EXPECT_EQ(Named(*r, "Slack")->recipients, 2);
  EXPECT_EQ(Named(*r, "HubSpot")->catalog_id, "hubspot");
  EXPECT_EQ(Named(*r, "Calendar Helper")->catalog_id, "");
}

TEST_F(SsoExportTest, RefusesWhatIsNotAnApplicationExport) {
  for (const std::string bad : {std::string(""), std::string("name;users\nslack;3\n"),
                                std::string("a,b\n1,2\n"), std::string("App name\n\0\0", 11)}) {
    auto r = discoverer_.ReadSsoExport(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind("csv: ", 0), 0u) << r.error().message;
  }
}

}  // namespace
}  // namespace rd::discovery
