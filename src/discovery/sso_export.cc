#include "discovery/sso_export.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <unordered_set>

namespace rd::discovery {
namespace {

// Lower case, letters and digits only.
std::string Squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

// An app's name as the catalog would spell it: without a parenthesised note, words such as
// "SSO", "SAML" or "OIDC", and a trailing ".com".
std::string NormalizeAppName(std::string_view name) {
  std::string s(name);
  for (auto open = s.find('('); open != std::string::npos; open = s.find('(')) {
    const auto close = s.find(')', open);
    s.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
  }
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const char* word : {" sso", " saml", " oidc", " scim", " oauth", " app"}) {
    const std::string w(word);
    if (lower.size() > w.size() && lower.compare(lower.size() - w.size(), w.size(), w) == 0) {
      lower.erase(lower.size() - w.size());
    }
  }
  for (const char* tld : {".com", ".io", ".net", ".org", ".co"}) {
    const std::string t(tld);
    if (lower.size() > t.size() && lower.compare(lower.size() - t.size(), t.size(), t) == 0) {
      lower.erase(lower.size() - t.size());
      break;
    }
  }
  return Squash(lower);
}

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// The index of the first header among `names` (squashed), or nullopt.
std::optional<std::size_t> Column(const CsvRow& header, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (Squash(header[i]) == n) return i;
    }
  }
  return std::nullopt;
}

// "2026-03-01", "2026-03-01T10:00:00Z", "2026-03-01 10:00:00" → the day's start (UTC).
std::optional<core::UnixTime> ParseDay(const std::string& text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  core::UnixTime t = 0;
  if (!core::ParseRfc3339(text.substr(0, 10) + "T00:00:00Z", &t)) return std::nullopt;
  return t;
}

struct AppCount {
  core::DiscoveredSystem system;
  std::int64_t max_users = -1;              // from a users column
  std::unordered_set<std::uint64_t> users;  // hashes, from a per-user column
  std::int64_t rows = 0;
};

}  // namespace

std::vector<CsvRow> ParseCsv(std::string_view text, std::int64_t* broken) {
  std::vector<CsvRow> rows;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.remove_prefix(3);
  CsvRow row;
  std::string field;
  bool quoted = false, in_field = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = in_field = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      in_field = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (in_field || !field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      row.clear();
      field.clear();
      in_field = false;
    } else {
      field.push_back(c);
      in_field = true;
    }
  }
  if (quoted) {
    ++*broken;
  } else if (in_field || !field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

AppNameMatcher::AppNameMatcher(const core::Catalog& catalog, const DomainMapper& domains)
    : catalog_(catalog), domains_(domains) {
  for (const auto& e : catalog.entries()) {
    names_.emplace_back(NormalizeAppName(e.name), &e);
    names_.emplace_back(Squash(e.key), &e);
  }
}

const core::CatalogEntry* AppNameMatcher::Match(std::string_view app_name) const {
  const std::string n = NormalizeAppName(app_name);
  if (n.empty()) return nullptr;
  for (const auto& [name, entry] : names_) {
    if (name == n) return entry;
  }
  // A domain in the name: "salesforce.com", "Jira (atlassian.net)".
  std::string token;
  for (std::size_t i = 0; i <= app_name.size(); ++i) {
    const char c = i < app_name.size() ? app_name[i] : ' ';
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') {
      token.push_back(c);
      continue;
    }
    if (token.find('.') != std::string::npos) {
      const std::string reg = domains_.Registrable(token);
      if (!reg.empty()) {
        if (const auto* e = catalog_.FindByDomain(reg)) return e;
      }
    }
    token.clear();
  }
  // The longest catalog name of 4 or more characters the app's name starts with.
  const core::CatalogEntry* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [name, entry] : names_) {
    if (name.size() >= 4 && name.size() > best_len && n.rfind(name, 0) == 0) {
      best = entry;
      best_len = name.size();
    }
  }
  return best;
}

core::Result<core::DiscoveryReport> ReadSsoCsv(std::string_view csv, const AppNameMatcher& matcher,
                                               const DomainMapper& domains) {
  if (csv.find('\0') != std::string_view::npos) {
    return core::Fail(core::Errc::kInvalidArgument, "csv: not text (it contains NUL bytes)");
  }
  core::DiscoveryReport report;
  report.source = core::FindingSource::kSso;
  std::int64_t broken = 0;
  const std::vector<CsvRow> rows = ParseCsv(csv, &broken);
  if (rows.empty()) return core::Fail(core::Errc::kInvalidArgument, "csv: empty");
  const CsvRow& header = rows.front();
  const auto name_col = Column(
      header, {"applabel", "appname", "applicationname", "application", "app", "displayname"});
  const auto alt_col = Column(header, {"application", "appinstancename", "clientid"});
  if (!name_col) {
    return core::Fail(core::Errc::kInvalidArgument,
                      "csv: no application column in the first row (expected one of: App Label, "
                      "App name, Application Name, Application, App, Display Name)");
  }
  const auto users_col = Column(header, {"users", "usercount", "numberofusers", "totalusers",
                                         "assignedusers", "uniqueusers", "activeusers"});
  const auto user_col =
      Column(header, {"user", "username", "useremail", "email", "login", "actor", "userlogin"});
  const auto domain_col = Column(
      header, {"domain", "website", "url", "appurl", "signonurl", "homepage", "homepageurl"});
  const auto last_col = Column(header, {"lastused", "lastlogin", "lastaccessed", "lastuseddate",
                                        "lastactivity", "lastsignin", "date", "time"});
  report.skipped = broken;
  std::map<std::string, AppCount> apps;
  std::vector<std::string> order;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.size() == 1 && Trim(row[0]).empty()) continue;  // a blank line
    const std::string name = *name_col < row.size() ? Trim(row[*name_col]) : "";
    if (name.empty() || name.size() > 200 || row.size() > header.size() + 1) {
      ++report.skipped;
      continue;
    }
    ++report.read;
    const core::CatalogEntry* entry = matcher.Match(name);
    if (entry == nullptr && alt_col && *alt_col < row.size() && *alt_col != *name_col) {
      entry = matcher.Match(Trim(row[*alt_col]));
    }
    std::string domain;
    if (domain_col && *domain_col < row.size()) {
      std::string host = Trim(row[*domain_col]);
      if (const auto s = host.find("://"); s != std::string::npos) host = host.substr(s + 3);
      host = host.substr(0, host.find_first_of("/?#:"));
      domain = domains.Registrable(host);
      if (entry == nullptr && !domain.empty()) entry = matcher.Match(domain);
    }
    core::DiscoveredSystem s;
    if (entry != nullptr) {
      s.catalog_id = entry->key;
      s.name = entry->name;
      s.domain = entry->domains.empty() ? domain : entry->domains.front();
    } else {
      s.name = name;
      s.domain = domain;
    }
    s.signals = {"sso"};
    const std::string key = core::FindingMatchKey(s);
    auto [it, inserted] = apps.try_emplace(key);
    AppCount& app = it->second;
    if (inserted) {
      app.system = s;
      order.push_back(key);
    }
    ++app.rows;
    if (users_col && *users_col < row.size()) {
      try {
        app.max_users = std::max<std::int64_t>(app.max_users, std::stoll(Trim(row[*users_col])));
      } catch (const std::exception&) {
      }
    }
    if (user_col && *user_col < row.size() && !Trim(row[*user_col]).empty()) {
      std::string u = Trim(row[*user_col]);
      for (char& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      app.users.insert(std::hash<std::string>{}(u));
    }
    if (last_col && *last_col < row.size()) {
      if (auto t = ParseDay(Trim(row[*last_col]))) {
        if (!app.system.first_seen || *t < *app.system.first_seen) app.system.first_seen = t;
        if (!app.system.last_seen || *t > *app.system.last_seen) app.system.last_seen = t;
      }
    }
  }
  for (const auto& key : order) {
    AppCount& app = apps[key];
    app.system.recipients = app.max_users >= 0   ? app.max_users
                            : !app.users.empty() ? static_cast<std::int64_t>(app.users.size())
                                                 : app.rows;
    report.systems.push_back(std::move(app.system));
  }
  return report;
}

}  // namespace rd::discovery
