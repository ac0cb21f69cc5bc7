#include "core/package_format.h"

#include <gtest/gtest.h>

namespace rd::core {
namespace {

TEST(ParseFlatObject, ReadsScalarsInOrderAndDecodesStrings) {
  auto m = ParseFlatObject(
      R"({"id":7,"email":"ana@example.com","note":"a \"quoted\"\nline \u00e9","vip":true,)"
      R"("gone":null,"tags":["a","b"],"meta":{"k":"}"}})");
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->size(), 7u);
  EXPECT_EQ((*m)[0].key, "id");
  EXPECT_EQ((*m)[0].text, "7");
  EXPECT_FALSE((*m)[0].is_string);
  EXPECT_EQ((*m)[1].text, "ana@example.com");
  EXPECT_TRUE((*m)[1].is_string);
  EXPECT_EQ((*m)[2].text, "a \"quoted\"\nline \xc3\xa9");
  EXPECT_EQ((*m)[2].raw, R"("a \"quoted\"\nline \u00e9")");
  EXPECT_EQ((*m)[3].text, "true");
  EXPECT_EQ((*m)[4].text, "");
  EXPECT_EQ((*m)[4].raw, "null");
  EXPECT_EQ((*m)[5].raw, R"(["a","b"])");
  EXPECT_EQ((*m)[6].raw, R"({"k":"}"})");
  EXPECT_TRUE(ParseFlatObject("{}")->empty());
}

TEST(ParseFlatObject, RefusesWhatIsNotAnObject) {
  for (const char* bad : {"", "[]", "{", R"({"a":})", R"({"a":1,})", R"({"a":"x)", "{} x"}) {
    EXPECT_FALSE(ParseFlatObject(bad)) << bad;
  }
}

TEST(CsvField, QuotesOnlyWhatNeedsQuotingAndDoublesQuotes) {
  EXPECT_EQ(CsvField("plain", true), "plain");
  EXPECT_EQ(CsvField("a,b", true), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\"", true), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines", true), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere", true), "\"cr\rhere\"");
  EXPECT_EQ(CsvField(" padded ", true), "\" padded \"");
  EXPECT_EQ(CsvField("", true), "");
}

TEST(CsvField, DefusesSpreadsheetFormulasInStringsOnly) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\")", true), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField("+1 555", true), "'+1 555");
  EXPECT_EQ(CsvField("@home", true), "'@home");
  EXPECT_EQ(CsvField("-3", false), "-3");  // a number stays a number
}

TEST(HtmlEscape, EscapesMarkup) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST(FileSlug, KeepsSafeCharactersOnly) {
  EXPECT_EQ(FileSlug("Shop DB (EU)"), "shop-db-eu");
  EXPECT_EQ(FileSlug("order_items"), "order_items");
  EXPECT_EQ(FileSlug("../../etc/passwd"), "etc-passwd");
  EXPECT_EQ(FileSlug("***"), "data");
  EXPECT_EQ(FileSlug(std::string(100, 'a')).size(), 60u);
}

}  // namespace
}  // namespace rd::core
