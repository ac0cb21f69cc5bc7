// The data inventory: data sources (read by every role, changed by admins).
#include <set>

#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

// A dataset mapping (YAML) may be long; everything else is small.
constexpr std::size_t kMaxDatasetBytes = std::size_t{1024} * 1024;
constexpr std::size_t kMaxSourceBody = 2 * kMaxDatasetBytes;

nlohmann::json SourceJson(const core::DataSource& ds) {
  auto text_or_null = [](const std::string& v) {
    return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
  };
  return {{"id", ds.id},
          {"name", ds.name},
          {"catalog_id", text_or_null(ds.catalog_id)},
          {"category", ds.category},
          {"process", ds.process},
          {"request_handling", ds.request_handling},
          {"contact_email", text_or_null(ds.contact_email)},
          {"instructions", text_or_null(ds.instructions)},
          // As the service shows it: secrets replaced by "***" (they are write-only).
          {"connector", ds.connector.empty() ? nlohmann::json(nullptr)
                                             : nlohmann::json::parse(ds.connector, nullptr, false)},
          {"dataset", text_or_null(ds.dataset)},
          {"request_types", ds.request_types},
          {"owner", text_or_null(ds.owner)},
          {"description", text_or_null(ds.description)},
          {"data_categories", ds.data_categories},
          {"archived", ds.archived},
          {"created_at", core::FormatRfc3339(ds.created_at)},
          {"updated_at", core::FormatRfc3339(ds.updated_at)}};
}

// The body of POST and PATCH. Unknown keys are refused (a typo would otherwise change
// nothing silently); the read-only keys of a GET answer are accepted and ignored, so that a
// client may send back what it read.
core::Result<core::DataSourceFields> ParseFields(const std::string& text) {
  auto body = ParseJsonObject(text);
  if (!body) return tl::unexpected(body.error());
  static const std::set<std::string> kKnown = {
      "name",          "catalog_id",   "category",        "process", "request_handling",
      "contact_email", "instructions", "connector",       "dataset", "request_types",
      "owner",         "description",  "data_categories", "id",      "archived",
      "created_at",    "updated_at"};
  for (const auto& [key, _] : body->items()) {
    if (kKnown.count(key) == 0) {
      return core::Fail(core::Errc::kInvalidArgument, key.substr(0, 64) + ": unknown field");
    }
  }
  core::DataSourceFields f;
  for (auto [field, target, max] :
       {std::tuple{"name", &f.name, core::kMaxSourceNameBytes},
        std::tuple{"catalog_id", &f.catalog_id, std::size_t{100}},
        std::tuple{"category", &f.category, core::kMaxCategoryBytes},
        std::tuple{"process", &f.process, std::size_t{32}},
        std::tuple{"contact_email", &f.contact_email, std::size_t{320}},
        std::tuple{"instructions", &f.instructions, core::kMaxInstructionsBytes},
        std::tuple{"owner", &f.owner, core::kMaxOwnerBytes},
        std::tuple{"description", &f.description, core::kMaxDescriptionBytes},
        std::tuple{"dataset", &f.dataset, kMaxDatasetBytes}}) {
    auto v = OptionalString(*body, field, max);
    if (!v) return tl::unexpected(v.error());
    // Present as null clears an optional field; absent keeps it.
    if (*v) {
      *target = **v;
    } else if (body->contains(field)) {
      *target = std::string();
    }
  }
  auto handling = OptionalBool(*body, "request_handling");
  if (!handling) return tl::unexpected(handling.error());
  f.request_handling = *handling;
  if (const auto it = body->find("connector"); it != body->end() && !it->is_null()) {
    if (!it->is_object()) {
      return core::Fail(core::Errc::kInvalidArgument, "connector: must be an object");
    }
    f.connector = it->dump();
  }
  for (auto [field, target, what] :
       {std::tuple{"request_types", &f.request_types, "request type keys"},
        std::tuple{"data_categories", &f.data_categories, "data category keys"}}) {
    const auto it = body->find(field);
    if (it == body->end()) continue;
    std::vector<std::string> keys;
    if (!it->is_null()) {
      if (!it->is_array()) {
        return core::Fail(core::Errc::kInvalidArgument,
                          std::string(field) + ": an array of " + what);
      }
      for (const auto& v : *it) {
        if (!v.is_string()) {
          return core::Fail(core::Errc::kInvalidArgument,
                            std::string(field) + ": every entry is a string");
        }
        keys.push_back(v.get<std::string>());
      }
    }
    *target = std::move(keys);
  }
  return f;
}

// ?category=&request_handling=true|false: the two inventory lists, by category.
core::Result<core::DataSourceFilter> ParseFilter(const HttpRequest& req) {
  core::DataSourceFilter filter;
  filter.category = req.Query("category");
  if (const auto& v = req.Query("request_handling"); !v.empty()) {
    if (v != "true" && v != "false") {
      return core::Fail(core::Errc::kInvalidArgument, "request_handling: must be true or false");
    }
    filter.request_handling = v == "true";
  }
  return filter;
}

}  // namespace

void AddDataSourceRoutes(Router& router, ApiServices& s) {
  router.Add({"GET", "/api/v1/data-sources", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto filter = ParseFilter(req);
                if (!filter) return ErrorResponse(filter.error());
                auto list = s.data_sources.List(*filter);
                if (!list) return ErrorResponse(list.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& ds : *list) items.push_back(SourceJson(ds));
                return JsonResponse(200, {{"items", items}});
              }});
  router.Add({"POST", "/api/v1/data-sources", false, core::RoleSet::AdminsOnly(), kMaxSourceBody,
              true, [&s](HttpRequest& req, const core::Principal* p) {
                auto fields = ParseFields(req.body);
                if (!fields) return ErrorResponse(fields.error());
                auto ds = s.data_sources.Create(*fields, core::AuthService::ActorOf(*p));
                if (!ds) return ErrorResponse(ds.error());
                return JsonResponse(201, SourceJson(*ds));
              }});
  router.Add({"GET", "/api/v1/data-sources/{id}", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto ds = s.data_sources.Get(req.params["id"]);
                if (!ds) return ErrorResponse(ds.error());
                return JsonResponse(200, SourceJson(*ds));
              }});
  router.Add({"PATCH", "/api/v1/data-sources/{id}", false, core::RoleSet::AdminsOnly(),
              kMaxSourceBody, true, [&s](HttpRequest& req, const core::Principal* p) {
                auto fields = ParseFields(req.body);
                if (!fields) return ErrorResponse(fields.error());
                auto ds = s.data_sources.Update(req.params["id"], *fields,
                                                core::AuthService::ActorOf(*p));
                if (!ds) return ErrorResponse(ds.error());
                return JsonResponse(200, SourceJson(*ds));
              }});
  router.Add({"POST", "/api/v1/data-sources/{id}/test", false, core::RoleSet::AdminsOnly(), 4096,
              true, [&s](HttpRequest& req, const core::Principal*) {
                if (!req.body.empty()) {  // none at all counts as {}
                  if (auto body = ParseJsonObject(req.body); !body) {
                    return ErrorResponse(body.error());
                  }
                }
                auto check = s.data_sources.TestConnection(req.params["id"]);
                if (!check) return ErrorResponse(check.error());
                return JsonResponse(200, {{"ok", check->ok},
                                          {"error", check->ok ? nlohmann::json(nullptr)
                                                              : nlohmann::json(check->error)},
                                          {"millis", check->millis}});
              }});
  router.Add({"DELETE", "/api/v1/data-sources/{id}", false, core::RoleSet::AdminsOnly(), 0, false,
              [&s](HttpRequest& req, const core::Principal* p) {
                auto st = s.data_sources.Archive(req.params["id"], core::AuthService::ActorOf(*p));
                if (!st) return ErrorResponse(st.error());
                HttpResponse r;
                r.status = 204;
                return r;
              }});
}

nlohmann::json DataSourceJson(const core::DataSource& ds) { return SourceJson(ds); }

}  // namespace rd::http
