#include "scan/value_detectors.h"

#include <hs/hs.h>
#include <phonenumbers/phonenumberutil.h>
#include <re2/re2.h>

#include <algorithm>

#include "scan/phone_validity.h"
#include "scan/shape_match.h"
#include "scan/validators.h"

namespace rd::scan {
namespace {

// One detector: the loose Vectorscan pattern that finds where to look, the RE2 pattern whose
// group 1 is the candidate (the groups around it only check what comes before and after), the
// longest candidate, which sizes the window RE2 reads around a Vectorscan match end, and the
// byte classes of those groups: the extract pattern is "(?:^|LEFT)(CANDIDATE)(?:$|RIGHT)"
// (either side may be absent). No byte of LEFT can start a candidate and none of RIGHT can end
// one, so the candidate is the whole match less a first byte in LEFT and a last byte in RIGHT:
// Confirm asks RE2 for the match alone, which its DFA answers without the slower submatch
// engines (and their allocations), and trims it with two table lookups.
struct PatternSpec {
  Detector detector;
  const char* prefilter;
  unsigned flags;
  const char* extract;
  std::size_t max_len;
  const char* left;
  const char* right;
};

// Prefilters of digit runs end with (?:\D|$), so that a long run reports once at its end rather
// than at every digit. Patterns are ASCII (RE2 runs in Latin-1 mode, byte for byte, which is faster
// than UTF-8 and lets \xNN name the bytes of a UTF-8 sequence).
constexpr PatternSpec kSpecs[] = {
    {Detector::kEmail, R"([A-Za-z0-9_%+\-]@[A-Za-z0-9\-]+\.[A-Za-z]{2})", 0,
     R"((?:^|[^A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}))",
     320, R"([^A-Za-z0-9._%+\-])", R"()"},
    {Detector::kPhone, R"(\d[\d .()/\-]{5,}\d(?:\D|$))", 0,
     R"((?:^|[^0-9A-Za-z+(])([+(]?\d[\d .()\-]{5,18}\d)(?:$|[^0-9A-Za-z]))", 24,
     R"([^0-9A-Za-z+(])", R"([^0-9A-Za-z])"},
    {Detector::kCard, R"(\d{4}[ \-]?\d{4}[ \-]?\d{4})", 0,
     R"((?:^|[^\d\-])(\d(?:[ \-]?\d){11,18})(?:$|[^\d\-]))", 24, R"([^\d\-])", R"([^\d\-])"},
    {Detector::kIban, R"([A-Z]{2}\d{2} ?[A-Z0-9]{4})", 0,
     R"((?:^|[^A-Za-z0-9])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8})(?:$|[^A-Za-z0-9]))", 44,
     R"([^A-Za-z0-9])", R"([^A-Za-z0-9])"},
    {Detector::kSsn, R"(\d{3}[ \-]?\d{2}[ \-]?\d{4}(?:\D|$))", 0,
     R"((?:^|[^\d\-])(\d{3}[ \-]?\d{2}[ \-]?\d{4})(?:$|[^\d\-]))", 12, R"([^\d\-])", R"([^\d\-])"},
    {Detector::kIpv4, R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})", 0,
     R"((?:^|[^\d.])(\d{1,3}(?:\.\d{1,3}){3})(?:$|[^\d.]))", 16, R"([^\d.])", R"([^\d.])"},
    {Detector::kIpv6, R"([0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4})", 0,
     R"((?:^|[^0-9A-Fa-f:])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3})(?:$|[^0-9A-Fa-f:]))",
     46, R"([^0-9A-Fa-f:])", R"([^0-9A-Fa-f:])"},
    {Detector::kDate, R"(\d{4}[\-/]\d{2}[\-/]\d{2}|\d{2}[./\-]\d{2}[./\-]\d{4})", 0,
     R"((?:^|[^\d])(\d{4}[\-/]\d{2}[\-/]\d{2}|\d{2}[./\-]\d{2}[./\-]\d{4})(?:$|[^\d]))", 11,
     R"([^\d])", R"([^\d])"},
    {Detector::kNhs, R"(\d{3} ?\d{3} ?\d{4}(?:\D|$))", 0,
     R"((?:^|[^\d\-])(\d{3} ?\d{3} ?\d{4})(?:$|[^\d\-]))", 13, R"([^\d\-])", R"([^\d\-])"},
    {Detector::kSin, R"(\d{3}[ \-]?\d{3}[ \-]?\d{3}(?:\D|$))", 0,
     R"((?:^|[^\d\-])(\d{3}[ \-]?\d{3}[ \-]?\d{3})(?:$|[^\d\-]))", 12, R"([^\d\-])", R"([^\d\-])"},
    {Detector::kNifNie, R"([0-9XYZxyz]\d{7}\-?[A-Za-z])", 0,
     R"((?:^|[^A-Za-z0-9])([0-9XYZxyz]\d{7}-?[A-Za-z])(?:$|[^A-Za-z0-9]))", 11, R"([^A-Za-z0-9])",
     R"([^A-Za-z0-9])"},
    {Detector::kSteuerId, R"(\d{2} ?\d{3} ?\d{3} ?\d{3}(?:\D|$))", 0,
     R"((?:^|[^\d\-])(\d{2} ?\d{3} ?\d{3} ?\d{3})(?:$|[^\d\-]))", 15, R"([^\d\-])", R"([^\d\-])"},
    {Detector::kPostalCode,
     R"(\d{5}(?:\D|$)|[A-Z]{1,2}\d[A-Z0-9]? \d[A-Z]{2}|[A-Z]\d[A-Z] \d[A-Z]\d)", 0,
     R"((?:^|[^0-9A-Za-z])(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z0-9]? \d[A-Z]{2}|[A-Z]\d[A-Z] \d[A-Z]\d)(?:$|[^0-9A-Za-z]))",
     10, R"([^0-9A-Za-z])", R"([^0-9A-Za-z])"},
    {Detector::kStreet,
     R"([a-z.] (street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|circle|parkway|square|close|crescent|highway|hwy)\b|(stra(\xc3\x9f|ss)e|weg|platz|allee|gasse|ring) \d)",
     HS_FLAG_CASELESS,
     R"(((?i:\d{1,5}[A-Za-z]? (?:[A-Za-z'.]+ ){1,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|circle|parkway|square|close|crescent|highway|hwy)\b\.?)|[A-Z][a-z\x80-\xff]+(?:stra(?:\xc3\x9f|ss)e|weg|platz|allee|gasse|ring) \d{1,4}[a-z]?))",
     96, R"()", R"()"},
};
static_assert(std::size(kSpecs) == kDetectorCount, "one spec per detector, in enum order");

// Column values up to this length are scanned with the single-match database and read whole
// by RE2; longer text goes through the windowed path.
constexpr std::size_t kShortValue = 256;

std::string_view Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

core::Result<hs_database_t*> Compile(unsigned extra_flags) {
  std::vector<const char*> patterns;
  std::vector<unsigned> flags, ids;
  for (const PatternSpec& s : kSpecs) {
    patterns.push_back(s.prefilter);
    flags.push_back(s.flags | extra_flags);
    ids.push_back(static_cast<unsigned>(s.detector));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db,
                       &error) != HS_SUCCESS) {
    std::string message = "vectorscan: ";
    message += error && error->message ? error->message : "compile failed";
    if (error) hs_free_compile_error(error);
    return core::Fail(core::Errc::kInternal, message);
  }
  return db;
}

}  // namespace

const char* DetectorName(Detector d) {
  switch (d) {
    case Detector::kEmail:
      return "email";
    case Detector::kPhone:
      return "phone";
    case Detector::kCard:
      return "card";
    case Detector::kIban:
      return "iban";
    case Detector::kSsn:
      return "us_ssn";
    case Detector::kIpv4:
      return "ipv4";
    case Detector::kIpv6:
      return "ipv6";
    case Detector::kDate:
      return "date";
    case Detector::kNhs:
      return "uk_nhs";
    case Detector::kSin:
      return "ca_sin";
    case Detector::kNifNie:
      return "es_nif";
    case Detector::kSteuerId:
      return "de_steuer_id";
    case Detector::kPostalCode:
      return "postal_code";
    case Detector::kStreet:
      return "street";
  }
  return "unknown";
}

std::vector<PrefilterPattern> PrefilterPatterns() {
  std::vector<PrefilterPattern> out;
  for (const PatternSpec& s : kSpecs) {
    out.push_back({s.detector, s.prefilter, (s.flags & HS_FLAG_CASELESS) != 0});
  }
  return out;
}

std::string_view ExtractPattern(Detector d) { return kSpecs[static_cast<int>(d)].extract; }

// State of one Vectorscan scan, handed to the match callback.
struct ScanContext {
  const ValueDetectors* self;
  std::string_view text;
  std::vector<Finding>* out;
  bool whole_text;  // short value: read the whole of it once per detector
  std::array<std::size_t, kDetectorCount> scanned_until{};
  std::array<bool, kDetectorCount> seen{};
  std::array<ValueDetectors::ConfirmState, kDetectorCount> state{};
};

namespace {

int OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
            void* raw) {
  auto& ctx = *static_cast<ScanContext*>(raw);
  const auto d = static_cast<Detector>(id);
  ctx.self->ConfirmWindow(d, ctx, static_cast<std::size_t>(to));
  return 0;
}

}  // namespace

ValueDetectors::ValueDetectors(const DetectorOptions& options)
    : options_(options),
      nanp_default_(options.default_region == "US" || options.default_region == "CA") {}

ValueDetectors::~ValueDetectors() {
  if (text_db_) hs_free_database(text_db_);
  if (value_db_) hs_free_database(value_db_);
}

core::Result<std::unique_ptr<ValueDetectors>> ValueDetectors::Create(
    const DetectorOptions& options) {
  const auto* phones = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  if (phones->GetCountryCodeForRegion(options.default_region) == 0 ||
      options.default_region.size() != 2) {
    return core::Fail(core::Errc::kInvalidArgument,
                      "scan.phone_region: not a region code libphonenumber knows (e.g. US, GB)");
  }
  std::unique_ptr<ValueDetectors> self(new ValueDetectors(options));
  auto validity = PhoneValidity::Create();
  if (!validity) return tl::unexpected(validity.error());
  self->phones_ = std::move(*validity);
  auto text_db = Compile(0);
  if (!text_db) return tl::unexpected(text_db.error());
  self->text_db_ = *text_db;
  auto value_db = Compile(HS_FLAG_SINGLEMATCH);
  if (!value_db) return tl::unexpected(value_db.error());
  self->value_db_ = *value_db;
  RE2::Options re_options;
  re_options.set_encoding(RE2::Options::EncodingLatin1);
  re_options.set_log_errors(false);
  for (const PatternSpec& s : kSpecs) {
    auto re = std::make_unique<RE2>(s.extract, re_options);
    if (!re->ok()) {
      return core::Fail(core::Errc::kInternal,
                        std::string("re2: ") + DetectorName(s.detector) + ": " + re->error());
    }
    const int i = static_cast<int>(s.detector);
    self->extract_[i] = std::move(re);
    // The context classes must be the extract pattern's own (see PatternSpec).
    const std::string_view extract = s.extract;
    const std::string left = *s.left ? std::string("(?:^|") + s.left + ")(" : "(";
    const std::string right = *s.right ? std::string(")(?:$|") + s.right + ")" : ")";
    if (extract.substr(0, left.size()) != left || extract.size() < right.size() ||
        extract.substr(extract.size() - right.size()) != right) {
      return core::Fail(core::Errc::kInternal,
                        std::string("re2: ") + DetectorName(s.detector) + ": context classes");
    }
    for (const auto& [cls, table] : {std::pair(s.left, &self->left_context_[i]),
                                     std::pair(s.right, &self->right_context_[i])}) {
      if (!*cls) continue;
      const RE2 one(cls, re_options);
      for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        (*table)[b] = RE2::FullMatch(re2::StringPiece(&c, 1), one);
      }
    }
  }
  return self;
}

ValueDetectors::Scratch::~Scratch() {
  if (text_) hs_free_scratch(text_);
  if (value_) hs_free_scratch(value_);
}

ValueDetectors::Scratch::Scratch(Scratch&& other) noexcept
    : text_(other.text_), value_(other.value_) {
  other.text_ = nullptr;
  other.value_ = nullptr;
}

core::Result<ValueDetectors::Scratch> ValueDetectors::NewScratch() const {
  hs_scratch_t* text = nullptr;
  hs_scratch_t* value = nullptr;
  if (hs_alloc_scratch(text_db_, &text) != HS_SUCCESS ||
      hs_alloc_scratch(value_db_, &value) != HS_SUCCESS) {
    if (text) hs_free_scratch(text);
    return core::Fail(core::Errc::kInternal, "vectorscan: cannot allocate scratch space");
  }
  return Scratch(text, value);
}

bool ValueDetectors::Validate(Detector d, std::string_view c) const {
  switch (d) {
    case Detector::kEmail:
      return EmailValid(c);
    case Detector::kPhone:
      return ValidatePhone(c);
    case Detector::kCard:
      return CardNumberValid(c);
    case Detector::kIban:
      return IbanValid(c);
    case Detector::kSsn:
      return SsnValid(c);
    case Detector::kIpv4:
      return Ipv4Valid(c);
    case Detector::kIpv6:
      return std::count(c.begin(), c.end(), ':') >= 2 && Ipv6Valid(c);
    case Detector::kDate:
      return DateValid(c);
    case Detector::kNhs:
      return NhsNumberValid(c);
    case Detector::kSin:
      return SinValid(c);
    case Detector::kNifNie:
      return NifNieValid(c);
    case Detector::kSteuerId:
      return SteuerIdValid(c);
    case Detector::kPostalCode:
      return PostalCodeValid(c);
    case Detector::kStreet:
      return true;  // the shape is the test
  }
  return false;
}

void ValueDetectors::Confirm(Detector d, std::string_view text, std::size_t begin, std::size_t end,
                             std::vector<Finding>& out, ConfirmState& state) const {
  const int i = static_cast<int>(d);
  const RE2& re = *extract_[i];
  const auto& left = left_context_[i];
  const auto& right = right_context_[i];
  // One byte before the window, so that the left-context group can read it.
  std::size_t pos = begin > 0 ? begin - 1 : 0;
  re2::StringPiece match;
  const re2::StringPiece whole(text.data(), text.size());
  while (pos < end && re.Match(whole, pos, end, RE2::UNANCHORED, &match, 1)) {
    // Group 1 (the candidate) is the match less its context bytes (PatternSpec).
    std::size_t cb = static_cast<std::size_t>(match.data() - text.data());
    std::size_t ce = cb + match.size();
    if (ce > cb && left[static_cast<unsigned char>(text[cb])]) ++cb;
    if (ce > cb && right[static_cast<unsigned char>(text[ce - 1])]) --ce;
    if (cb >= state.last_end && std::find(state.refused.begin(), state.refused.end(),
                                          std::pair(cb, ce)) == state.refused.end()) {
      if (Validate(d, text.substr(cb, ce - cb))) {
        out.push_back({d, cb, ce});
        state.last_end = ce;
      } else {
        state.refused[state.next_refused++ % state.refused.size()] = {cb, ce};
      }
    }
    pos = ce > pos ? ce : pos + 1;
  }
}

std::size_t ValueDetectors::ConfirmRange(Detector d, std::string_view text, std::size_t from,
                                         std::size_t to, std::vector<Finding>& out,
                                         bool shapes) const {
  if (shapes && HasShapeMatcher(d)) {
    std::size_t pos = from, cb = 0, ce = 0;
    while (pos < to && MatchShape(d, text, pos, to, cb, ce)) {
      if (Validate(d, text.substr(cb, ce - cb))) out.push_back({d, cb, ce});
      pos = ce;
    }
    return pos;
  }
  const int i = static_cast<int>(d);
  const RE2& re = *extract_[i];
  const auto& left = left_context_[i];
  const auto& right = right_context_[i];
  re2::StringPiece match;
  const re2::StringPiece whole(text.data(), text.size());
  std::size_t pos = from;
  while (pos < to && re.Match(whole, pos, to, RE2::UNANCHORED, &match, 1)) {
    std::size_t cb = static_cast<std::size_t>(match.data() - text.data());
    std::size_t ce = cb + match.size();
    if (ce > cb && left[static_cast<unsigned char>(text[cb])]) ++cb;
    if (ce > cb && right[static_cast<unsigned char>(text[ce - 1])]) --ce;
    if (Validate(d, text.substr(cb, ce - cb))) out.push_back({d, cb, ce});
    pos = ce > pos ? ce : pos + 1;
    // Every email candidate has an '@', every IPv6 candidate a ':', every other a digit: without
    // one in the rest of the range, RE2 would search it in vain.
    const std::string_view rest = text.substr(pos, to > pos ? to - pos : 0);
    const bool more = d == Detector::kEmail  ? rest.find('@') != rest.npos
                      : d == Detector::kIpv6 ? rest.find(':') != rest.npos
                                             : rest.find_first_of("0123456789") != rest.npos;
    if (!more) break;
  }
  return pos;
}

void ValueDetectors::ConfirmWindow(Detector d, ScanContext& ctx, std::size_t to) const {
  const int i = static_cast<int>(d);
  if (ctx.whole_text) {
    if (ctx.seen[i]) return;
    ctx.seen[i] = true;
    Confirm(d, ctx.text, 0, ctx.text.size(), *ctx.out, ctx.state[i]);
    return;
  }
  if (ctx.seen[i] && to <= ctx.scanned_until[i]) return;
  ctx.seen[i] = true;
  // A Vectorscan match end lies inside or at the end of the real candidate, which is at most
  // max_len long: read from max_len before it to 3 * max_len after, and skip the match ends
  // whose own window this one already covers.
  const std::size_t max_len = kSpecs[i].max_len;
  const std::size_t begin = to > max_len ? to - max_len : 0;
  const std::size_t end = std::min(ctx.text.size(), to + 3 * max_len);
  Confirm(d, ctx.text, begin, end, *ctx.out, ctx.state[i]);
  ctx.scanned_until[i] = to + 2 * max_len;
}

void ValueDetectors::FindReference(std::string_view text, Scratch& scratch,
                                   std::vector<Finding>& out) const {
  const std::size_t first = out.size();
  ScanContext ctx{this, text, &out, text.size() <= kShortValue, {}, {}, {}};
  hs_database_t* db = ctx.whole_text ? value_db_ : text_db_;
  hs_scratch_t* s = ctx.whole_text ? scratch.value_ : scratch.text_;
  hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, s, OnMatch, &ctx);
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const Finding& a, const Finding& b) {
              return a.detector != b.detector ? a.detector < b.detector : a.begin < b.begin;
            });
}

void ValueDetectors::FindWithoutPrefilter(std::string_view text, std::vector<Finding>& out) const {
  for (const PatternSpec& s : kSpecs) ConfirmRange(s.detector, text, 0, text.size(), out);
}

std::size_t ValueDetectors::CountPrefilterMatches(std::string_view text, Scratch& scratch) const {
  std::size_t reports = 0;
  hs_scan(
      text_db_, text.data(), static_cast<unsigned>(text.size()), 0, scratch.text_,
      [](unsigned, unsigned long long, unsigned long long, unsigned, void* raw) {
        ++*static_cast<std::size_t*>(raw);
        return 0;
      },
      &reports);
  return reports;
}

ValueMatch ValueDetectors::MatchValue(std::string_view value, Scratch& scratch) const {
  ValueMatch m;
  const std::string_view v = Trim(value);
  if (v.empty()) return m;
  thread_local std::vector<Finding> findings;
  findings.clear();
  FindReference(v, scratch, findings);
  for (const Finding& f : findings) {
    const std::uint32_t bit = 1u << static_cast<int>(f.detector);
    m.contains |= bit;
    if (f.begin == 0 && f.end == v.size()) m.whole |= bit;
  }
  return m;
}

}  // namespace rd::scan
