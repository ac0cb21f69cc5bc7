#include "mail/mustache_renderer.h"

#include <gtest/gtest.h>

#include <string>

namespace rd::mail {
namespace {

using core::TemplateData;

std::string Render(const std::string& text, const TemplateData& data, bool escape_html = false) {
  const MustacheRenderer renderer;
  auto out = renderer.Render(text, data, escape_html);
  EXPECT_TRUE(out) << out.error().message;
  return out ? *out : "<error>";
}

TEST(MustacheRenderer, ReplacesValuesAndDropsUnknownNames) {
  TemplateData data;
  data.values = {{"org", "Example GmbH"}, {"reference", "DSR-2026-0042"}};
  EXPECT_EQ(Render("Dear customer,\n{{org}} received request {{ reference }}.{{missing}}\n", data),
            "Dear customer,\nExample GmbH received request DSR-2026-0042.\n");
}

TEST(MustacheRenderer, SectionShownForNonEmptyValueAndSkippedForEmptyOrMissing) {
  const std::string text = "{{#due}}Due on {{due}}.{{/due}}{{^due}}No deadline.{{/due}}";
  TemplateData data;
  data.values = {{"due", "2026-12-01"}};
  EXPECT_EQ(Render(text, data), "Due on 2026-12-01.");
  data.values = {{"due", ""}};
  EXPECT_EQ(Render(text, data), "No deadline.");
  EXPECT_EQ(Render(text, TemplateData{}), "No deadline.");
  data.values = {{"due", ""}};
  EXPECT_EQ(Render("[{{due}}]", data), "[]");  // an empty value still prints as nothing
}

TEST(MustacheRenderer, ListsRepeatTheirSectionPerItem) {
  TemplateData data;
  data.values = {{"org", "Example"}};
  data.lists["systems"] = {{{"name", "CRM"}, {"outcome", "erased"}},
                           {{"name", "Newsletter"}, {"outcome", ""}}};
  const std::string text =
      "{{#systems}}- {{name}} ({{org}}){{#outcome}}: {{outcome}}{{/outcome}}\n{{/systems}}"
      "{{^systems}}No systems.\n{{/systems}}";
  EXPECT_EQ(Render(text, data), "- CRM (Example): erased\n- Newsletter (Example)\n");
  data.lists["systems"].clear();
  EXPECT_EQ(Render(text, data), "No systems.\n");
}

TEST(MustacheRenderer, EscapesHtmlOnlyWhenAsked) {
  TemplateData data;
  data.values = {{"name", "Tom & Jerry <tj@example.com> \"quoted\" 'single'"}};
  EXPECT_EQ(Render("{{name}}", data, /*escape_html=*/true),
            "Tom &amp; Jerry &lt;tj@example.com&gt; &quot;quoted&quot; &apos;single&apos;");
  EXPECT_EQ(Render("{{name}}", data, /*escape_html=*/false),
            "Tom & Jerry <tj@example.com> \"quoted\" 'single'");
}

TEST(MustacheRenderer, TripleBracesAndAmpersandNeverEscape) {
  TemplateData data;
  data.values = {{"html", "<b>R&D</b>"}};
  EXPECT_EQ(Render("{{{html}}} {{& html}}", data, /*escape_html=*/true), "<b>R&D</b> <b>R&D</b>");
  EXPECT_EQ(Render("{{{html}}}", data, /*escape_html=*/false), "<b>R&D</b>");
}

TEST(MustacheRenderer, EscapingAppliesInsideListSections) {
  TemplateData data;
  data.lists["items"] = {{{"v", "a<b"}}};
  EXPECT_EQ(Render("{{#items}}{{v}}{{/items}}", data, true), "a&lt;b");
  EXPECT_EQ(Render("{{#items}}{{v}}{{/items}}", data, false), "a<b");
}

TEST(MustacheRenderer, KeepsUtf8AndLeavesTemplateTextAlone) {
  TemplateData data;
  data.values = {{"name", "Jürgen Groß ✓"}};
  EXPECT_EQ(Render("Grüße, {{name}} & Co.", data, true), "Grüße, Jürgen Groß ✓ & Co.");
}

// Parsed templates are reused: the same text renders each time with its own data, and the
// plain-text and HTML renderings of one text do not share an escaping.
TEST(MustacheRenderer, ReusedTemplateRendersEachCallsDataAndEscaping) {
  const std::string text = "{{name}} & co";
  TemplateData a;
  a.values = {{"name", "<A>"}};
  TemplateData b;
  b.values = {{"name", "B&B"}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Render(text, a), "<A> & co");
    EXPECT_EQ(Render(text, b, true), "B&amp;B & co");
    EXPECT_EQ(Render(text, b), "B&B & co");
  }
}

TEST(MustacheRenderer, ValidateAcceptsGoodTemplates) {
  const MustacheRenderer renderer;
  EXPECT_TRUE(renderer.Validate(""));
  EXPECT_TRUE(renderer.Validate("Hello {{name}}{{#tasks}}{{title}}{{/tasks}}{{! comment }}"));
}

struct BadTemplate {
  const char* text;
  const char* message_part;
};

TEST(MustacheRenderer, InvalidTemplatesAreNamedByValidateAndRender) {
  const MustacheRenderer renderer;
  for (const BadTemplate& bad : {
           BadTemplate{"Hi {{#tasks}}{{title}}", "Unclosed section \"tasks\" at 3"},
           BadTemplate{"Hi {{/tasks}}", "Unopened section \"tasks\""},
           BadTemplate{"Hi {{name", "Unclosed tag at 3"},
           BadTemplate{"{{#a}}{{/b}}", "Unclosed section \"a\""},
           BadTemplate{"{{=<% =}}", "Invalid set delimiter tag"},
       }) {
    const auto valid = renderer.Validate(bad.text);
    ASSERT_FALSE(valid) << bad.text;
    EXPECT_EQ(valid.error().code, core::Errc::kInvalidArgument) << bad.text;
    EXPECT_NE(valid.error().message.find(bad.message_part), std::string::npos)
        << bad.text << " -> " << valid.error().message;

    const auto rendered = renderer.Render(bad.text, TemplateData{}, false);
    ASSERT_FALSE(rendered) << bad.text;
    EXPECT_EQ(rendered.error().code, core::Errc::kInvalidArgument) << bad.text;
    EXPECT_EQ(rendered.error().message, valid.error().message);
  }
}

}  // namespace
}  // namespace rd::mail
