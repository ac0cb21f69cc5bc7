#include "scan/phone_validity.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "scan/phone_metadata.h"

namespace rd::scan {
namespace {

namespace pn = i18n::phonenumbers;

// The PhoneNumber libphonenumber's Parse builds for a national significant number (leading
// zeros kept as italian_leading_zero and number_of_leading_zeros); false when it cannot hold it.
bool ToNumber(int code, const std::string& national, pn::PhoneNumber* number) {
  if (national.empty() || national.size() > 17) return false;
  std::size_t zeros = 0;
  while (zeros < national.size() && national[zeros] == '0') ++zeros;
  if (zeros == national.size()) return false;
  number->set_country_code(code);
  number->set_national_number(std::stoull(national));
  if (zeros > 0) {
    number->set_italian_leading_zero(true);
    if (zeros > 1) number->set_number_of_leading_zeros(static_cast<int>(zeros));
  }
  std::string back;
  pn::PhoneNumberUtil::GetInstance()->GetNationalSignificantNumber(*number, &back);
  return back == national;
}

// Every example number of the metadata, by calling code: valid numbers, and (mutated) the
// invalid ones next to them, where a wrong answer would show.
std::vector<std::pair<int, std::string>> Examples() {
  pn::PhoneMetadataCollection collection;
  EXPECT_TRUE(collection.ParseFromArray(pn::metadata_get(), pn::metadata_size()));
  std::vector<std::pair<int, std::string>> out;
  for (const pn::PhoneMetadata& m : collection.metadata()) {
    for (const pn::PhoneNumberDesc* d :
         {&m.general_desc(), &m.fixed_line(), &m.mobile(), &m.toll_free(), &m.premium_rate(),
          &m.shared_cost(), &m.personal_number(), &m.voip(), &m.pager(), &m.uan(), &m.voicemail(),
          &m.no_international_dialling()}) {
      if (!d->example_number().empty()) out.emplace_back(m.country_code(), d->example_number());
    }
  }
  return out;
}

TEST(PhoneValidity, AnswersExactlyAsIsValidNumber) {
  auto validity = PhoneValidity::Create();
  ASSERT_TRUE(validity) << validity.error().message;
  const auto* util = pn::PhoneNumberUtil::GetInstance();
  std::mt19937_64 rng(5);
  const auto digit = [&] { return static_cast<char>('0' + rng() % 10); };
  std::vector<std::pair<int, std::string>> cases;
  const auto examples = Examples();
  ASSERT_GT(examples.size(), 1000u);
  for (const auto& [code, example] : examples) {
    cases.emplace_back(code, example);
    for (int k = 0; k < 12; ++k) {
      std::string s = example;
      switch (k % 4) {
        case 0:  // one digit changed
          s[rng() % s.size()] = digit();
          break;
        case 1:  // the prefix kept, the rest random
          for (std::size_t i = 1 + rng() % s.size(); i < s.size(); ++i) s[i] = digit();
          break;
        case 2:  // one digit more
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(rng() % (s.size() + 1)), digit());
          break;
        default:  // one digit less
          if (s.size() > 1) s.erase(s.begin() + static_cast<std::ptrdiff_t>(rng() % s.size()));
      }
      cases.emplace_back(code, s);
    }
  }
  std::set<int> codes;
  util->GetSupportedCallingCodes(&codes);
  codes.insert({0, 999, 1000, 42});  // no such calling code
  for (const int code : codes) {
    for (int k = 0; k < 250; ++k) {
      std::string s(static_cast<std::size_t>(1 + rng() % 17), '0');
      for (char& c : s) c = digit();
      cases.emplace_back(code, s);
    }
  }
  // NANP: ten digits, mostly NXX NXX XXXX (the text scanner's most frequent question).
  for (int k = 0; k < 30000; ++k) {
    std::string s(10, '0');
    for (char& c : s) c = digit();
    if (k % 4 != 0)
      s[0] = static_cast<char>('2' + rng() % 8), s[3] = static_cast<char>('2' + rng() % 8);
    cases.emplace_back(1, s);
  }
  // The regions the phone detector meets most (besides NANP): GB, DE, FR, ES, IT, NL, IE, IN.
  for (const int code : {44, 49, 33, 34, 39, 31, 353, 91}) {
    for (int k = 0; k < 2500; ++k) {
      std::string s(static_cast<std::size_t>(6 + rng() % 8), '0');
      for (char& c : s) c = digit();
      cases.emplace_back(code, s);
    }
  }
  ASSERT_GE(cases.size(), 100000u);
  std::size_t checked = 0, valid = 0;
  for (const auto& [code, national] : cases) {
    pn::PhoneNumber number;
    if (!ToNumber(code, national, &number)) continue;
    const bool expected = util->IsValidNumber(number);
    ASSERT_EQ((*validity)->IsValid(code, national), expected) << "+" << code << " " << national;
    ++checked;
    valid += expected;
  }
  EXPECT_GE(checked, 100000u);
  EXPECT_GE(valid, 10000u);  // both answers well represented
  EXPECT_FALSE((*validity)->IsValid(1, ""));
  EXPECT_FALSE((*validity)->IsValid(1, std::string(40, '2')));
}

}  // namespace
}  // namespace rd::scan
