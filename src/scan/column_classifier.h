#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "scan/value_detectors.h"

namespace rd::scan {

// The sampled values of one column (a table's column, a CSV column, a JSON key, or the lines of
// a text file).
struct ColumnSample {
  std::string collection;           // table, or file name
  std::string field;                // column, key, or "text"
  std::string type;                 // the declared SQL type, lower case; "" for files
  std::vector<std::string> values;  // non-null values as text
};

// ColumnSample::type of the lines of a plain-text file: findings anywhere in a line count.
inline constexpr std::string_view kFreeText = "free_text";

// What the scan thinks a column holds.
struct ColumnClassification {
  std::string collection;
  std::string field;
  std::string category;   // fideslang data category; "" when nothing personal was found
  double confidence = 0;  // 0..1
  double share = 0;       // share of non-empty sampled values the deciding detector confirmed
  std::string signal;     // what decided: a detector ("email"), or "name" for name-only
  int sampled = 0;        // non-empty values looked at
};

// Lower-case first names, one per line (the bundled list in scan/data/first_names.txt).
class FirstNames {
 public:
  // The bundled list.
  static const FirstNames& Bundled();
  explicit FirstNames(std::string_view lines);
  bool Contains(std::string_view lower_name) const;

 private:
  std::unordered_set<std::string> names_;
};

// Lower-case tokens of a column name: "billingZipCode" -> billing, zip, code; "cc_num" -> cc,
// num.
std::vector<std::string> NameTokens(std::string_view name);

// Decides a column's category from its name (token signals such as "email", "dob", "zip", never
// substrings, so "passport" is not "pass") and the share of sampled values each detector
// confirms. Detectors with a checksum or an unmistakable shape (email, card, IBAN, IP, NIF/NIE,
// SSN and phone numbers written with separators) decide alone when at least 80% of the values
// pass; the weaker ones (dates, postal codes, bare digit runs that could be an SSN, a phone or
// an order number) need the name hint as well. Names and addresses combine name hints with
// value shapes and the first-name list; usernames and passwords are recognised by name only.
// Free text (kFreeText) takes the category of the strong detector found in most lines.
// Thread-safe (const); the Scratch is the caller's.
class ColumnClassifier {
 public:
  ColumnClassifier(const ValueDetectors& detectors, const FirstNames& first_names);

  ColumnClassification Classify(const ColumnSample& column, ValueDetectors::Scratch& scratch) const;

 private:
  const ValueDetectors& detectors_;
  const FirstNames& first_names_;
};

}  // namespace rd::scan
