#include "scan/column_classifier.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

namespace rd::scan {

const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedScanData();

namespace {

constexpr double kAloneShare = 0.8;  // share a value detector needs without a name hint
constexpr double kHintShare = 0.5;   // ... and with one

bool IsUpper(unsigned char c) { return (c >= 'A' && c <= 'Z') || c >= 0x80; }
bool IsLetter(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The column name's signals: its tokens and the tokens joined ("first_name" -> "firstname").
struct NameSignals {
  std::vector<std::string> tokens;
  std::string joined;

  bool Token(std::initializer_list<std::string_view> words) const {
    for (const auto& t : tokens) {
      for (auto w : words) {
        if (t == w) return true;
      }
    }
    return false;
  }
  // Long keywords may also appear inside the joined name ("customeremail", "dateofbirth").
  bool Joined(std::initializer_list<std::string_view> words) const {
    for (auto w : words) {
      if (joined.find(w) != std::string::npos) return true;
    }
    return false;
  }
};

// Columns about a thing, not a person, whose name says "name" ("product_name", "host_name").
bool ThingName(const NameSignals& n) {
  return n.Token({"product",  "item",     "company",     "org",      "organization", "organisation",
                  "brand",    "category", "file",        "filename", "table",        "column",
                  "host",     "hostname", "domain",      "user",     "username",     "display",
                  "screen",   "app",      "application", "project",  "team",         "store",
                  "shop",     "event",    "campaign",    "plan",     "sku",          "bank",
                  "city",     "street",   "country",     "state",    "region",       "department",
                  "dept",     "role",     "group",       "tag",      "label",        "model",
                  "device",   "browser",  "os",          "vendor",   "supplier",     "merchant",
                  "business", "account",  "list",        "template", "field",        "key",
                  "type",     "course",   "school",      "hotel",    "venue",        "place",
                  "pet",      "book",     "song",        "movie",    "game",         "feature",
                  "service",  "package",  "plugin",      "database", "schema",       "queue",
                  "job",      "task",     "warehouse",   "site",     "page",         "title",
                  "variant",  "color",    "colour",      "size",     "unit",         "currency",
                  "language", "locale",   "tier",        "status",   "stage",        "step",
                  "code",     "id",       "nick",        "nickname", "login"});
}

// Metadata about a secret or an account ("password_changed_at", "username_policy").
bool AboutTheValue(const NameSignals& n) {
  return n.Token({"at",       "date",    "time",      "changed", "reset",      "expires",
                  "expiry",   "updated", "created",   "count",   "attempts",   "policy",
                  "required", "enabled", "flag",      "is",      "has",        "length",
                  "strength", "version", "algorithm", "algo",    "salt_length"});
}

struct Hints {
  bool email, phone, card, iban, ip, dob, postal, street, city;
  bool first_name, last_name, full_name, weak_name;
  bool username, password;
  bool ssn, nhs, sin, nif, steuer, national;
};

Hints ReadHints(const NameSignals& n) {
  Hints h{};
  h.email = n.Token({"email", "mail", "e-mail"}) || n.Joined({"email"});
  h.phone = n.Token({"phone", "tel", "telephone", "mobile", "cell", "fax", "msisdn", "landline"}) ||
            n.Joined({"phone", "mobile"});
  h.card = n.Token({"card", "cc", "pan", "creditcard", "ccnum", "cardnumber"}) ||
           n.Joined({"creditcard", "cardnumber", "cardnum"});
  h.iban = n.Token({"iban", "bic"}) || n.Joined({"iban", "bankaccount"});
  h.ip = n.Token({"ip", "ipaddress", "ipv4", "ipv6", "ipaddr"}) ||
         n.Joined({"ipaddress", "remoteaddr", "clientip", "remoteip"});
  h.dob = n.Token({"dob", "birth", "birthday", "birthdate", "born", "bday"}) ||
          n.Joined({"dateofbirth", "birthdate", "birthday"});
  h.postal = n.Token({"zip", "zipcode", "postal", "postcode", "plz", "postalcode"}) ||
             n.Joined({"zipcode", "postcode", "postalcode"});
  const bool address = (n.Token({"street", "addr", "address", "address1", "address2", "line1",
                                 "line2", "strasse"}) ||
                        n.Joined({"streetaddress", "addressline"}));
  h.street = address && !h.email && !h.ip &&
             !n.Token({"mac", "url", "web", "wallet", "server", "host", "id", "ids", "type",
                       "count", "verified", "book"});
  h.city = n.Token({"city", "town"}) && !n.Token({"id", "code"});
  h.first_name = n.Joined({"firstname", "givenname", "forename"}) || n.Token({"fname"});
  h.last_name = n.Joined({"lastname", "surname", "familyname"}) || n.Token({"lname"});
  h.full_name = n.Joined({"fullname", "cardholder", "holdername", "contactname", "customername",
                          "employeename", "patientname"});
  h.weak_name = !h.first_name && !h.last_name && !h.full_name && n.Token({"name"}) && !ThingName(n);
  h.username = (n.Token({"username", "login", "handle", "nickname", "nick"}) ||
                (n.Token({"display", "screen"}) && n.Token({"name"})) ||
                n.Joined({"username", "screenname", "userhandle"})) &&
               !AboutTheValue(n);
  h.password = (n.Token({"password", "passwd", "pwd", "passphrase", "passhash"}) ||
                n.Joined({"password", "passwd"})) &&
               !AboutTheValue(n);
  h.ssn = n.Token({"ssn", "socialsecurity"}) || n.Joined({"socialsecurity"});
  h.nhs = n.Token({"nhs"});
  h.sin = n.Token({"sin"}) || n.Joined({"socialinsurance"});
  h.nif = n.Token({"nif", "nie", "dni"});
  h.steuer =
      n.Token({"steuer", "steuerid", "idnr", "taxid", "tin", "steueridentifikationsnummer"}) ||
      n.Joined({"steuerid", "taxid", "taxnumber"});
  h.national = h.ssn || h.nhs || h.sin || h.nif || h.steuer ||
               n.Joined({"nationalid", "governmentid", "nino", "nationalinsurance", "idnumber"});
  return h;
}

// "Anna", "Jean-Luc Picard", "O'Brien", "José García": 1 to 4 capitalised words of letters.
bool PersonShape(std::string_view v, int* words) {
  int n = 0;
  std::size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && v[i] == ' ') ++i;
    if (i >= v.size()) break;
    const std::size_t start = i;
    while (i < v.size() && v[i] != ' ') ++i;
    const std::string_view w = v.substr(start, i - start);
    if (!IsUpper(static_cast<unsigned char>(w[0]))) return false;
    int letters = 0;
    for (unsigned char c : w) {
      if (IsLetter(c)) {
        ++letters;
      } else if (c != '-' && c != '\'' && c != '.') {
        return false;
      }
    }
    if (letters < 1 || w.size() > 30) return false;
    ++n;
  }
  *words = n;
  return n >= 1 && n <= 4;
}

std::string FirstWord(std::string_view v) {
  const auto b = v.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  const auto e = v.find(' ', b);
  return Lower(v.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
}

bool HasDigitLetterSpace(std::string_view v) {
  bool digit = false, letter = false, space = false;
  for (unsigned char c : v) {
    digit |= std::isdigit(c) != 0;
    letter |= IsLetter(c);
    space |= c == ' ';
  }
  return digit && letter && space;
}

bool HasSeparator(std::string_view v) {
  return v.find_first_of(" -().+/") != std::string_view::npos;
}

const char* CategoryOf(Detector d) {
  switch (d) {
    case Detector::kEmail:
      return "user.contact.email";
    case Detector::kPhone:
      return "user.contact.phone_number";
    case Detector::kCard:
      return "user.financial.credit_card";
    case Detector::kIban:
      return "user.financial.bank_account";
    case Detector::kIpv4:
    case Detector::kIpv6:
      return "user.device.ip_address";
    case Detector::kDate:
      return "user.demographic.date_of_birth";
    case Detector::kPostalCode:
      return "user.contact.address.postal_code";
    case Detector::kStreet:
      return "user.contact.address.street";
    case Detector::kSsn:
    case Detector::kNhs:
    case Detector::kSin:
    case Detector::kNifNie:
    case Detector::kSteuerId:
      return "user.government_id.national_identification_number";
  }
  return "";
}

// Tie-break between detectors with equal evidence: checksummed and specific ones first.
constexpr std::array<Detector, kDetectorCount> kPriority = {
    Detector::kCard,  Detector::kIban, Detector::kNifNie, Detector::kSteuerId,  Detector::kNhs,
    Detector::kSin,   Detector::kSsn,  Detector::kEmail,  Detector::kIpv4,      Detector::kIpv6,
    Detector::kPhone, Detector::kDate, Detector::kStreet, Detector::kPostalCode};

}  // namespace

const FirstNames& FirstNames::Bundled() {
  static const FirstNames kNames = [] {
    for (const auto& [name, text] : EmbeddedScanData()) {
      if (name == "first_names.txt") return FirstNames(text);
    }
    return FirstNames("");
  }();
  return kNames;
}

FirstNames::FirstNames(std::string_view lines) {
  std::size_t start = 0;
  while (start < lines.size()) {
    auto end = lines.find('\n', start);
    if (end == std::string_view::npos) end = lines.size();
    std::string_view line = lines.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') names_.insert(Lower(line));
    start = end + 1;
  }
}

bool FirstNames::Contains(std::string_view lower_name) const {
  return names_.count(std::string(lower_name)) > 0;
}

std::vector<std::string> NameTokens(std::string_view name) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    // camelCase: a capital after a lower-case letter starts a word.
    if (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]))) flush();
    cur.push_back(static_cast<char>(std::tolower(c)));
  }
  flush();
  return out;
}

ColumnClassifier::ColumnClassifier(const ValueDetectors& detectors, const FirstNames& first_names)
    : detectors_(detectors), first_names_(first_names) {}

ColumnClassification ColumnClassifier::Classify(const ColumnSample& column,
                                                ValueDetectors::Scratch& scratch) const {
  ColumnClassification out;
  out.collection = column.collection;
  out.field = column.field;
  NameSignals name;
  name.tokens = NameTokens(column.field);
  for (const auto& t : name.tokens) name.joined += t;
  const Hints h = ReadHints(name);

  std::array<int, kDetectorCount> whole{}, contains{}, formatted{};
  int ip_whole = 0;  // IPv4 or IPv6: one category, so one share
  int n = 0, person = 0, multiword = 0, known_first = 0, street_shape = 0, short_alpha = 0;
  for (const std::string& raw : column.values) {
    const auto b = raw.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) continue;
    const auto e = raw.find_last_not_of(" \t\r\n");
    const std::string_view v(raw.data() + b, e - b + 1);
    ++n;
    const ValueMatch m = detectors_.MatchValue(v, scratch);
    const bool sep = HasSeparator(v);
    if (m.Whole(Detector::kIpv4) || m.Whole(Detector::kIpv6)) ++ip_whole;
    for (int d = 0; d < kDetectorCount; ++d) {
      const auto det = static_cast<Detector>(d);
      if (m.Whole(det)) {
        ++whole[d];
        if (sep) ++formatted[d];
      }
      if (m.Contains(det)) ++contains[d];
    }
    int words = 0;
    if (v.size() <= 80 && PersonShape(v, &words)) {
      ++person;
      if (words >= 2) ++multiword;
      if (first_names_.Contains(FirstWord(v))) ++known_first;
    }
    if (HasDigitLetterSpace(v)) ++street_shape;
    if (v.size() <= 40 && PersonShape(v, &words)) ++short_alpha;
  }
  out.sampled = n;
  if (n == 0) return out;
  const auto share = [n](int count) { return static_cast<double>(count) / n; };

  if (column.type == kFreeText) {
    // Lines of prose: what they mention, by the detectors that need no column name.
    int best = -1;
    for (Detector d : kPriority) {
      const int i = static_cast<int>(d);
      if (d == Detector::kDate || d == Detector::kPostalCode || d == Detector::kStreet) continue;
      if (contains[i] > 0 && (best < 0 || contains[i] > contains[best])) best = i;
    }
    if (best >= 0) {
      out.category = CategoryOf(static_cast<Detector>(best));
      out.share = share(contains[best]);
      out.signal = DetectorName(static_cast<Detector>(best));
      out.confidence = 0.5 + 0.5 * out.share;
    }
    return out;
  }

  // Value detectors: evidence per detector, then the best one wins.
  struct Candidate {
    Detector d;
    double share;
    bool hinted;
  };
  std::vector<Candidate> candidates;
  for (Detector d : kPriority) {
    const int i = static_cast<int>(d);
    bool hinted = false, needs_hint = false;
    double s = share(whole[i]);
    switch (d) {
      case Detector::kEmail:
        hinted = h.email;
        break;
      case Detector::kPhone:
        hinted = h.phone;
        if (!hinted) s = share(formatted[i]);  // bare digit runs are too often something else
        break;
      case Detector::kCard:
        hinted = h.card;
        break;
      case Detector::kIban:
        hinted = h.iban;
        break;
      case Detector::kIpv4:
      case Detector::kIpv6:
        hinted = h.ip;
        s = share(ip_whole);
        break;
      case Detector::kDate:
        hinted = h.dob;
        needs_hint = true;
        s = share(contains[i]);  // "1985-04-12 00:00:00" from a timestamp column
        break;
      case Detector::kPostalCode:
        hinted = h.postal;
        needs_hint = true;
        break;
      case Detector::kStreet:
        hinted = h.street;
        s = share(contains[i]);
        break;
      case Detector::kSsn:
        hinted = h.ssn || (h.national && !h.sin && !h.nhs && !h.nif && !h.steuer);
        if (!hinted) s = share(formatted[i]);
        break;
      case Detector::kSin:
        hinted = h.sin;
        if (!hinted) s = share(formatted[i]);
        break;
      case Detector::kNhs:
        hinted = h.nhs || h.national;
        break;
      case Detector::kNifNie:
        hinted = h.nif || h.national;
        break;
      case Detector::kSteuerId:
        hinted = h.steuer || h.national;
        break;
    }
    if (needs_hint && !hinted) continue;
    if (s >= (hinted ? kHintShare : kAloneShare)) candidates.push_back({d, s, hinted});
  }
  if (!candidates.empty()) {
    // Hinted before unhinted, then by share; kPriority order breaks ties (stable sort).
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                       if (a.hinted != b.hinted) return a.hinted;
                       return a.share > b.share + 1e-9;
                     });
    const Candidate& best = candidates.front();
    out.category = CategoryOf(best.d);
    out.share = best.share;
    out.signal = DetectorName(best.d);
    out.confidence = std::min(0.99, best.share * (best.hinted ? 1.0 : 0.9));
    return out;
  }

  // Names: a name hint plus the shape of names, or (without a hint) full names whose first word
  // is a known first name.
  auto decide = [&](const char* category, double s, double confidence, const char* signal) {
    out.category = category;
    out.share = s;
    out.confidence = confidence;
    out.signal = signal;
    return out;
  };
  const double person_share = share(person);
  const double first_share = share(known_first);
  if ((h.first_name || h.last_name || h.full_name) && person_share >= kAloneShare) {
    return decide("user.name", person_share, std::min(0.95, 0.6 + 0.4 * person_share),
                  "name_hint+shape");
  }
  if (h.weak_name && person_share >= kAloneShare && first_share >= kHintShare) {
    return decide("user.name", first_share, std::min(0.9, 0.5 + 0.4 * first_share), "first_names");
  }
  if (!ThingName(name) && person_share >= 0.9 && share(multiword) >= 0.9 && first_share >= 0.7) {
    return decide("user.name", first_share, 0.7 * first_share, "first_names");
  }
  if (h.street && share(street_shape) >= 0.7) {
    return decide("user.contact.address.street", share(street_shape), 0.7, "name_hint+shape");
  }
  if (h.city && share(short_alpha) >= kAloneShare) {
    return decide("user.contact.address.city", share(short_alpha), 0.7, "name_hint+shape");
  }
  if (h.password) return decide("user.authorization.password", 0, 0.6, "name");
  if (h.username) return decide("user.account.username", 0, 0.6, "name");
  return out;
}

}  // namespace rd::scan
