#include "core/data_source_service.h"

#include <gtest/gtest.h>

#include "core/fake_clock.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

class DataSourceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    sources_ = std::make_unique<DataSourceService>(temp_->store(), temp_->crypto(), clock_);
  }

  static DataSourceFields Manual() {
    DataSourceFields f;
    f.name = "Billing database";
    f.category = "database";
    f.process = "manual";
    f.instructions = "Run the erase script on billing.\nThen note the ticket.";
    return f;
  }

  std::vector<AuditEvent> Events() {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) {
      return tx.Audit().ForEach(std::nullopt, 0, 0, [&](const AuditEvent& e) { out.push_back(e); });
    }));
    return out;
  }

  FakeClock clock_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<DataSourceService> sources_;
};

TEST_F(DataSourceServiceTest, CreatesAManualSourceInRequestHandlingByDefault) {
  auto ds = sources_->Create(Manual(), "user:usr_admin");
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_EQ(ds->id.rfind("ds_", 0), 0u);
  EXPECT_TRUE(ds->request_handling);
  EXPECT_FALSE(ds->archived);
  auto read = sources_->Get(ds->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->name, "Billing database");
  EXPECT_EQ(read->instructions, "Run the erase script on billing.\nThen note the ticket.");
  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "data_source.created");
  EXPECT_EQ(events[0].actor, "user:usr_admin");
  EXPECT_FALSE(events[0].request_id.has_value());
  EXPECT_EQ(events[0].detail, "{\"id\":\"" + ds->id + "\",\"process\":\"manual\"}");
}

TEST_F(DataSourceServiceTest, EmailSourcesNeedAValidContactWhichIsNormalized) {
  DataSourceFields f = Manual();
  f.process = "email";
  auto missing = sources_->Create(f, "user:a");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(missing.error().message.rfind("contact_email:", 0), 0u);
  f.contact_email = " Privacy@Vendor.Example ";
  auto ds = sources_->Create(f, "user:a");
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_EQ(ds->contact_email, "privacy@vendor.example");
}

TEST_F(DataSourceServiceTest, EveryBadFieldIsNamedAndNothingIsStored) {
  struct Case {
    std::function<void(DataSourceFields&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& f) { f.name = ""; }, "name:"},
      {[](auto& f) { f.name = std::string(201, 'x'); }, "name:"},
      {[](auto& f) { f.name = "tab\there"; }, "name:"},
      {[](auto& f) { f.category = "CRM"; }, "category:"},
      {[](auto& f) { f.category.reset(); }, "category:"},
      {[](auto& f) { f.process = "integration"; }, "connector: integration sources need"},
      {[](auto& f) {
         f.process = "integration";
         f.connector = "{\"kind\":\"sql\",\"url\":\"ftp://x\"}";
       },
       "connector: integration sources need"},
      {[](auto& f) { f.process = "fax"; }, "process:"},
      {[](auto& f) { f.contact_email = "not an address"; }, "contact_email:"},
      {[](auto& f) { f.instructions = std::string(20001, 'x'); }, "instructions:"},
      {[](auto& f) { f.request_types = std::vector<std::string>{"Deletion"}; }, "request_types:"},
      {[](auto& f) {
         f.request_types = std::vector<std::string>{"copy", "copy"};
       },
       "request_types:"},
      {[](auto& f) { f.connector = "{\"kind\":\"sql\"}"; }, "connector:"},
      {[](auto& f) { f.catalog_id = "Has Spaces"; }, "catalog_id:"},
  };
  for (const auto& c : cases) {
    DataSourceFields f = Manual();
    c.change(f);
    auto r = sources_->Create(f, "user:a");
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind(c.field, 0), 0u) << r.error().message;
  }
  EXPECT_TRUE(sources_->List()->empty());
  EXPECT_TRUE(Events().empty());
}

TEST_F(DataSourceServiceTest, IntegrationSourcesAreSqlDatabasesForNow) {
  DataSourceFields f = Manual();
  f.process = "integration";
  f.connector = "{\"kind\":\"sql\",\"url\":\"sqlite:///srv/crm.db\"}";
  f.dataset = "dataset: []";
  auto ds = sources_->Create(f, "user:a");
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_EQ(ds->process, "integration");
}

TEST_F(DataSourceServiceTest, CustomRightKeysAreAcceptedAsRequestTypes) {
  DataSourceFields f = Manual();
  f.request_types = std::vector<std::string>{"deletion", "limit_sensitive_use"};
  auto ds = sources_->Create(f, "user:a");
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_EQ(sources_->Get(ds->id)->request_types,
            (std::vector<std::string>{"deletion", "limit_sensitive_use"}));
}

TEST_F(DataSourceServiceTest, UpdateChangesOnlyTheGivenFieldsAndRevalidatesTheWhole) {
  auto ds = sources_->Create(Manual(), "user:a");
  ASSERT_TRUE(ds);
  clock_.Advance(60);
  DataSourceFields rename;
  rename.name = "Billing DB";
  rename.request_handling = false;
  auto changed = sources_->Update(ds->id, rename, "user:b");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->name, "Billing DB");
  EXPECT_FALSE(changed->request_handling);
  EXPECT_EQ(changed->category, "database");
  EXPECT_EQ(changed->instructions, ds->instructions);
  EXPECT_EQ(changed->updated_at, ds->created_at + 60);

  DataSourceFields to_email;
  to_email.process = "email";  // without a contact: the whole source is no longer valid
  auto refused = sources_->Update(ds->id, to_email, "user:b");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.rfind("contact_email:", 0), 0u);
  EXPECT_EQ(sources_->Get(ds->id)->process, "manual");
  auto events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, "data_source.updated");
}

TEST_F(DataSourceServiceTest, ArchivingHidesTheSourceButKeepsItReadable) {
  auto ds = sources_->Create(Manual(), "user:a");
  ASSERT_TRUE(ds);
  ASSERT_TRUE(sources_->Archive(ds->id, "user:a"));
  EXPECT_TRUE(sources_->List()->empty());
  auto read = sources_->Get(ds->id);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->archived);
  EXPECT_EQ(sources_->Archive(ds->id, "user:a").error().code, Errc::kNotFound);
  EXPECT_EQ(sources_->Update(ds->id, Manual(), "user:a").error().code, Errc::kNotFound);
  EXPECT_EQ(sources_->Archive("ds_nope", "user:a").error().code, Errc::kNotFound);
  EXPECT_EQ(Events().back().kind, "data_source.archived");
}

TEST(TypeKeys, BuiltInNamesAndCustomKeys) {
  EXPECT_TRUE(IsTypeKey("do_not_sell"));
  EXPECT_TRUE(IsTypeKey("appeal"));
  EXPECT_FALSE(IsTypeKey("a"));
  EXPECT_FALSE(IsTypeKey("1abc"));
  EXPECT_FALSE(IsTypeKey("has-dash"));
  EXPECT_FALSE(IsTypeKey(std::string(41, 'a')));
}

}  // namespace
}  // namespace rd::core
