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
      {[](auto& f) { f.process = "integration"; }, "connector: required for integration sources"},
      {[](auto& f) {
         f.process = "integration";
         f.connector = "{\"kind\":\"sql\",\"url\":\"sqlite:///x.db\"}";
         f.dataset = "dataset: []";
       },
       "process: integration sources are not available here"},
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

namespace rd::core {
namespace {

// Sources from catalog entries, and the inventory fields checked against the taxonomy.
class InventoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    CatalogEntry stripe;
    stripe.key = "stripe";
    stripe.name = "Stripe";
    stripe.category = "payments";
    stripe.domains = {"stripe.com"};
    stripe.privacy_email = "privacy@stripe.com";
    CatalogEntry tool;
    tool.key = "acme_tool";
    tool.name = "Acme Tool";
    tool.category = "productivity";
    tool.privacy_url = "https://acme.example/privacy";
    catalog_ = Catalog({stripe, tool});
    taxonomy_ = DataCategoryTaxonomy({{"user", "User Data", "", "", ""},
                                      {"user.contact", "Contact", "user", "", ""},
                                      {"user.contact.email", "Email", "user.contact", "", ""},
                                      {"user.name", "Name", "user", "", ""}});
    sources_ = std::make_unique<DataSourceService>(temp_->store(), temp_->crypto(), clock_, nullptr,
                                                   &catalog_, &taxonomy_);
  }

  static DataSourceFields FromCatalog(const std::string& key) {
    DataSourceFields f;
    f.catalog_id = key;
    return f;
  }

  FakeClock clock_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  Catalog catalog_;
  DataCategoryTaxonomy taxonomy_;
  std::unique_ptr<DataSourceService> sources_;
};

TEST_F(InventoryTest, TheCatalogEntryFillsWhatTheCallerLeavesOut) {
  auto ds = sources_->Create(FromCatalog("stripe"), "user:admin");
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_EQ(ds->name, "Stripe");
  EXPECT_EQ(ds->category, "payments");
  EXPECT_EQ(ds->process, "email");
  EXPECT_EQ(ds->contact_email, "privacy@stripe.com");
  EXPECT_EQ(ds->catalog_id, "stripe");

  auto tool = sources_->Create(FromCatalog("acme_tool"), "user:admin");
  ASSERT_TRUE(tool) << tool.error().message;
  EXPECT_EQ(tool->process, "manual");
  EXPECT_NE(tool->instructions.find("https://acme.example/privacy"), std::string::npos);

  DataSourceFields mine = FromCatalog("stripe");
  mine.name = "Stripe EU";
  mine.category = "finance";
  mine.process = "manual";
  mine.contact_email = "";
  auto own = sources_->Create(mine, "user:admin");
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ(own->name, "Stripe EU");
  EXPECT_EQ(own->category, "finance");
  EXPECT_EQ(own->process, "manual");
  EXPECT_EQ(own->contact_email, "");
}

TEST_F(InventoryTest, UnknownCatalogEntriesAndDataCategoriesAreNamed) {
  auto unknown = sources_->Create(FromCatalog("nope"), "user:admin");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message.rfind("catalog_id: 'nope'", 0), 0u);

  DataSourceFields f = FromCatalog("stripe");
  f.data_categories = std::vector<std::string>{"user.contact.email", "user.contact.phone"};
  auto bad = sources_->Create(f, "user:admin");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.rfind("data_categories: 'user.contact.phone'", 0), 0u)
      << bad.error().message;
  f.data_categories = std::vector<std::string>{"user.name", "user.name"};
  EXPECT_EQ(sources_->Create(f, "user:admin").error().message.rfind("data_categories:", 0), 0u);
  f.data_categories = std::vector<std::string>{"User.Name"};
  EXPECT_EQ(sources_->Create(f, "user:admin").error().message.rfind("data_categories:", 0), 0u);
  f.data_categories.reset();
  f.owner = "line\nbreak";
  EXPECT_EQ(sources_->Create(f, "user:admin").error().message.rfind("owner:", 0), 0u);
  f.owner.reset();
  f.description = std::string(kMaxDescriptionBytes + 1, 'd');
  EXPECT_EQ(sources_->Create(f, "user:admin").error().message.rfind("description:", 0), 0u);
  auto list = sources_->List();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

TEST_F(InventoryTest, OwnerDescriptionAndCategoriesAreStoredAndChanged) {
  DataSourceFields f = FromCatalog("stripe");
  f.owner = "Finance team";
  f.description = "Card payments.\nEU shop only.";
  f.data_categories = std::vector<std::string>{"user.contact.email", "user.name"};
  auto ds = sources_->Create(f, "user:admin");
  ASSERT_TRUE(ds) << ds.error().message;
  auto read = sources_->Get(ds->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->owner, "Finance team");
  EXPECT_EQ(read->description, "Card payments.\nEU shop only.");
  EXPECT_EQ(read->data_categories, (std::vector<std::string>{"user.contact.email", "user.name"}));
  DataSourceFields change;
  change.data_categories = std::vector<std::string>{"user"};
  auto updated = sources_->Update(ds->id, change, "user:admin");
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(sources_->Get(ds->id)->data_categories, std::vector<std::string>{"user"});
  EXPECT_EQ(sources_->Get(ds->id)->owner, "Finance team");
  change.data_categories = std::vector<std::string>{"user.unknown"};
  EXPECT_EQ(sources_->Update(ds->id, change, "user:admin").error().code, Errc::kInvalidArgument);
}

TEST_F(InventoryTest, ListsFilterByCategoryAndRequestHandling) {
  auto a = sources_->Create(FromCatalog("stripe"), "user:admin");
  DataSourceFields off = FromCatalog("acme_tool");
  off.request_handling = false;
  auto b = sources_->Create(off, "user:admin");
  ASSERT_TRUE(a && b);
  auto ids = [&](const DataSourceFilter& filter) {
    std::vector<std::string> out;
    auto list = sources_->List(filter);
    EXPECT_TRUE(list) << list.error().message;
    for (const auto& ds : *list) out.push_back(ds.id);
    return out;
  };
  EXPECT_EQ(ids({}).size(), 2u);
  EXPECT_EQ(ids({"payments", std::nullopt}), std::vector<std::string>{a->id});
  EXPECT_EQ(ids({"", true}), std::vector<std::string>{a->id});
  EXPECT_EQ(ids({"", false}), std::vector<std::string>{b->id});
  EXPECT_TRUE(ids({"payments", false}).empty());
}

}  // namespace
}  // namespace rd::core
