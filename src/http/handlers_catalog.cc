// The catalog of known systems and the data category taxonomy: read-only, for every role.
#include <cstdlib>
#include <map>

#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

nlohmann::json EntryJson(const core::CatalogEntry& e) {
  auto text_or_null = [](const std::string& v) {
    return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
  };
  return {{"key", e.key},
          {"name", e.name},
          {"category", e.category},
          {"domains", e.domains},
          {"mail_domains", e.mail_domains},
          {"privacy_email", text_or_null(e.privacy_email)},
          {"privacy_url", text_or_null(e.privacy_url)},
          {"integration", text_or_null(e.integration)},
          {"description", e.description}};
}

core::Result<core::CatalogQuery> ParseQuery(const HttpRequest& req) {
  core::CatalogQuery q;
  q.q = req.Query("q");
  q.category = req.Query("category");
  q.cursor = req.Query("cursor");
  if (const auto& v = req.Query("limit"); !v.empty()) {
    char* end = nullptr;
    const long n = std::strtol(v.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > core::kMaxCatalogPage) {
      return core::Fail(core::Errc::kInvalidArgument, "limit: a whole number from 1 to 500");
    }
    q.limit = static_cast<int>(n);
  }
  return q;
}

}  // namespace

void AddCatalogRoutes(Router& router, ApiServices& s) {
  router.Add(
      {"GET", "/api/v1/catalog", false, core::RoleSet::All(), 0, false,
       [&s](HttpRequest& req, const core::Principal*) {
         auto q = ParseQuery(req);
         if (!q) return ErrorResponse(q.error());
         auto page = core::SearchCatalog(s.catalog, *q);
         if (!page) return ErrorResponse(page.error());
         nlohmann::json items = nlohmann::json::array();
         for (const auto* e : page->items) items.push_back(EntryJson(*e));
         return JsonResponse(
             200, {{"items", items},
                   {"total", page->total},
                   {"next_cursor", page->next_cursor.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(page->next_cursor)}});
       }});
  router.Add({"GET", "/api/v1/catalog/categories", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest&, const core::Principal*) {
                std::map<std::string, int> counts;
                for (const auto& e : s.catalog.entries()) ++counts[e.category];
                nlohmann::json items = nlohmann::json::array();
                for (const auto& c : core::CatalogCategories()) {
                  items.push_back(
                      {{"key", c}, {"name", core::CatalogCategoryName(c)}, {"entries", counts[c]}});
                }
                return JsonResponse(200, {{"items", items}});
              }});
  router.Add(
      {"GET", "/api/v1/data-categories", false, core::RoleSet::All(), 0, false,
       [&s](HttpRequest&, const core::Principal*) {
         nlohmann::json items = nlohmann::json::array();
         for (const auto& c : s.data_categories.categories()) {
           items.push_back(
               {{"key", c.key},
                {"name", c.name},
                {"parent", c.parent.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.parent)},
                {"description", c.description},
                {"replaced_by",
                 c.replaced_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.replaced_by)}});
         }
         return JsonResponse(200, {{"items", items}});
       }});
}

}  // namespace rd::http
