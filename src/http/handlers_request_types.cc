// Request types: the console's list and an admin's configuration (built-in types switched off
// or renamed, custom rights), and the public list the Privacy Center shows.
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

nlohmann::json SettingJson(const core::RequestTypeSetting& t) {
  return {{"key", t.key},         {"name", t.name},       {"description", t.description},
          {"builtin", t.builtin}, {"enabled", t.enabled}, {"deadline_days", t.deadline_days}};
}

// An optional whole number; kInvalidArgument naming `field` for anything else.
core::Result<std::optional<int>> OptionalInt(const nlohmann::json& obj, const std::string& field) {
  const auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<int>();
  if (!it->is_number_integer() || it->get<long long>() < -1'000'000 ||
      it->get<long long>() > 1'000'000) {
    return core::Fail(core::Errc::kInvalidArgument, field + ": must be a whole number");
  }
  return std::optional<int>(static_cast<int>(it->get<long long>()));
}

core::Result<core::RequestTypeUpdate> ParseUpdate(const std::string& body) {
  auto obj = ParseJsonObject(body);
  if (!obj) return tl::unexpected(obj.error());
  core::RequestTypeUpdate u;
  // The byte limits are loose; the service counts characters.
  auto name = OptionalString(*obj, "name", 4 * core::kMaxTypeNameChars);
  if (!name) return tl::unexpected(name.error());
  u.name = *name;
  auto description = OptionalString(*obj, "description", 4 * core::kMaxTypeDescriptionChars);
  if (!description) return tl::unexpected(description.error());
  u.description = *description;
  auto enabled = OptionalBool(*obj, "enabled");
  if (!enabled) return tl::unexpected(enabled.error());
  u.enabled = *enabled;
  auto days = OptionalInt(*obj, "deadline_days");
  if (!days) return tl::unexpected(days.error());
  u.deadline_days = *days;
  return u;
}

}  // namespace

void AddRequestTypeRoutes(Router& router, ApiServices& s) {
  router.Add({"GET", "/api/v1/request-types", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest&, const core::Principal*) {
                auto types = s.request_types.List();
                if (!types) return ErrorResponse(types.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& t : *types) items.push_back(SettingJson(t));
                return JsonResponse(200, {{"items", items}});
              }});
  router.Add({"PUT", "/api/v1/request-types/{key}", false, core::RoleSet::AdminsOnly(), 16 * 1024,
              true, [&s](HttpRequest& req, const core::Principal* p) {
                auto update = ParseUpdate(req.body);
                if (!update) return ErrorResponse(update.error());
                auto change =
                    s.request_types.Put(req.params["key"], *update, core::AuthService::ActorOf(*p));
                if (!change) return ErrorResponse(change.error());
                return JsonResponse(change->created ? 201 : 200, SettingJson(change->setting));
              }});
  router.Add(
      {"GET",
       "/api/v1/privacy-center/request-types",
       true,
       {},
       0,
       false,
       [&s](HttpRequest&, const core::Principal*) {
         auto types = s.request_types.ListEnabled();
         if (!types) return ErrorResponse(types.error());
         nlohmann::json items = nlohmann::json::array();
         for (const auto& t : *types) {
           items.push_back({{"key", t.key}, {"name", t.name}, {"description", t.description}});
         }
         HttpResponse r = JsonResponse(200, {{"items", items}});
         // Every page view asks; a minute of staleness is harmless, since a type
         // switched off is refused on submission anyway.
         r.Header("Cache-Control", "public, max-age=60");
         return r;
       }});
}

}  // namespace rd::http
