#include "app/catalog_import.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/catalog_files.h"

namespace rd::app {
namespace {

using nlohmann::json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string KeyFrom(const std::string& text) {
  std::string key;
  for (char c : Lower(text)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (ok) {
      key += c;
    } else if (!key.empty() && key.back() != '_') {
      key += '_';
    }
  }
  while (!key.empty() && (key.back() == '_' || key.back() == '-' || key.back() == '.')) {
    key.pop_back();
  }
  while (!key.empty() && !((key[0] >= 'a' && key[0] <= 'z') || (key[0] >= '0' && key[0] <= '9'))) {
    key.erase(0, 1);
  }
  return key.substr(0, 100);
}

std::string MapCategory(const std::vector<std::string>& theirs) {
  static const std::map<std::string, std::string> kMap = {{"ads", "advertising"},
                                                          {"commerce", "ecommerce"},
                                                          {"finance", "finance"},
                                                          {"credit agency", "finance"},
                                                          {"collection", "finance"},
                                                          {"insurance", "finance"},
                                                          {"telecommunication", "communication"},
                                                          {"social media", "advertising"}};
  for (const auto& c : theirs) {
    if (auto it = kMap.find(Lower(c)); it != kMap.end()) return it->second;
  }
  return "other";
}

}  // namespace

std::string WebDomain(std::string_view in) {
  std::string s = Lower(std::string(in));
  if (const auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  s = s.substr(0, s.find_first_of("/?#"));
  if (const auto at = s.rfind('@'); at != std::string::npos) s = s.substr(at + 1);
  s = s.substr(0, s.find(':'));
  if (s.rfind("www.", 0) == 0) s = s.substr(4);
  return core::IsDomainName(s) ? s : std::string();
}

core::Result<core::CatalogEntry> CompanyToEntry(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return core::Fail(core::Errc::kInvalidArgument, "not valid JSON");
  if (!doc.is_object()) return core::Fail(core::Errc::kInvalidArgument, "not a JSON object");
  auto text_field = [&](const char* field) -> core::Result<std::string> {
    const auto it = doc.find(field);
    if (it == doc.end() || it->is_null()) return std::string();
    if (!it->is_string()) {
      return core::Fail(core::Errc::kInvalidArgument, std::string(field) + ": must be a string");
    }
    return it->get<std::string>();
  };
  core::CatalogEntry e;
  auto name = text_field("name");
  if (!name) return tl::unexpected(name.error());
  if (name->empty()) return core::Fail(core::Errc::kInvalidArgument, "name: required");
  e.name = *name;
  auto slug = text_field("slug");
  if (!slug) return tl::unexpected(slug.error());
  e.key = KeyFrom(slug->empty() ? *name : *slug);
  if (e.key.empty()) {
    return core::Fail(core::Errc::kInvalidArgument, "slug: no usable key in the slug or name");
  }
  if (const auto it = doc.find("web"); it != doc.end() && !it->is_null()) {
    std::vector<std::string> webs;
    if (it->is_string()) {
      webs.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const auto& v : *it) {
        if (!v.is_string()) {
          return core::Fail(core::Errc::kInvalidArgument, "web: every entry is a string");
        }
        webs.push_back(v.get<std::string>());
      }
    } else {
      return core::Fail(core::Errc::kInvalidArgument, "web: a URL or domain, or a list of them");
    }
    for (const auto& w : webs) {
      const std::string d = WebDomain(w);
      if (d.empty()) {
        return core::Fail(core::Errc::kInvalidArgument,
                          "web: '" + w.substr(0, 100) + "' is not a URL or domain");
      }
      if (std::find(e.domains.begin(), e.domains.end(), d) == e.domains.end()) {
        e.domains.push_back(d);
      }
    }
  }
  auto email = text_field("email");
  if (!email) return tl::unexpected(email.error());
  e.privacy_email = Lower(*email);
  std::vector<std::string> categories;
  if (const auto it = doc.find("categories"); it != doc.end() && !it->is_null()) {
    if (!it->is_array()) {
      return core::Fail(core::Errc::kInvalidArgument, "categories: must be a list of strings");
    }
    for (const auto& v : *it) {
      if (v.is_string()) categories.push_back(v.get<std::string>());
    }
  }
  e.category = MapCategory(categories);
  e.description = "Imported from the community company database.";
  if (auto st = core::ValidateCatalogEntry(e); !st) return tl::unexpected(st.error());
  return e;
}

core::Result<CompanyImport> ImportCompanies(const std::string& dir, const core::Catalog& known) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return core::Fail(core::Errc::kNotFound, dir + ": not a directory");
  }
  std::vector<fs::path> files;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    if (item.is_regular_file(ec) && item.path().extension() == ".json") {
      files.push_back(item.path());
    }
  }
  std::sort(files.begin(), files.end());
  CompanyImport out;
  std::set<std::string> keys;
  std::set<std::string> domains;
  for (const auto& path : files) {
    ++out.files;
    const std::string name = path.filename().string();
    auto text = ReadTextFile(path.string());
    if (!text) {
      out.skipped.push_back(name + ": cannot be read");
      continue;
    }
    auto entry = CompanyToEntry(*text);
    if (!entry) {
      out.skipped.push_back(name + ": " + entry.error().message);
      continue;
    }
    bool seen = known.Find(entry->key) != nullptr || keys.count(entry->key) > 0;
    for (const auto& d : entry->domains) {
      seen = seen || known.FindByDomain(d) != nullptr || domains.count(d) > 0;
    }
    if (seen) {
      ++out.already_known;
      continue;
    }
    keys.insert(entry->key);
    domains.insert(entry->domains.begin(), entry->domains.end());
    out.entries.push_back(std::move(*entry));
  }
  return out;
}

}  // namespace rd::app
