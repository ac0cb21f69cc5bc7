#pragma once

#include <string>
#include <string_view>

namespace rd::scan {

// Checks that confirm a candidate a pattern found. Each takes the candidate as matched (with
// its separators) and answers whether it is a well-formed value of its kind. Pure functions,
// thread-safe, no allocation beyond small strings.

// The digits of `s`, dropping spaces and dashes; empty when anything else occurs.
std::string DigitsOnly(std::string_view s);

// Luhn (mod 10) over a string of digits.
bool LuhnValid(std::string_view digits);

// A payment card number: 12 to 19 digits, a known issuer range (IIN) whose lengths include
// this one, and the Luhn check. Separators may be spaces or dashes.
bool CardNumberValid(std::string_view candidate);

// An IBAN: a known country, that country's length, and mod-97 == 1. Spaces are allowed.
bool IbanValid(std::string_view candidate);

// A US social security number: area not 000, 666 or 900-999; group not 00; serial not 0000;
// not a well-known sample number; separators (if any) the same at both places.
bool SsnValid(std::string_view candidate);

// UK NHS number: 10 digits, mod-11 check digit (a remainder giving 10 is invalid).
bool NhsNumberValid(std::string_view candidate);

// Canadian social insurance number: 9 digits, Luhn, not starting with 0 or 8.
bool SinValid(std::string_view candidate);

// Spanish NIF (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter): the mod-23 letter.
bool NifNieValid(std::string_view candidate);

// German tax ID (Steuer-ID): 11 digits, first not 0, ISO 7064 MOD 11,10 check digit, and in
// the first ten digits exactly one digit occurring two or three times (never more than three).
bool SteuerIdValid(std::string_view candidate);

// IPv4 dotted quad or IPv6 text form (inet_pton).
bool Ipv4Valid(std::string_view candidate);
bool Ipv6Valid(std::string_view candidate);

// An email address: local part without leading/trailing or doubled dots, a domain of labels
// (no leading/trailing hyphen) ending in an alphabetic top-level label of 2 to 24 letters.
bool EmailValid(std::string_view candidate);

// A calendar date in YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY, DD/MM/YYYY or MM/DD/YYYY (either
// order accepted when unambiguous), year 1900-2100.
bool DateValid(std::string_view candidate);

// A postal code: US ZIP (12345 or 12345-6789), UK postcode (SW1A 1AA), DE/FR PLZ (5 digits),
// or CA (K1A 0B1).
bool PostalCodeValid(std::string_view candidate);

}  // namespace rd::scan
