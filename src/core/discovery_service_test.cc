#include "core/discovery_service.h"

#include <gtest/gtest.h>

#include "core/fake_clock.h"
#include "discovery/test_catalog.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

// Hands out the report a test set.
class FakeReader final : public SystemReader {
 public:
  Result<DiscoveryReport> next = DiscoveryReport{};
  Result<DiscoveryReport> ReadMailboxPath(const std::string&) override { return next; }
  Result<DiscoveryReport> ReadMailboxUpload(std::string_view, MailboxFormat) override {
    return next;
  }
  Result<DiscoveryReport> ReadSsoExport(std::string_view) override { return next; }
  Result<DiscoveryReport> ReadDnsRecords(std::string_view) override { return next; }
};

DiscoveredSystem Seen(std::string domain, std::string catalog_id, std::string name,
                      std::int64_t messages, UnixTime first, UnixTime last, std::int64_t recipients,
                      std::vector<std::string> signals) {
  DiscoveredSystem s;
  s.domain = std::move(domain);
  s.catalog_id = std::move(catalog_id);
  s.name = std::move(name);
  s.messages = messages;
  s.first_seen = first;
  s.last_seen = last;
  s.recipients = recipients;
  s.signals = std::move(signals);
  return s;
}

class DiscoveryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    sources_ = std::make_unique<DataSourceService>(temp_->store(), temp_->crypto(), clock_);
    service_ = std::make_unique<DiscoveryService>(temp_->store(), temp_->crypto(), clock_, reader_,
                                                  *sources_, catalog_);
  }

  void Report(std::vector<DiscoveredSystem> systems, std::int64_t read = 10,
              std::int64_t skipped = 1, FindingSource source = FindingSource::kMailbox) {
    DiscoveryReport r;
    r.source = source;
    r.systems = std::move(systems);
    r.read = read;
    r.skipped = skipped;
    reader_.next = r;
  }

  std::vector<AuditEvent> Events() {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) {
      return tx.Audit().ForEach(std::nullopt, 0, 0, [&](const AuditEvent& e) { out.push_back(e); });
    }));
    return out;
  }

  Catalog catalog_ = discovery::TestCatalog();
  FakeClock clock_;
  FakeReader reader_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<DataSourceService> sources_;
  std::unique_ptr<DiscoveryService> service_;
};

TEST_F(DiscoveryServiceTest, StoresFindingsAndAuditsCountsOnly) {
  Report({Seen("mcsv.net", "mailchimp", "Mailchimp", 2, 100, 200, 2, {"return_path"}),
          Seen("unknownvendor.io", "", "unknownvendor.io", 3, 50, 60, 1, {"from"})});
  auto imp = service_->ImportMailboxUpload("x", MailboxFormat::kDetect, "user:usr_admin");
  ASSERT_TRUE(imp) << imp.error().message;
  ASSERT_EQ(imp->findings.size(), 2u);
  EXPECT_EQ(imp->read, 10);
  EXPECT_EQ(imp->skipped, 1);
  const auto& f = imp->findings[0];
  EXPECT_EQ(f.id.rfind("fnd_", 0), 0u);
  EXPECT_EQ(f.status, FindingStatus::kNew);
  auto listed = service_->List(FindingStatus::kNew);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  auto got = service_->Get(f.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->domain, "mcsv.net");
  EXPECT_EQ(got->catalog_id, "mailchimp");
  EXPECT_EQ(got->messages, 2);
  EXPECT_EQ(got->first_seen, 100);
  EXPECT_EQ(got->last_seen, 200);
  EXPECT_EQ(got->signals, (std::vector<std::string>{"return_path"}));
  const auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "discovery.imported");
  EXPECT_EQ(events[0].detail, "{\"source\":\"mailbox\",\"findings\":2,\"read\":10,\"skipped\":1}");
}

TEST_F(DiscoveryServiceTest, ARerunMergesIntoTheSameFinding) {
  Report({Seen("mcsv.net", "mailchimp", "Mailchimp", 2, 100, 200, 2, {"return_path"})});
  auto first = service_->ImportMailboxUpload("x", MailboxFormat::kDetect, "user:usr_admin");
  ASSERT_TRUE(first);
  Report({Seen("mcsv.net", "mailchimp", "Mailchimp", 5, 50, 150, 1, {"dkim"})});
  auto second = service_->ImportMailboxPath("/tmp/x", "user:usr_admin");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->findings.size(), 1u);
  EXPECT_EQ(second->findings[0].id, first->findings[0].id);
  auto all = service_->List(std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const auto& f = (*all)[0];
  EXPECT_EQ(f.messages, 7);
  EXPECT_EQ(f.first_seen, 50);
  EXPECT_EQ(f.last_seen, 200);
  EXPECT_EQ(f.recipients, 2);
  EXPECT_EQ(f.signals, (std::vector<std::string>{"return_path", "dkim"}));
  // The same domain from another kind of input is its own finding.
  Report({Seen("mcsv.net", "mailchimp", "Mailchimp", 0, 0, 0, 0, {"spf"})}, 1, 0,
         FindingSource::kDns);
  ASSERT_TRUE(service_->ImportDns("x", "user:usr_admin"));
  EXPECT_EQ(service_->List(std::nullopt)->size(), 2u);
}

TEST_F(DiscoveryServiceTest, AcceptCreatesAnEmailSourceFromTheCatalog) {
  Report({Seen("stripe.com", "stripe", "Stripe", 3, 1, 2, 3, {"from"})});
  auto imp = service_->ImportMailboxUpload("x", MailboxFormat::kDetect, "user:usr_admin");
  ASSERT_TRUE(imp);
  const std::string id = imp->findings[0].id;
  auto ds = service_->Accept(id, {}, "user:usr_admin");
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_EQ(ds->name, "Stripe");
  EXPECT_EQ(ds->catalog_id, "stripe");
  EXPECT_EQ(ds->category, "payments");
  EXPECT_EQ(ds->process, "email");
  EXPECT_EQ(ds->contact_email, "privacy@stripe.com");
  EXPECT_TRUE(ds->request_handling);
  auto f = service_->Get(id);
  EXPECT_EQ(f->status, FindingStatus::kAccepted);
  EXPECT_EQ(f->data_source_id, ds->id);
  EXPECT_EQ(service_->List(FindingStatus::kNew)->size(), 0u);
  EXPECT_EQ(service_->List(FindingStatus::kAccepted)->size(), 1u);
  // Twice: refused, and no second source.
  auto again = service_->Accept(id, {}, "user:usr_admin");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_EQ(sources_->List()->size(), 1u);
  EXPECT_FALSE(service_->Dismiss(id, "user:usr_admin"));
  const auto events = Events();
  EXPECT_EQ(events.back().kind, "discovery.accepted");
  EXPECT_EQ(events.back().detail, "{\"id\":\"" + id + "\",\"data_source_id\":\"" + ds->id + "\"}");
}

TEST_F(DiscoveryServiceTest, AcceptMakesManualSourcesWithoutAPrivacyContact) {
  Report({Seen("hubspot.com", "hubspot", "HubSpot", 1, 1, 1, 1, {"from"}),
          Seen("unknownvendor.io", "", "unknownvendor.io", 3, 1, 1, 1, {"from"})});
  auto imp = service_->ImportMailboxUpload("x", MailboxFormat::kDetect, "user:usr_admin");
  ASSERT_TRUE(imp);
  auto hub = service_->Accept(imp->findings[0].id, {}, "user:usr_admin");
  ASSERT_TRUE(hub) << hub.error().message;
  EXPECT_EQ(hub->process, "manual");
  EXPECT_EQ(hub->category, "crm");
  EXPECT_NE(hub->instructions.find("HubSpot"), std::string::npos);
  AcceptFields in;
  in.name = "Unknown Vendor newsletter";
  in.request_handling = false;
  auto unknown = service_->Accept(imp->findings[1].id, in, "user:usr_admin");
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_EQ(unknown->name, "Unknown Vendor newsletter");
  EXPECT_EQ(unknown->category, "other");
  EXPECT_EQ(unknown->process, "manual");
  EXPECT_FALSE(unknown->request_handling);
}

TEST_F(DiscoveryServiceTest, AcceptRefusesBadChoicesAndStoresNothing) {
  Report({Seen("stripe.com", "stripe", "Stripe", 3, 1, 2, 3, {"from"})});
  auto imp = service_->ImportMailboxUpload("x", MailboxFormat::kDetect, "user:usr_admin");
  ASSERT_TRUE(imp);
  AcceptFields in;
  in.category = "Not A Category!";
  auto ds = service_->Accept(imp->findings[0].id, in, "user:usr_admin");
  ASSERT_FALSE(ds);
  EXPECT_EQ(ds.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(ds.error().message.rfind("category:", 0), 0u);
  EXPECT_EQ(service_->Get(imp->findings[0].id)->status, FindingStatus::kNew);
  EXPECT_TRUE(sources_->List()->empty());
  EXPECT_EQ(service_->Accept("fnd_missing", {}, "user:usr_admin").error().code, Errc::kNotFound);
}

TEST_F(DiscoveryServiceTest, DismissesOnceAndKeepsDismissedOnRerun) {
  Report({Seen("unknownvendor.io", "", "unknownvendor.io", 3, 1, 1, 1, {"from"})});
  auto imp = service_->ImportMailboxUpload("x", MailboxFormat::kDetect, "user:usr_admin");
  ASSERT_TRUE(imp);
  auto d = service_->Dismiss(imp->findings[0].id, "user:usr_admin");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, FindingStatus::kDismissed);
  ASSERT_TRUE(service_->Dismiss(imp->findings[0].id, "user:usr_admin"));
  ASSERT_TRUE(service_->ImportMailboxUpload("x", MailboxFormat::kDetect, "user:usr_admin"));
  auto f = service_->Get(imp->findings[0].id);
  EXPECT_EQ(f->status, FindingStatus::kDismissed);
  EXPECT_EQ(f->messages, 6);
  EXPECT_EQ(service_->Dismiss("fnd_missing", "user:usr_admin").error().code, Errc::kNotFound);
  auto accept = service_->Accept(imp->findings[0].id, {}, "user:usr_admin");
  EXPECT_EQ(accept.error().code, Errc::kConflict);
}

TEST_F(DiscoveryServiceTest, PassesOnTheReadersErrorAndStoresNothing) {
  reader_.next = Fail(Errc::kInvalidArgument, "body: not an mbox");
  auto imp = service_->ImportMailboxUpload("x", MailboxFormat::kMbox, "user:usr_admin");
  ASSERT_FALSE(imp);
  EXPECT_EQ(imp.error().message, "body: not an mbox");
  EXPECT_TRUE(service_->List(std::nullopt)->empty());
  EXPECT_TRUE(Events().empty());
}

}  // namespace
}  // namespace rd::core
