#include "scan/digit_automaton.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "scan/phone_metadata.h"

namespace rd::scan {
namespace {

namespace pn = i18n::phonenumbers;

TEST(DigitAutomaton, MatchesSmallPatterns) {
  const struct {
    const char* pattern;
    std::vector<std::string> yes, no;
  } cases[] = {
      {"[2-9]\\d{2}", {"200", "999"}, {"199", "20", "2000", "", "2a0"}},
      {"(?:1|23)?4", {"4", "14", "234"}, {"24", "1234", "34"}},
      {"3(?:0[0-8]|[1-9]\\d)\\d{0,2}", {"300", "3000", "30000", "399"}, {"309", "300000", "3"}},
      {"[^0-2]\\d*", {"3", "31234", "9"}, {"0", "", "13"}},
      {"5+6?", {"5", "55", "556"}, {"6", "5566", ""}},
      {"(7)|", {"7", ""}, {"77"}},
  };
  for (const auto& c : cases) {
    auto a = DigitAutomaton::Compile(c.pattern);
    ASSERT_TRUE(a) << c.pattern << ": " << a.error().message;
    for (const auto& s : c.yes) EXPECT_TRUE(a->FullMatch(s)) << c.pattern << " " << s;
    for (const auto& s : c.no) EXPECT_FALSE(a->FullMatch(s)) << c.pattern << " " << s;
  }
  auto prefix = DigitAutomaton::Compile("2[0-4]|3");
  ASSERT_TRUE(prefix);
  EXPECT_TRUE(prefix->PrefixMatch("2099"));
  EXPECT_TRUE(prefix->PrefixMatch("3"));
  EXPECT_FALSE(prefix->PrefixMatch("25"));
  EXPECT_FALSE(prefix->PrefixMatch("2"));
  auto empty = DigitAutomaton::Compile("1?");  // the empty prefix matches
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->PrefixMatch("5"));
  EXPECT_TRUE(empty->PrefixMatch(""));
}

TEST(DigitAutomaton, RefusesWhatItCannotMatchExactly) {
  for (const char* p : {"a", "\\s", "(?=1)", "[a-z]", "1{3", "(1", "1)", "1{5,2}", "^1$"}) {
    EXPECT_FALSE(DigitAutomaton::Compile(p)) << p;
  }
  EXPECT_FALSE(DigitAutomaton::Compile("(?:\\d{2}|\\d{3})*[13579]\\d{20}", 50));
}

// Every pattern of libphonenumber's metadata (national number patterns and leading digits)
// that compiles gives RE2's answers, full and prefix matches, on random digit strings shaped
// by the pattern's own example numbers.
TEST(DigitAutomaton, AnswersAsRe2OnEveryMetadataPattern) {
  pn::PhoneMetadataCollection collection;
  ASSERT_TRUE(collection.ParseFromArray(pn::metadata_get(), pn::metadata_size()));
  std::set<std::string> patterns;
  std::vector<std::string> examples;
  for (const pn::PhoneMetadata& m : collection.metadata()) {
    if (!m.leading_digits().empty()) patterns.insert(m.leading_digits());
    for (const pn::PhoneNumberDesc* d :
         {&m.general_desc(), &m.fixed_line(), &m.mobile(), &m.toll_free(), &m.premium_rate(),
          &m.shared_cost(), &m.personal_number(), &m.voip(), &m.pager(), &m.uan(),
          &m.voicemail()}) {
      if (!d->national_number_pattern().empty()) patterns.insert(d->national_number_pattern());
      if (!d->example_number().empty()) examples.push_back(d->example_number());
    }
  }
  std::mt19937_64 rng(5);
  std::size_t compiled = 0, checked = 0;
  for (const std::string& pattern : patterns) {
    auto a = DigitAutomaton::Compile(pattern);
    if (!a) continue;
    ++compiled;
    const re2::RE2 re(pattern);
    ASSERT_TRUE(re.ok()) << pattern;
    for (int k = 0; k < 400; ++k) {
      // An example number, mutated in a digit or cut or extended, or random digits.
      std::string s = examples[rng() % examples.size()];
      switch (rng() % 4) {
        case 0:
          if (!s.empty()) s[rng() % s.size()] = static_cast<char>('0' + rng() % 10);
          break;
        case 1:
          s.resize(rng() % (s.size() + 1));
          break;
        case 2:
          s.push_back(static_cast<char>('0' + rng() % 10));
          break;
        default:
          s.assign(rng() % 14, '0');
          for (char& c : s) c = static_cast<char>('0' + rng() % 10);
      }
      const re2::StringPiece piece(s);
      ASSERT_EQ(a->FullMatch(s), re2::RE2::FullMatch(piece, re)) << pattern << " on " << s;
      ASSERT_EQ(a->PrefixMatch(s), re.Match(piece, 0, s.size(), re2::RE2::ANCHOR_START, nullptr, 0))
          << pattern << " on " << s;
      ++checked;
    }
  }
  EXPECT_GT(compiled, patterns.size() * 9 / 10) << "of " << patterns.size();
  EXPECT_GT(checked, 100000u);
}

}  // namespace
}  // namespace rd::scan
