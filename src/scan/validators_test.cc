#include "scan/validators.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace rd::scan {
namespace {

TEST(CardNumber, AcceptsTestCardsOfEachNetwork) {
  EXPECT_TRUE(CardNumberValid("4111 1111 1111 1111"));  // Visa
  EXPECT_TRUE(CardNumberValid("5555-5555-5555-4444"));  // Mastercard
  EXPECT_TRUE(CardNumberValid("2223003122003222"));     // Mastercard 2-series
  EXPECT_TRUE(CardNumberValid("378282246310005"));      // Amex
  EXPECT_TRUE(CardNumberValid("6011111111111117"));     // Discover
  EXPECT_TRUE(CardNumberValid("3530111333300000"));     // JCB
}

TEST(CardNumber, RejectsLuhnFailuresUnknownIssuersAndWrongLengths) {
  EXPECT_FALSE(CardNumberValid("4111 1111 1111 1112"));  // Luhn
  EXPECT_FALSE(CardNumberValid("1234567812345670"));     // passes Luhn, no issuer starts with 1
  EXPECT_FALSE(CardNumberValid("37828224631000"));       // Amex is 15 digits
  EXPECT_FALSE(CardNumberValid("0000000000000000"));
  EXPECT_FALSE(CardNumberValid("4111x1111"));
  EXPECT_FALSE(CardNumberValid("4111.1111.1111.1111"));  // passes Luhn, a dot between groups
  EXPECT_FALSE(CardNumberValid("44444444444444444"));    // passes Luhn, Visa, one digit
  EXPECT_TRUE(CardNumberValid("4444444444444448"));
  EXPECT_FALSE(CardNumberValid("41111111111111111111"));  // 20 digits
  EXPECT_TRUE(CardNumberValid(" 4111-1111 1111-1111"));   // separators anywhere
  EXPECT_FALSE(CardNumberValid(""));
  EXPECT_FALSE(CardNumberValid(" - "));
}

TEST(Iban, ChecksCountryLengthAndMod97) {
  EXPECT_TRUE(IbanValid("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(IbanValid("GB82WEST12345698765432"));
  EXPECT_TRUE(IbanValid("FR1420041010050500013M02606"));
  EXPECT_FALSE(IbanValid("DE89 3704 0044 0532 0130 01"));  // check digits
  EXPECT_FALSE(IbanValid("DE89 3704 0044 0532 0130"));     // length for DE
  EXPECT_FALSE(IbanValid("QQ82WEST12345698765432"));       // no such country
  // Long ones: the mod-97 reductions of a number of 60 digits and more.
  EXPECT_TRUE(IbanValid("LC55HEMM000100010012001200023015"));
  EXPECT_TRUE(IbanValid("MT84MALT011000012345MTLCAST001S"));
  EXPECT_FALSE(IbanValid("MT84MALT011000012345MTLCAST001T"));
  EXPECT_TRUE(IbanValid("de89 3704 0044 0532 0130 00"));  // lower case
  EXPECT_FALSE(IbanValid("DE89-3704-0044-0532-0130-00"));
  EXPECT_FALSE(IbanValid("LC55HEMM0001000100120012000230150000"));  // more than 34
}

TEST(Ssn, FollowsAreaGroupSerialRules) {
  EXPECT_TRUE(SsnValid("536-22-1234"));
  EXPECT_TRUE(SsnValid("536221234"));
  EXPECT_FALSE(SsnValid("000-22-1234"));
  EXPECT_FALSE(SsnValid("666-22-1234"));
  EXPECT_FALSE(SsnValid("912-22-1234"));  // 9xx: ITINs, never SSNs
  EXPECT_FALSE(SsnValid("536-00-1234"));
  EXPECT_FALSE(SsnValid("536-22-0000"));
  EXPECT_FALSE(SsnValid("078-05-1120"));  // the wallet-card sample
  EXPECT_FALSE(SsnValid("536-22 1234"));  // mixed separators
}

TEST(NationalIds, ChecksumsOfNhsSinNifNieAndSteuerId) {
  EXPECT_TRUE(NhsNumberValid("943 476 5919"));
  EXPECT_FALSE(NhsNumberValid("943 476 5918"));
  EXPECT_TRUE(SinValid("130 692 544"));
  EXPECT_FALSE(SinValid("130 692 545"));
  EXPECT_FALSE(SinValid("046 454 286"));  // 0: fictitious, never issued
  EXPECT_FALSE(SinValid("846 454 286"));  // 8 is not issued
  EXPECT_TRUE(NifNieValid("12345678Z"));
  EXPECT_TRUE(NifNieValid("X1234567L"));
  EXPECT_FALSE(NifNieValid("12345678A"));
  EXPECT_TRUE(SteuerIdValid("86095742719"));
  EXPECT_FALSE(SteuerIdValid("86095742718"));
  EXPECT_FALSE(SteuerIdValid("12345678903"));  // every digit once: not a Steuer-ID
}

TEST(Network, Ipv4AndIpv6) {
  EXPECT_TRUE(Ipv4Valid("192.168.10.254"));
  EXPECT_FALSE(Ipv4Valid("256.1.1.1"));
  EXPECT_TRUE(Ipv6Valid("2001:db8::8a2e:370:7334"));
  EXPECT_FALSE(Ipv6Valid("12:30:45"));
}

// Ipv4Valid is inet_pton(AF_INET)'s grammar without the copy to a C string: the same answer
// for strings of digits, dots and a few other bytes, and for the usual edge cases.
TEST(Network, Ipv4AnswersAsInetPton) {
  const auto pton = [](const std::string& s) {
    in_addr addr{};
    return s.size() >= 7 && s.size() <= 15 && inet_pton(AF_INET, s.c_str(), &addr) == 1;
  };
  for (const std::string s :
       {"0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1.2.3.4.", ".1.2.3.4",
        "1..2.3.4", "1.2.3", "1.2.3.4.5", "10.0.0.1 ", "1.2.3.4a", "100.200.300.1", "0.00.0.0"}) {
    EXPECT_EQ(Ipv4Valid(s), pton(s)) << s;
  }
  std::mt19937 rng(7);
  const std::string bytes = "0123456789....0125x ";
  for (int i = 0; i < 200000; ++i) {
    std::string s(7 + rng() % 9, ' ');
    for (char& c : s) c = bytes[rng() % bytes.size()];
    ASSERT_EQ(Ipv4Valid(s), pton(s)) << s;
  }
}

TEST(Email, ShapeOfLocalPartAndDomain) {
  EXPECT_TRUE(EmailValid("anna.berg+news@mail.example.co.uk"));
  EXPECT_FALSE(EmailValid("anna..berg@example.com"));
  EXPECT_FALSE(EmailValid("anna@localhost"));
  EXPECT_FALSE(EmailValid("anna@example.c0m"));
  EXPECT_FALSE(EmailValid("anna@-example.com"));
}

TEST(Dates, CalendarDatesOnly) {
  EXPECT_TRUE(DateValid("1984-02-29"));
  EXPECT_FALSE(DateValid("1983-02-29"));
  EXPECT_TRUE(DateValid("31.12.1990"));
  EXPECT_TRUE(DateValid("12/31/1990"));
  EXPECT_FALSE(DateValid("13/13/1990"));
  EXPECT_FALSE(DateValid("1850-01-01"));
}

TEST(PostalCodes, UsUkDeCa) {
  EXPECT_TRUE(PostalCodeValid("94103"));
  EXPECT_TRUE(PostalCodeValid("94103-1234"));
  EXPECT_TRUE(PostalCodeValid("SW1A 1AA"));
  EXPECT_TRUE(PostalCodeValid("M1 1AE"));
  EXPECT_TRUE(PostalCodeValid("K1A 0B1"));
  EXPECT_FALSE(PostalCodeValid("9410"));
  EXPECT_FALSE(PostalCodeValid("HELLO"));
}

}  // namespace
}  // namespace rd::scan
