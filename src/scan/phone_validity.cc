#include "scan/phone_validity.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <re2/re2.h>

#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "scan/digit_automaton.h"
#include "scan/phone_metadata.h"

namespace rd::scan {
namespace {

namespace pn = i18n::phonenumbers;

constexpr std::uint64_t kAllLengths = ~std::uint64_t{0};

// The lengths a description allows, as bits; every bit when it lists none (libphonenumber
// then checks the pattern alone). A list of [-1] (type absent) allows no length.
std::uint64_t Lengths(const pn::PhoneNumberDesc& desc) {
  if (desc.possible_length_size() == 0) return kAllLengths;
  std::uint64_t bits = 0;
  for (const int l : desc.possible_length()) {
    if (l >= 0 && l <= PhoneValidity::kMaxLength) bits |= std::uint64_t{1} << l;
  }
  return bits;
}

}  // namespace

struct PhoneValidity::Pattern {
  std::optional<DigitAutomaton> automaton;
  std::unique_ptr<re2::RE2> re;  // when the automaton could not be built

  bool Full(std::string_view s) const {
    return automaton ? automaton->FullMatch(s)
                     : re2::RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *re);
  }
  bool Prefix(std::string_view s) const {
    return automaton ? automaton->PrefixMatch(s)
                     : re->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(),
                                 re2::RE2::ANCHOR_START, nullptr, 0);
  }
};

namespace {

core::Result<std::shared_ptr<const PhoneValidity::Pattern>> Compile(const std::string& pattern,
                                                                    const char* what) {
  auto p = std::make_shared<PhoneValidity::Pattern>();
  if (auto automaton = DigitAutomaton::Compile(pattern)) {
    p->automaton = std::move(*automaton);
    return p;
  }
  p->re = std::make_unique<re2::RE2>(pattern, re2::RE2::Quiet);
  if (!p->re->ok()) {
    return core::Fail(core::Errc::kInternal,
                      std::string("phone metadata: ") + what + ": " + p->re->error());
  }
  return p;
}

}  // namespace

PhoneValidity::~PhoneValidity() = default;

bool PhoneValidity::Region::HasType(std::string_view national) const {
  const std::size_t n = national.size();
  if (!general || n > static_cast<std::size_t>(kMaxLength) || !(general_lengths >> n & 1) ||
      !types[n]) {
    return false;
  }
  return general->Full(national) && types[n]->Full(national);
}

bool PhoneValidity::IsValid(int country_code, std::string_view national) const {
  if (country_code <= 0 || country_code >= static_cast<int>(by_code_.size())) return false;
  const std::vector<Region>& regions = by_code_[static_cast<std::size_t>(country_code)];
  if (regions.size() == 1) return regions.front().HasType(national);
  // GetRegionCodeForNumberFromRegionList, then IsValidNumberForRegion.
  for (const Region& r : regions) {
    if (r.leading) {
      if (r.leading->Prefix(national)) return r.HasType(national);
    } else if (r.HasType(national)) {
      return true;
    }
  }
  return false;
}

core::Result<std::unique_ptr<PhoneValidity>> PhoneValidity::Create() {
  pn::PhoneMetadataCollection collection;
  if (!collection.ParseFromArray(pn::metadata_get(), pn::metadata_size())) {
    return core::Fail(core::Errc::kInternal, "phone metadata: cannot parse libphonenumber's");
  }
  std::map<std::string, const pn::PhoneMetadata*> by_region;
  std::map<int, const pn::PhoneMetadata*> non_geographic;
  for (const pn::PhoneMetadata& m : collection.metadata()) {
    if (m.id() == "001") {
      non_geographic[m.country_code()] = &m;
    } else {
      by_region[m.id()] = &m;
    }
  }
  std::unique_ptr<PhoneValidity> self(new PhoneValidity());
  const auto* util = pn::PhoneNumberUtil::GetInstance();
  std::set<int> codes;
  util->GetSupportedCallingCodes(&codes);
  for (const int code : codes) {
    if (code <= 0 || code >= static_cast<int>(self->by_code_.size())) continue;
    std::list<std::string> region_codes;
    util->GetRegionCodesForCountryCallingCode(code, &region_codes);
    for (const std::string& region_code : region_codes) {
      const pn::PhoneMetadata* m = nullptr;
      if (region_code == "001") {
        if (const auto it = non_geographic.find(code); it != non_geographic.end()) m = it->second;
      } else if (const auto it = by_region.find(region_code); it != by_region.end()) {
        m = it->second;
      }
      if (!m) {
        return core::Fail(core::Errc::kInternal, "phone metadata: no entry for " + region_code);
      }
      Region r;
      if (region_codes.size() > 1 && m->has_leading_digits()) {
        auto re = Compile(m->leading_digits(), "leading digits");
        if (!re) return tl::unexpected(re.error());
        r.leading = std::move(*re);
      }
      if (!m->general_desc().national_number_pattern().empty()) {
        auto re = Compile(m->general_desc().national_number_pattern(), "general");
        if (!re) return tl::unexpected(re.error());
        r.general = std::move(*re);
      }
      r.general_lengths = Lengths(m->general_desc());
      // GetNumberTypeHelper's types; mobile is not consulted when it repeats fixed line.
      std::vector<const pn::PhoneNumberDesc*> types = {
          &m->premium_rate(), &m->toll_free(),       &m->shared_cost(),
          &m->voip(),         &m->personal_number(), &m->pager(),
          &m->uan(),          &m->voicemail(),       &m->fixed_line()};
      if (!m->same_mobile_and_fixed_line_pattern()) types.push_back(&m->mobile());
      // Only lengths the general description allows are ever asked; equal unions share one RE2.
      std::map<std::string, std::shared_ptr<const Pattern>> compiled;
      for (int length = 0; length <= kMaxLength; ++length) {
        if (!(r.general_lengths >> length & 1)) continue;
        std::string alternation;
        for (const pn::PhoneNumberDesc* t : types) {
          if (t->national_number_pattern().empty() || !(Lengths(*t) >> length & 1)) continue;
          if (!alternation.empty()) alternation += '|';
          alternation += "(?:" + t->national_number_pattern() + ")";
        }
        if (alternation.empty()) continue;
        auto& slot = compiled[alternation];
        if (!slot) {
          auto re = Compile(alternation, "number types");
          if (!re) return tl::unexpected(re.error());
          slot = std::move(*re);
        }
        r.types[static_cast<std::size_t>(length)] = slot;
      }
      self->by_code_[static_cast<std::size_t>(code)].push_back(std::move(r));
    }
  }
  return self;
}

}  // namespace rd::scan
