#include "scan/value_detectors.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdio>
#include <random>
#include <set>
#include <string>

#include "scan/validators.h"

namespace rd::scan {
namespace {

class ValueDetectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = ValueDetectors::Create({});
    ASSERT_TRUE(d) << d.error().message;
    detectors_ = std::move(*d);
    auto s = detectors_->NewScratch();
    ASSERT_TRUE(s);
    scratch_.emplace(std::move(*s));
  }
  ValueMatch Match(std::string_view v) { return detectors_->MatchValue(v, *scratch_); }

  std::unique_ptr<ValueDetectors> detectors_;
  std::optional<ValueDetectors::Scratch> scratch_;
};

TEST_F(ValueDetectorsTest, WholeValuesOfEachKind) {
  EXPECT_TRUE(Match("anna.berg@example.com").Whole(Detector::kEmail));
  EXPECT_TRUE(Match(" +1 (415) 555-2671 ").Whole(Detector::kPhone) ||
              Match("+1 415-867-5309").Whole(Detector::kPhone));
  EXPECT_TRUE(Match("+44 20 7946 0958").Whole(Detector::kPhone));
  EXPECT_TRUE(Match("4111 1111 1111 1111").Whole(Detector::kCard));
  EXPECT_TRUE(Match("DE89 3704 0044 0532 0130 00").Whole(Detector::kIban));
  EXPECT_TRUE(Match("536-22-1234").Whole(Detector::kSsn));
  EXPECT_TRUE(Match("10.0.12.7").Whole(Detector::kIpv4));
  EXPECT_TRUE(Match("2001:db8::1").Whole(Detector::kIpv6));
  EXPECT_TRUE(Match("1984-02-29").Whole(Detector::kDate));
  EXPECT_TRUE(Match("943 476 5919").Whole(Detector::kNhs));
  EXPECT_TRUE(Match("130 692 544").Whole(Detector::kSin));
  EXPECT_TRUE(Match("X1234567L").Whole(Detector::kNifNie));
  EXPECT_TRUE(Match("86095742719").Whole(Detector::kSteuerId));
  EXPECT_TRUE(Match("SW1A 1AA").Whole(Detector::kPostalCode));
  EXPECT_TRUE(Match("221B Baker Street").Contains(Detector::kStreet));
  EXPECT_TRUE(Match("Hauptstraße 12").Contains(Detector::kStreet));
}

TEST_F(ValueDetectorsTest, LookalikesStayNegative) {
  EXPECT_EQ(Match("4111 1111 1111 1112").whole & (1u << int(Detector::kCard)), 0u);
  EXPECT_EQ(Match("Ultra Widget 3000").contains, 0u);
  EXPECT_FALSE(Match("anna@localhost").Contains(Detector::kEmail));
  EXPECT_FALSE(Match("912-22-1234").Contains(Detector::kSsn));
  EXPECT_FALSE(Match("12:30:45").Contains(Detector::kIpv6));
  EXPECT_FALSE(Match("v2.14.0").Contains(Detector::kIpv4));
}

TEST_F(ValueDetectorsTest, FindsEveryOccurrenceInLongTextLikeTheBaseline) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "Order " + std::to_string(100000 + i) + " shipped. Contact anna" + std::to_string(i) +
            "@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111 refunded; "
            "some filler text that is not personal at all, lorem ipsum dolor sit amet. ";
  }
  std::vector<Finding> fast, slow;
  detectors_->Find(text, *scratch_, fast);
  detectors_->FindWithoutPrefilter(text, slow);
  auto key = [](const std::vector<Finding>& v) {
    std::set<std::tuple<int, std::size_t, std::size_t>> s;
    for (const auto& f : v) s.insert({int(f.detector), f.begin, f.end});
    return s;
  };
  EXPECT_EQ(key(fast), key(slow));
  int emails = 0, cards = 0;
  for (const auto& f : fast) {
    emails += f.detector == Detector::kEmail;
    cards += f.detector == Detector::kCard;
  }
  EXPECT_EQ(emails, 200);
  EXPECT_EQ(cards, 200);
}

// bench/rg_compare hands these patterns to ripgrep: one per detector, in enum order, and the
// prefilter pass they make up reports where Find then confirms.
TEST_F(ValueDetectorsTest, ExportsThePrefilterPatternsItSearches) {
  const auto patterns = PrefilterPatterns();
  ASSERT_EQ(patterns.size(), static_cast<std::size_t>(kDetectorCount));
  for (int d = 0; d < kDetectorCount; ++d) {
    EXPECT_EQ(patterns[d].detector, static_cast<Detector>(d));
    EXPECT_FALSE(patterns[d].pattern.empty());
    EXPECT_EQ(patterns[d].caseless, static_cast<Detector>(d) == Detector::kStreet);
  }
  EXPECT_EQ(detectors_->CountPrefilterMatches("nothing personal here", *scratch_), 0u);
  const std::string text = "write to anna.berg@example.com about it";
  EXPECT_GE(detectors_->CountPrefilterMatches(text, *scratch_), 1u);
  std::vector<Finding> found;
  detectors_->Find(text, *scratch_, found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].detector, Detector::kEmail);
}

// The phone validator answers most candidates without libphonenumber's Parse (the NANP shape
// check, IsValidNumber on a number it builds, a per-thread memo). It must answer exactly as
// the plain check did: the shape checks, then Parse + IsValidNumber for the default region.
bool PhoneValidByParse(std::string_view c, const std::string& region) {
  int digits = 0;
  bool marked = false;
  for (char ch : c) {
    if (ch >= '0' && ch <= '9') {
      ++digits;
    } else {
      marked = true;
    }
  }
  if (digits < 7 || digits > 15 || (!marked && digits < 10)) return false;
  if (c.size() >= 10 && c[4] == c[7] && (c[4] == '-' || c[4] == '/' || c[4] == '.')) {
    if (DateValid(c.substr(0, 10))) return false;
  }
  const auto* util = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber number;
  return util->Parse(std::string(c), region, &number) ==
             i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR &&
         util->IsValidNumber(number);
}

// Candidates of the extraction pattern's shape ([+(]?\d[\d .()-]{5,18}\d), leaning towards
// the cases the shortcut decides: country code 1, national prefix 1, international prefix 011,
// real and unassigned area codes, N = 0/1 where NANP wants 2-9, every length from 7 to 16.
std::string PhoneCandidate(std::mt19937_64& rng) {
  static const char* const kLead[] = {"",     "",    "",  "",   "1",  "11", "111",
                                      "1111", "011", "0", "1",  "44", "49", "353",
                                      "0044", "001", "7", "86", "2"};
  static const char* const kArea[] = {"212", "415", "617", "312", "202", "416", "604", "514", "876",
                                      "242", "787", "800", "888", "900", "555", "311", "310", "3",
                                      "911", "123", "021", "199", "999", "345", "649", "20"};
  std::string d = kLead[rng() % std::size(kLead)];
  const int shape = static_cast<int>(rng() % 4);
  if (shape != 3) d += kArea[rng() % std::size(kArea)];
  const int rest = shape == 0   ? 7
                   : shape == 1 ? static_cast<int>(rng() % 10)
                                : static_cast<int>(4 + rng() % 11);
  for (int i = 0; i < rest; ++i) {
    d.push_back(static_cast<char>('0' + (i == 0 && shape == 0 ? 2 + rng() % 8 : rng() % 10)));
  }
  if (d.size() < 2) d += "25";
  std::string c;
  const int start = static_cast<int>(rng() % 10);
  if (start < 3) c.push_back('+');
  if (start == 3) c.push_back('(');
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && i + 1 < d.size() && rng() % 4 == 0) c.push_back(" .-()"[rng() % 5]);
    c.push_back(d[i]);
  }
  return c;
}

TEST(ValueDetectorsPhone, AnswersExactlyAsParseAndIsValidNumber) {
  std::mt19937_64 rng(5);
  for (const std::string region : {"US", "CA", "GB", "DE", "BS"}) {
    SCOPED_TRACE(region);
    DetectorOptions o;
    o.default_region = region;
    auto d = ValueDetectors::Create(o);
    ASSERT_TRUE(d) << d.error().message;
    int valid = 0;
    for (int i = 0; i < 10000; ++i) {
      const std::string c = PhoneCandidate(rng);
      const bool expected = PhoneValidByParse(c, region);
      ASSERT_EQ((*d)->ValidatePhone(c), expected) << region << " \"" << c << "\"";
      ASSERT_EQ((*d)->ValidatePhone(c), expected) << region << " \"" << c << "\" (memo)";
      valid += expected;
    }
    EXPECT_GT(valid, 500) << region;  // the comparison covers valid numbers too
  }
  auto us = ValueDetectors::Create({});
  ASSERT_TRUE(us);
  // Every count of leading ones before national numbers of every length and first digit.
  for (const char* lead : {"", "1", "11", "111", "1111", "+", "+1", "+11", "+111", "+1111"}) {
    for (int length = 4; length <= 12; ++length) {
      for (char first = '0'; first <= '9'; ++first) {
        for (int sample = 0; sample < 4; ++sample) {
          std::string c = std::string(lead) + first;
          for (int i = 1; i < length; ++i) c.push_back(static_cast<char>('0' + rng() % 10));
          if (sample % 2) c.insert(c.size() - 4, " ");  // marked, so that short runs count
          ASSERT_EQ((*us)->ValidatePhone(c), PhoneValidByParse(c, "US")) << "\"" << c << "\"";
        }
      }
    }
  }
  // Seven digits, alone or after a 1, every first digit, the shapes answered without Parse.
  int seven_valid = 0;
  for (int sample = 0; sample < 4000; ++sample) {
    std::string c = sample % 3 == 0 ? "1" : "";
    for (int i = 0; i < 7; ++i) {
      c.push_back(static_cast<char>('0' + (i == 0 && sample % 2 ? 3 : rng() % 10)));
    }
    c.insert(c.size() - 4, sample % 4 < 2 ? "-" : " ");
    const bool expected = PhoneValidByParse(c, "US");
    ASSERT_EQ((*us)->ValidatePhone(c), expected) << "\"" << c << "\"";
    seven_valid += expected;
  }
  EXPECT_GT(seven_valid, 10);  // 310 XXXX and 1 310 XXXX are valid US numbers
  EXPECT_TRUE((*us)->ValidatePhone("113.10.97.81"));  // 1 1 310 9781: a US 7-digit number
  EXPECT_TRUE((*us)->ValidatePhone("+1 415 555 2671") ==
              PhoneValidByParse("+1 415 555 2671", "US"));
  EXPECT_TRUE((*us)->ValidatePhone("(212) 255-1234"));
  EXPECT_TRUE((*us)->ValidatePhone("+44 20 7946 0958"));
  EXPECT_FALSE((*us)->ValidatePhone("536-22-1234"));
  EXPECT_FALSE((*us)->ValidatePhone("+1 115 555 2671"));
}

// The Parse memo (one array per thread, cleared when half full) gives the same answers across
// a clearing: 40,000 distinct numbers that Parse must read, each asked twice, some checked
// against Parse itself, and the first ones asked again after the clearing.
TEST(ValueDetectorsPhone, TheMemoKeepsItsAnswersAcrossAClearing) {
  auto us = ValueDetectors::Create({});
  ASSERT_TRUE(us);
  const auto number = [](int i) {
    char c[32];
    std::snprintf(c, sizeof(c), "+44 20 79%02d %04d", i / 10000, i % 10000);
    return std::string(c);
  };
  std::vector<bool> first(40000);
  int valid = 0;
  for (int i = 0; i < 40000; ++i) {
    const std::string c = number(i);
    first[static_cast<std::size_t>(i)] = (*us)->ValidatePhone(c);
    ASSERT_EQ((*us)->ValidatePhone(c), first[static_cast<std::size_t>(i)]) << c;
    if (i % 500 == 0) {
      ASSERT_EQ(first[static_cast<std::size_t>(i)], PhoneValidByParse(c, "US")) << c;
    }
    valid += first[static_cast<std::size_t>(i)];
  }
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ((*us)->ValidatePhone(number(i)), first[static_cast<std::size_t>(i)]) << number(i);
  }
  EXPECT_GT(valid, 1000);
}

TEST(ValueDetectorsCreate, RefusesAnUnknownPhoneRegion) {
  DetectorOptions o;
  o.default_region = "XX";
  auto d = ValueDetectors::Create(o);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("scan.phone_region"), std::string::npos);
}

}  // namespace
}  // namespace rd::scan
