// ValueDetectors::ValidatePhone: the phone detector's validator, apart from the detectors'
// definitions (value_detectors.cc) as it carries the NANP shortcuts and the Parse memo.
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "scan/phone_validity.h"
#include "scan/validators.h"
#include "scan/value_detectors.h"  // the class this file defines a member of

namespace rd::scan {

namespace {

// libphonenumber's answers for the candidates it had to parse, per thread: the same number
// recurs in text (a support line, a signature), and each Parse costs microseconds of ICU
// regular expressions. Keyed by region and candidate, of which the answer is a pure function,
// so reusing it changes nothing. Open addressing in one array: a slot holds the whole
// candidate (at most 21 bytes, [+(]? and 20), compared in full; cleared when half full.
class PhoneMemo {
 public:
  static constexpr std::size_t kSlots = 1 << 15;
  static constexpr std::size_t kMaxKey = 30;
  struct Slot {
    std::uint8_t length = 0;  // 0: empty
    bool valid = false;
    char key[kMaxKey];
  };

  // The slot holding `key` under `region`, or the empty one where it goes; nullptr when the
  // key is too long to keep.
  Slot* Find(const std::string& region, std::string_view key) {
    if (key.empty() || key.size() > kMaxKey) return nullptr;
    if (region != region_ || used_ >= kSlots / 2) {
      region_ = region;
      slots_.assign(kSlots, Slot{});
      used_ = 0;
    }
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
    for (const char c : key) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    for (std::size_t i = (h ^ (h >> 32)) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
      Slot& slot = slots_[i];
      if (slot.length == 0 || Holds(slot, key)) return &slot;
    }
  }
  static bool Holds(const Slot& slot, std::string_view key) {
    return slot.length == key.size() && std::memcmp(slot.key, key.data(), key.size()) == 0;
  }
  void Keep(Slot& slot, std::string_view key, bool valid) {
    if (slot.length == 0) ++used_;
    slot.length = static_cast<std::uint8_t>(key.size());
    slot.valid = valid;
    std::memcpy(slot.key, key.data(), key.size());
  }

 private:
  std::string region_;
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace

bool ValueDetectors::ValidatePhone(std::string_view c) const {
  // libphonenumber (ICU regular expressions) costs microseconds per call: cheap shape
  // checks first. A bare run of digits is a phone number only as a full national number
  // (10+ digits); a date with a time ("2024-05-12 10") never is.
  char digits[15];
  int n = 0;
  bool marked = false;
  for (char ch : c) {
    if (ch >= '0' && ch <= '9') {
      if (n == 15) return false;  // more than E.164's 15 digits
      digits[n++] = ch;
    } else {
      marked = true;
    }
  }
  if (n < 7 || (!marked && n < 10)) return false;
  if (c.size() >= 10 && c[4] == c[7] && (c[4] == '-' || c[4] == '/' || c[4] == '.') &&
      DateValid(c.substr(0, 10))) {
    return false;
  }
  const auto* util = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  const bool plus = c.front() == '+';
  // Country calling code 1 (the North American Numbering Plan): "+1 ...", or any number
  // without "+" or the international prefix 011 when the default region is US or CA. After
  // leading ones (the country code 1 and the national prefix 1; Parse strips up to three) a
  // valid NANP number is ten digits NXX NXX XXXX (N = 2-9), or seven (US metadata has a few
  // 7-digit numbers, e.g. 310 XXXX), so every other shape is answered here. The usual shapes
  // ("+1" and ten digits, or ten digits alone) go to the validity check without Parse, which
  // would give the same number. Validity is PhoneValidity (libphonenumber's metadata in RE2,
  // IsValidNumber's answers without ICU). value_detectors_test checks all of this against
  // Parse + IsValidNumber.
  const bool nanp =
      plus ? digits[0] == '1'
           : nanp_default_ && !(digits[0] == '0' && digits[1] == '1' && digits[2] == '1');
  if (nanp) {
    bool possible = false;
    int ten = -1;  // leading ones before a ten-digit NXX NXX XXXX
    for (int k = 0; k <= 3; ++k) {
      if (k > 0 && digits[k - 1] != '1') break;
      if (n - k == 7) possible = true;
      if (n - k == 10 && digits[k] >= '2' && digits[k + 3] >= '2') {
        possible = true;
        ten = k;
      }
    }
    if (!possible) return false;
    // "+1" and ten digits, ten digits alone, or (without "+") "1" and ten digits: Parse takes
    // the leading 1 for the country code as the full number is too long for NANP (nothing
    // else is possible with N = 2-9 after it), and the national number is the ten digits.
    if (ten == (plus ? 1 : 0) || (!plus && ten == 1)) {
      return phones_->IsValid(1, std::string_view(digits + ten, static_cast<std::size_t>(n - ten)));
    }
  }
  thread_local PhoneMemo memo;
  PhoneMemo::Slot* slot = memo.Find(options_.default_region, c);
  if (slot && PhoneMemo::Holds(*slot, c)) return slot->valid;
  // Without "+", seven digits NXXXXXX, or "1" and those seven: whether Parse takes the 1 for
  // the country code or strips it as the national prefix, the national number is the seven
  // digits (after the memo: for +1, up to ~25 regions' patterns are tried).
  const int seven = !nanp || plus                                    ? -1
                    : n == 7 && digits[0] >= '2'                     ? 0
                    : n == 8 && digits[0] == '1' && digits[1] >= '2' ? 1
                                                                     : -1;
  i18n::phonenumbers::PhoneNumber number;
  std::string national;
  if (seven >= 0) {
    national.assign(digits + seven, 7);
    number.set_country_code(1);
  } else if (util->Parse(std::string(c), options_.default_region, &number) ==
             i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR) {
    util->GetNationalSignificantNumber(number, &national);
  }
  const bool valid = !national.empty() && phones_->IsValid(number.country_code(), national);
  if (slot) memo.Keep(*slot, c, valid);
  return valid;
}

}  // namespace rd::scan
