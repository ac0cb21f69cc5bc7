#include "core/request_type_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "core/fake_clock.h"
#include "core/request_service.h"
#include "core/template_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

constexpr UnixTime kDay = 86400;

class RequestTypeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    clock_.Set(1'790'000'000);
    types_ = std::make_unique<RequestTypeService>(temp_->store(), clock_);
    templates_ = std::make_unique<TemplateService>(temp_->store(), renderer_, temp_->crypto(),
                                                   clock_, OrgInfo{});
    requests_ =
        std::make_unique<RequestService>(temp_->store(), temp_->crypto(), clock_, *templates_);
  }

  RequestTypeChange PutOk(const std::string& key, const RequestTypeUpdate& u) {
    auto r = types_->Put(key, u, "user:usr_admin");
    EXPECT_TRUE(r) << key << ": " << r.error().message;
    return r ? *r : RequestTypeChange{};
  }

  // The message of the error Put gives, or "" when it succeeds.
  std::string PutError(const std::string& key, const RequestTypeUpdate& u) {
    auto r = types_->Put(key, u, "user:usr_admin");
    if (r) return "";
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    return r.error().message;
  }

  static RequestTypeUpdate Custom(const std::string& name, int deadline_days = 0) {
    RequestTypeUpdate u;
    u.name = name;
    u.description = "Ask us to use your sensitive data only for what you asked for.";
    u.deadline_days = deadline_days;
    return u;
  }

  std::vector<std::string> Keys(const std::vector<RequestTypeSetting>& v) {
    std::vector<std::string> out;
    for (const auto& s : v) out.push_back(s.key);
    return out;
  }

  std::int64_t RequestCount() {
    RequestQuery q;
    q.limit = 200;
    auto page = requests_->List(q, "");
    EXPECT_TRUE(page);
    return page ? static_cast<std::int64_t>(page->items.size()) : -1;
  }

  std::vector<AuditEvent> Events() {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) {
      return tx.Audit().ForEach(std::nullopt, 0, 0, [&](const AuditEvent& e) { out.push_back(e); });
    }));
    return out;
  }

  NewRequest Request(const std::string& type) {
    NewRequest in;
    in.type = type;
    in.subject.email = "ana@example.com";
    in.jurisdiction = "gdpr";
    in.skip_verification = true;
    return in;
  }

  FakeClock clock_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<RequestTypeService> types_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
};

TEST_F(RequestTypeServiceTest, ListsTheFiveBuiltInTypesWithDefaultWording) {
  auto all = types_->List();
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(Keys(*all), (std::vector<std::string>{"deletion", "copy", "do_not_sell", "do_not_mail",
                                                  "right_to_edit"}));
  for (const auto& t : *all) {
    EXPECT_TRUE(t.builtin) << t.key;
    EXPECT_TRUE(t.enabled) << t.key;
    EXPECT_FALSE(t.name.empty()) << t.key;
    EXPECT_FALSE(t.description.empty()) << t.key;
    EXPECT_EQ(t.deadline_days, 0) << t.key;
  }
  EXPECT_EQ(all->front().name, "Delete my data");
}

TEST_F(RequestTypeServiceTest, BuiltInTypesCanBeRenamedAndSwitchedOffButKeepTheirDeadlines) {
  RequestTypeUpdate u;
  u.name = "Erase my account";
  u.enabled = false;
  const auto change = PutOk("deletion", u);
  EXPECT_FALSE(change.created);
  EXPECT_TRUE(change.setting.builtin);
  EXPECT_EQ(change.setting.description, RequestTypeService::BuiltinDefaults()[0].description);

  auto all = types_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->front().key, "deletion");
  EXPECT_EQ(all->front().name, "Erase my account");
  EXPECT_FALSE(all->front().enabled);
  auto enabled = types_->ListEnabled();
  ASSERT_TRUE(enabled);
  EXPECT_EQ(Keys(*enabled),
            (std::vector<std::string>{"copy", "do_not_sell", "do_not_mail", "right_to_edit"}));

  RequestTypeUpdate deadline;
  deadline.deadline_days = 30;
  EXPECT_EQ(PutError("copy", deadline).rfind("deadline_days:", 0), 0u);
  deadline.deadline_days = 0;  // the jurisdiction's rule, as always: accepted
  EXPECT_TRUE(types_->Put("copy", deadline, "user:usr_admin"));

  const auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].kind, "request_type.updated");
  EXPECT_EQ(events[0].detail, R"({"key":"deletion","enabled":false,"created":false})");
  EXPECT_FALSE(events[0].request_id);
}

TEST_F(RequestTypeServiceTest, NamesFollowAChangeAtOnceHereAndWithinSecondsElsewhere) {
  RequestTypeService other_process(temp_->store(), clock_);
  EXPECT_EQ((*types_->Names())["deletion"], "Delete my data");
  EXPECT_EQ((*other_process.Names())["deletion"], "Delete my data");
  RequestTypeUpdate u;
  u.name = "Erase my account";
  PutOk("deletion", u);
  EXPECT_EQ((*types_->Names())["deletion"], "Erase my account");
  EXPECT_EQ((*other_process.Names())["deletion"], "Delete my data");  // still cached
  clock_.Advance(RequestTypeService::kNamesTtlSeconds);
  EXPECT_EQ((*other_process.Names())["deletion"], "Erase my account");
}

TEST_F(RequestTypeServiceTest, CustomRightKeysAreValidated) {
  const std::vector<std::string> bad_keys = {"Bad Key",
                                             "custom",
                                             "a",
                                             "1abc",
                                             "ab-c",
                                             "Abc",
                                             "_abc",
                                             std::string(41, 'a'),
                                             std::string("ab\0c", 4)};
  for (const std::string& bad : bad_keys) {
    EXPECT_EQ(PutError(bad, Custom("Something")).rfind("key:", 0), 0u) << bad;
  }
  EXPECT_NE(PutError("custom", Custom("x")).find("reserved"), std::string::npos);
  EXPECT_TRUE(PutOk(std::string(40, 'a'), Custom("Forty")).created);
  EXPECT_TRUE(PutOk("ab", Custom("Two")).created);
  EXPECT_TRUE(Events().size() == 2u);
}

TEST_F(RequestTypeServiceTest, CustomRightNamesDescriptionsAndDeadlinesAreValidated) {
  EXPECT_EQ(PutError("appeal", RequestTypeUpdate{}).rfind("name:", 0), 0u) << "name required";
  EXPECT_EQ(PutError("appeal", Custom("")).rfind("name:", 0), 0u);
  EXPECT_EQ(PutError("appeal", Custom("   ")).rfind("name:", 0), 0u);
  EXPECT_EQ(PutError("appeal", Custom(std::string(101, 'x'))).rfind("name:", 0), 0u);
  EXPECT_EQ(PutError("appeal", Custom("Tab\there")).rfind("name:", 0), 0u);
  RequestTypeUpdate long_description = Custom("Appeal");
  long_description.description = std::string(1001, 'x');
  EXPECT_EQ(PutError("appeal", long_description).rfind("description:", 0), 0u);
  for (int bad : {-1, 366, 100000}) {
    EXPECT_EQ(PutError("appeal", Custom("Appeal", bad)).rfind("deadline_days:", 0), 0u) << bad;
  }
  EXPECT_TRUE(types_->List()->size() == 5u) << "nothing stored";
  EXPECT_TRUE(Events().empty());

  // Limits count characters: 100 two-byte characters are a valid name.
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "\xc3\xa9";
  EXPECT_TRUE(PutOk("appeal", Custom(accented, 365)).created);
  long_description.description = std::string(1000, 'x');
  long_description.name.reset();  // an update keeps what it leaves out
  const auto again = PutOk("appeal", long_description);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.setting.name, accented);
  EXPECT_EQ(again.setting.deadline_days, 0);
}

TEST_F(RequestTypeServiceTest, CustomRightsAreListedAfterTheBuiltInOnes) {
  PutOk("object_processing", Custom("Object to processing"));
  PutOk("appeal", Custom("Appeal a decision", 45));
  auto all = types_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ(Keys(*all), (std::vector<std::string>{"deletion", "copy", "do_not_sell", "do_not_mail",
                                                  "right_to_edit", "appeal", "object_processing"}));
  EXPECT_FALSE(all->at(5).builtin);
  EXPECT_EQ(all->at(5).deadline_days, 45);
  auto names = types_->Names();
  ASSERT_TRUE(names);
  EXPECT_EQ(names->at("appeal"), "Appeal a decision");
  EXPECT_EQ(names->at("copy"), "Get a copy of my data");
}

TEST_F(RequestTypeServiceTest, ResolveRefusesUnknownAndSwitchedOffTypes) {
  PutOk("limit_sensitive", Custom("Limit use of my sensitive data", 30));
  RequestTypeUpdate off;
  off.enabled = false;
  PutOk("deletion", off);
  PutOk("appeal", Custom("Appeal"));
  PutOk("appeal", off);

  auto unknown = RequestTypeService::Resolve(temp_->store(), "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(unknown.error().message,
            "type: must be one of copy, do_not_sell, do_not_mail, right_to_edit, "
            "limit_sensitive");
  auto disabled = RequestTypeService::Resolve(temp_->store(), "deletion");
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().message, "type: deletion requests are not accepted");
  auto custom_off = RequestTypeService::Resolve(temp_->store(), "appeal");
  ASSERT_FALSE(custom_off);
  EXPECT_EQ(custom_off.error().message, "type: appeal requests are not accepted");
  auto custom = RequestTypeService::Resolve(temp_->store(), "limit_sensitive");
  ASSERT_TRUE(custom);
  EXPECT_EQ(custom->deadline_days, 30);
  EXPECT_FALSE(RequestTypeService::Resolve(temp_->store(), "custom"));
}

TEST_F(RequestTypeServiceTest, ASwitchedOffTypeIsRefusedAndNothingIsStored) {
  RequestTypeUpdate off;
  off.enabled = false;
  PutOk("deletion", off);
  auto r = requests_->Create(Request("deletion"), "user:usr_agent");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "type: deletion requests are not accepted");
  EXPECT_EQ(RequestCount(), 0);

  RequestTypeUpdate on;
  on.enabled = true;
  PutOk("deletion", on);
  EXPECT_TRUE(requests_->Create(Request("deletion"), "user:usr_agent"));
  EXPECT_EQ(RequestCount(), 1);
}

TEST_F(RequestTypeServiceTest, ACustomRightUsesItsOwnDeadlineOrTheJurisdictions) {
  PutOk("limit_sensitive", Custom("Limit use of my sensitive data", 30));
  PutOk("appeal", Custom("Appeal", 0));

  auto limited = requests_->Create(Request("limit_sensitive"), "user:usr_agent");
  ASSERT_TRUE(limited) << limited.error().message;
  EXPECT_EQ(limited->type, RequestType::kCustom);
  EXPECT_EQ(limited->custom_type, "limit_sensitive");
  EXPECT_EQ(TypeKey(*limited), "limit_sensitive");
  EXPECT_EQ(limited->due_at, limited->received_at + 30 * kDay);

  auto appeal = requests_->Create(Request("appeal"), "user:usr_agent");
  ASSERT_TRUE(appeal) << appeal.error().message;
  EXPECT_EQ(appeal->due_at, DueAt(*FindDeadlineRule("gdpr"), appeal->received_at));

  auto stored = requests_->Get(limited->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->custom_type, "limit_sensitive");
  EXPECT_EQ(stored->due_at, limited->due_at);

  // The list filter knows custom keys.
  RequestQuery q;
  q.type = "limit_sensitive";
  auto page = requests_->List(q, "");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, limited->id);

  // Corrections stay a right_to_edit field.
  NewRequest with_corrections = Request("limit_sensitive");
  with_corrections.corrections = R"({"name":"Ana"})";
  auto refused = requests_->Create(with_corrections, "user:usr_agent");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.rfind("corrections:", 0), 0u);
}

}  // namespace
}  // namespace rd::core
