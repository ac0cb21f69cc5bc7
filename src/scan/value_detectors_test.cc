#include "scan/value_detectors.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

TEST(ValueDetectorsCreate, RefusesAnUnknownPhoneRegion) {
  DetectorOptions o;
  o.default_region = "XX";
  auto d = ValueDetectors::Create(o);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("scan.phone_region"), std::string::npos);
}

}  // namespace
}  // namespace rd::scan
