#include "core/template_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/fake_clock.h"
#include "core/request_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

class TemplateServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    templates_ =
        std::make_unique<TemplateService>(temp_->store(), renderer_, temp_->crypto(), clock_,
                                          OrgInfo{"Example Shop", "https://privacy.shop.example"});
  }

  // Renders `key` for a sample request, inside a transaction as the services do.
  EmailTemplate RenderFor(const std::string& key, const PrivacyRequest& q) {
    EmailTemplate out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      auto r = templates_->Render(tx, key, templates_->RequestData(q));
      if (!r) return tl::unexpected(r.error());
      out = *r;
      return {};
    }));
    return out;
  }

  std::vector<std::string> AuditKinds() {
    std::vector<std::string> kinds;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      return tx.Audit().ForEach(std::nullopt, 0, 0,
                                [&](const AuditEvent& e) { kinds.push_back(e.kind); });
    }));
    return kinds;
  }

  PrivacyRequest Sample() {
    PrivacyRequest q;
    q.id = "req_0123456789abcdef01234567";
    q.reference = "RD-ABCD-EFGH";
    q.type = RequestType::kCopy;
    q.jurisdiction = "gdpr";
    q.subject = {"ana@example.com", "Ana", ""};
    q.received_at = clock_.Now();
    q.due_at = clock_.Now() + 30 * 86400;
    return q;
  }

  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
};

TEST_F(TemplateServiceTest, ListsEveryKeyOfTheCatalogAsDefaultAtFirst) {
  auto list = templates_->List();
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), TemplateCatalog().size());
  for (const auto& t : *list) {
    EXPECT_FALSE(t.customized) << t.info.key;
    EXPECT_FALSE(t.updated_at);
  }
  EXPECT_EQ(list->front().info.key, "verification");
}

TEST_F(TemplateServiceTest, AnInvalidTemplateIsRefusedWithTheParsersMessage) {
  auto body = templates_->Put("acknowledgement", "Hello", "{{#open}} never closed", "user:usr_a");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(body.error().message.rfind("body: invalid template: ", 0), 0u) << body.error().message;
  EXPECT_NE(body.error().message.find("open"), std::string::npos) << body.error().message;

  auto subject = templates_->Put("acknowledgement", "{{reference", "Fine", "user:usr_a");
  ASSERT_FALSE(subject);
  EXPECT_EQ(subject.error().message.rfind("subject: invalid template: ", 0), 0u)
      << subject.error().message;

  auto detail = templates_->Get("acknowledgement");
  ASSERT_TRUE(detail);
  EXPECT_FALSE(detail->summary.customized) << "nothing stored";
  EXPECT_TRUE(AuditKinds().empty());
}

TEST_F(TemplateServiceTest, RefusesUnknownKeysAndBadSizes) {
  auto unknown = templates_->Put("reply.nonsense", "s", "b", "user:usr_a");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
  EXPECT_EQ(templates_->Get("nope").error().code, Errc::kNotFound);
  EXPECT_EQ(templates_->Reset("nope", "user:usr_a").error().code, Errc::kNotFound);

  const struct {
    std::string subject, body, field;
  } cases[] = {
      {"", "body", "subject: "},
      {std::string(301, 's'), "body", "subject: "},
      {"two\nlines", "body", "subject: "},
      {"subject", "", "body: "},
      {"subject", std::string(20001, 'b'), "body: "},
  };
  for (const auto& c : cases) {
    auto r = templates_->Put("acknowledgement", c.subject, c.body, "user:usr_a");
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind(c.field, 0), 0u) << r.error().message;
  }
  EXPECT_TRUE(templates_->Put("acknowledgement", std::string(300, 's'), std::string(20000, 'b'),
                              "user:usr_a"));
}

TEST_F(TemplateServiceTest, AnOverrideIsRenderedAndResetRestoresTheDefault) {
  const EmailTemplate before = RenderFor("acknowledgement", Sample());
  EXPECT_NE(before.subject.find("we received your privacy request RD-ABCD-EFGH"),
            std::string::npos);

  auto put = templates_->Put("acknowledgement", "Got it: {{reference}}",
                             "Dear {{subject_name}}, {{org_name}} has your {{type_label}} request.",
                             "user:usr_admin");
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_TRUE(put->summary.customized);
  EXPECT_EQ(put->summary.updated_by, "user:usr_admin");
  EXPECT_EQ(*put->summary.updated_at, clock_.Now());
  EXPECT_EQ(put->default_text.subject, DefaultTemplate("acknowledgement")->subject);

  const EmailTemplate edited = RenderFor("acknowledgement", Sample());
  EXPECT_EQ(edited.subject, "Got it: RD-ABCD-EFGH");
  EXPECT_EQ(edited.body, "Dear Ana, Example Shop has your data copy request.");

  auto list = templates_->List();
  ASSERT_TRUE(list);
  int customized = 0;
  for (const auto& t : *list) customized += t.customized ? 1 : 0;
  EXPECT_EQ(customized, 1);

  auto reset = templates_->Reset("acknowledgement", "user:usr_admin");
  ASSERT_TRUE(reset) << reset.error().message;
  EXPECT_FALSE(reset->summary.customized);
  EXPECT_EQ(reset->current.body, DefaultTemplate("acknowledgement")->body);
  EXPECT_EQ(RenderFor("acknowledgement", Sample()).body, before.body);
  EXPECT_EQ(AuditKinds(), (std::vector<std::string>{"template.updated", "template.reset"}));
}

TEST_F(TemplateServiceTest, PreviewRendersGivenTextWithSampleOrRequestData) {
  auto sample = templates_->Preview("verification", std::nullopt, std::nullopt, std::nullopt);
  ASSERT_TRUE(sample) << sample.error().message;
  EXPECT_NE(sample->body.find("123456"), std::string::npos) << "sample code filled in";
  EXPECT_NE(sample->subject.find("Example Shop"), std::string::npos);

  auto text =
      templates_->Preview("reply.deletion.partially_fulfilled", "About {{reference}}",
                          "{{#tasks}}{{source_name}}: {{status}}\n{{/tasks}}", std::nullopt);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->body, "Example CRM: done\nPaper archive: skipped\n");

  auto bad = templates_->Preview("acknowledgement", std::nullopt, "{{#x}}", std::nullopt);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.rfind("body: ", 0), 0u);

  auto missing = templates_->Preview("acknowledgement", std::nullopt, std::nullopt,
                                     std::string("req_missing"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);

  RequestService requests(temp_->store(), temp_->crypto(), clock_, *templates_);
  NewRequest in;
  in.type = "do_not_mail";
  in.subject.email = "ana@example.com";
  in.subject.name = "Ana Real";
  auto q = requests.Create(in, "user:usr_agent");
  ASSERT_TRUE(q) << q.error().message;
  auto real =
      templates_->Preview("acknowledgement", std::nullopt, "{{subject_name}} {{reference}}", q->id);
  ASSERT_TRUE(real) << real.error().message;
  EXPECT_EQ(real->body, "Ana Real " + q->reference);
}

}  // namespace
}  // namespace rd::core
