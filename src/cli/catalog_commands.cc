// `rightsdesk catalog search` and `rightsdesk catalog import`: the catalog files only, no
// database.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "app/catalog_files.h"
#include "app/catalog_import.h"
#include "cli/commands.h"

namespace rd::cli {
namespace {

// The catalog as the server would load it (bundled + catalog.local), or nullopt after
// printing why.
std::optional<app::LoadedCatalog> LoadConfiguredCatalog(const CommonOptions& common, int* code) {
  auto config = app::LoadConfig(common.config_file, app::ProcessEnvironment(), common.flags);
  if (!config) {
    std::fprintf(stderr, "rightsdesk: configuration error: %s\n", config.error().message.c_str());
    *code = kExitUsage;
    return std::nullopt;
  }
  auto loaded = app::LoadCatalog(config->catalog_path, config->catalog_local);
  if (!loaded) {
    std::fprintf(stderr, "rightsdesk: %s\n", loaded.error().message.c_str());
    *code = kExitUsage;
    return std::nullopt;
  }
  return std::move(*loaded);
}

std::string Clip(const std::string& s, std::size_t width) {
  return s.size() <= width ? s : s.substr(0, width - 3) + "...";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
  return out;
}

}  // namespace

int RunCatalogSearch(const CommonOptions& common, const std::string& q,
                     const std::string& category) {
  int code = kExitOk;
  auto loaded = LoadConfiguredCatalog(common, &code);
  if (!loaded) return code;
  core::CatalogQuery query;
  query.q = q;
  query.category = category;
  query.limit = core::kMaxCatalogPage;
  std::vector<const core::CatalogEntry*> rows;
  for (;;) {
    auto page = core::SearchCatalog(loaded->catalog, query);
    if (!page) {
      std::fprintf(stderr, "rightsdesk: %s\n", page.error().message.c_str());
      return kExitUsage;
    }
    rows.insert(rows.end(), page->items.begin(), page->items.end());
    if (page->next_cursor.empty()) break;
    query.cursor = page->next_cursor;
  }
  std::vector<std::vector<std::string>> table = {
      {"KEY", "NAME", "CATEGORY", "DOMAINS", "PRIVACY CONTACT"}};
  for (const auto* e : rows) {
    table.push_back({Clip(e->key, 32), Clip(e->name, 40), e->category, Clip(Join(e->domains), 40),
                     e->privacy_email});
  }
  std::vector<std::size_t> width(table[0].size(), 0);
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : table) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
  }
  std::printf("%zu system%s\n", rows.size(), rows.size() == 1 ? "" : "s");
  return kExitOk;
}

int RunCatalogImport(const CommonOptions& common, const std::string& dir, const std::string& out) {
  int code = kExitOk;
  auto loaded = LoadConfiguredCatalog(common, &code);
  if (!loaded) return code;
  // An existing output file is merged into: its entries stay, imported keys replace theirs.
  std::vector<core::CatalogEntry> entries;
  if (auto text = app::ReadTextFile(out); text) {
    auto existing = app::ParseCatalogJson(*text, out);
    if (!existing) {
      std::fprintf(stderr, "rightsdesk: %s\n", existing.error().message.c_str());
      return kExitFailure;
    }
    entries = std::move(*existing);
  } else if (text.error().code != core::Errc::kNotFound) {
    std::fprintf(stderr, "rightsdesk: %s\n", text.error().message.c_str());
    return kExitFailure;
  }
  auto imported = app::ImportCompanies(dir, loaded->catalog);
  if (!imported) {
    std::fprintf(stderr, "rightsdesk: %s\n", imported.error().message.c_str());
    return kExitFailure;
  }
  for (const auto& why : imported->skipped) std::fprintf(stderr, "skipped %s\n", why.c_str());
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < entries.size(); ++i) index[entries[i].key] = i;
  for (auto& e : imported->entries) {
    if (auto it = index.find(e.key); it != index.end()) {
      entries[it->second] = std::move(e);
    } else {
      index[e.key] = entries.size();
      entries.push_back(std::move(e));
    }
  }
  if (auto st = app::WriteTextFile(out, app::CatalogJson(entries)); !st) {
    std::fprintf(stderr, "rightsdesk: %s\n", st.error().message.c_str());
    return kExitFailure;
  }
  std::printf("read %d files: %zu imported, %d already in the catalog, %zu malformed (skipped)\n",
              imported->files, imported->entries.size(), imported->already_known,
              imported->skipped.size());
  std::printf("wrote %s (%zu entries); set catalog.local to use it\n", out.c_str(), entries.size());
  return kExitOk;
}

}  // namespace rd::cli
