#include "app/catalog_files.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace rd::app {
namespace {

using nlohmann::json;

auto At(const std::string& where, const std::string& what) {
  return core::Fail(core::Errc::kInvalidArgument, where + ": " + what);
}

// A string member; absent or null gives "".
core::Result<std::string> Text(const json& obj, const char* field, const std::string& where) {
  const auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return At(where + "." + field, "must be a string");
  return it->get<std::string>();
}

core::Result<std::vector<std::string>> TextList(const json& obj, const char* field,
                                                const std::string& where) {
  std::vector<std::string> out;
  const auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) return At(where + "." + field, "must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return At(where + "." + field, "must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

core::Result<json> ParseObject(const std::string& text, const std::string& source) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return At(source, "not valid JSON");
  if (!doc.is_object()) return At(source, "must be a JSON object");
  return doc;
}

}  // namespace

core::Result<std::vector<core::CatalogEntry>> ParseCatalogJson(const std::string& text,
                                                               const std::string& source) {
  auto doc = ParseObject(text, source);
  if (!doc) return tl::unexpected(doc.error());
  const auto entries = doc->find("entries");
  if (entries == doc->end() || !entries->is_array()) {
    return At(source, "needs \"entries\": an array of catalog entries");
  }
  static const std::set<std::string> kKnown = {"key",         "name",         "category",
                                               "domains",     "mail_domains", "privacy_email",
                                               "privacy_url", "integration",  "description"};
  std::vector<core::CatalogEntry> out;
  std::set<std::string> keys;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const json& item = (*entries)[i];
    const std::string where = source + ": entries[" + std::to_string(i) + "]";
    if (!item.is_object()) return At(where, "must be an object");
    for (const auto& [k, _] : item.items()) {
      if (kKnown.count(k) == 0) return At(where + "." + k.substr(0, 64), "unknown field");
    }
    core::CatalogEntry e;
    for (auto [field, target] :
         {std::pair{"key", &e.key}, std::pair{"name", &e.name}, std::pair{"category", &e.category},
          std::pair{"privacy_email", &e.privacy_email}, std::pair{"privacy_url", &e.privacy_url},
          std::pair{"integration", &e.integration}, std::pair{"description", &e.description}}) {
      auto v = Text(item, field, where);
      if (!v) return tl::unexpected(v.error());
      *target = std::move(*v);
    }
    for (auto [field, target] :
         {std::pair{"domains", &e.domains}, std::pair{"mail_domains", &e.mail_domains}}) {
      auto v = TextList(item, field, where);
      if (!v) return tl::unexpected(v.error());
      *target = std::move(*v);
    }
    if (auto st = core::ValidateCatalogEntry(e); !st) {
      return At(where + (e.key.empty() ? "" : " (" + e.key.substr(0, 100) + ")"),
                st.error().message);
    }
    if (!keys.insert(e.key).second) return At(where + ".key", e.key + " is listed twice");
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<std::vector<core::DataCategory>> ParseDataCategoriesJson(const std::string& text,
                                                                      const std::string& source) {
  auto doc = ParseObject(text, source);
  if (!doc) return tl::unexpected(doc.error());
  const auto list = doc->find("categories");
  if (list == doc->end() || !list->is_array()) {
    return At(source, "needs \"categories\": an array of data categories");
  }
  std::vector<core::DataCategory> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    const std::string where = source + ": categories[" + std::to_string(i) + "]";
    if (!item.is_object()) return At(where, "must be an object");
    core::DataCategory c;
    for (auto [field, target] :
         {std::pair{"key", &c.key}, std::pair{"name", &c.name}, std::pair{"parent", &c.parent},
          std::pair{"description", &c.description}, std::pair{"replaced_by", &c.replaced_by}}) {
      auto v = Text(item, field, where);
      if (!v) return tl::unexpected(v.error());
      *target = std::move(*v);
    }
    out.push_back(std::move(c));
  }
  if (auto st = core::ValidateTaxonomy(out); !st) return At(source, st.error().message);
  return out;
}

std::string CatalogJson(const std::vector<core::CatalogEntry>& entries) {
  std::string out = "{\"version\": 1,\n \"entries\": [\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    json j = json::object();
    j["key"] = e.key;
    j["name"] = e.name;
    j["category"] = e.category;
    j["domains"] = e.domains;
    j["mail_domains"] = e.mail_domains;
    j["privacy_email"] = e.privacy_email;
    j["privacy_url"] = e.privacy_url;
    j["integration"] = e.integration;
    j["description"] = e.description;
    // nlohmann orders object keys alphabetically; a fixed order reads better, so the object
    // is written member by member.
    out += "  {";
    bool first = true;
    for (const char* k : {"key", "name", "category", "domains", "mail_domains", "privacy_email",
                          "privacy_url", "integration", "description"}) {
      if (!first) out += ", ";
      first = false;
      out += json(k).dump() + ": " + j[k].dump(-1, ' ', false, json::error_handler_t::replace);
    }
    out += i + 1 < entries.size() ? "},\n" : "}\n";
  }
  out += " ]}\n";
  return out;
}

core::Result<std::string> ReadTextFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return core::Fail(core::Errc::kNotFound, path + ": no such file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Fail(core::Errc::kUnavailable, path + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

core::Status WriteTextFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return core::Fail(core::Errc::kUnavailable, path + ": cannot be written");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return core::Fail(core::Errc::kUnavailable, path + ": cannot be written: " + ec.message());
  }
  return {};
}

std::string DefaultCatalogDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const fs::path& candidate :
       {exe.parent_path().parent_path() / "catalog",
        exe.parent_path().parent_path() / "share" / "rightsdesk" / "catalog"}) {
    if (fs::is_regular_file(candidate / "catalog.json", ec)) return candidate.string();
  }
  return {};
}

core::Result<LoadedCatalog> LoadCatalog(const std::string& catalog_dir,
                                        const std::string& local_file) {
  LoadedCatalog out;
  out.dir = catalog_dir.empty() ? DefaultCatalogDir() : catalog_dir;
  std::vector<core::CatalogEntry> entries;
  if (!out.dir.empty()) {
    const std::string catalog_path = out.dir + "/catalog.json";
    auto text = ReadTextFile(catalog_path);
    if (!text) return At("catalog.path", text.error().message);
    auto parsed = ParseCatalogJson(*text, catalog_path);
    if (!parsed) return tl::unexpected(parsed.error());
    entries = std::move(*parsed);
    const std::string categories_path = out.dir + "/data_categories.json";
    auto categories_text = ReadTextFile(categories_path);
    if (!categories_text) return At("catalog.path", categories_text.error().message);
    auto categories = ParseDataCategoriesJson(*categories_text, categories_path);
    if (!categories) return tl::unexpected(categories.error());
    out.taxonomy = core::DataCategoryTaxonomy(std::move(*categories));
  }
  if (!local_file.empty()) {
    auto text = ReadTextFile(local_file);
    if (!text) return At("catalog.local", text.error().message);
    auto local = ParseCatalogJson(*text, local_file);
    if (!local) return tl::unexpected(local.error());
    // The Catalog keeps the first position of a key and the last entry: overrides in place.
    for (auto& e : *local) entries.push_back(std::move(e));
  }
  out.catalog = core::Catalog(std::move(entries));
  return out;
}

}  // namespace rd::app
