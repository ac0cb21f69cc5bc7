// Copy packages: the subject's download by token (public), an agent's preview and redaction.
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

HttpResponse NotConfigured() {
  return ErrorResponse(
      core::Error{core::Errc::kUnavailable, "packages: not configured in this process"});
}

nlohmann::json PreviewJson(const core::PackagePreview& p) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : p.sources) {
    nlohmann::json collections = nlohmann::json::array();
    for (const auto& c : s.collections) {
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& r : c.sample) {
        rows.push_back(nlohmann::json::parse(r, nullptr, false));
      }
      collections.push_back({{"name", c.name},
                             {"rows", c.rows},
                             {"columns", c.columns},
                             {"redacted", c.redacted},
                             {"first_rows", rows}});
    }
    sources.push_back({{"data_source_id", s.data_source_id},
                       {"name", s.name},
                       {"task_id", s.task_id},
                       {"collections", collections}});
  }
  const auto& k = p.package;
  nlohmann::json out = {{"request_id", k.request_id}, {"status", k.status},
                        {"bytes", k.bytes},           {"downloads", k.downloads},
                        {"created_at", k.created_at}, {"updated_at", k.updated_at},
                        {"sources", sources}};
  out["expires_at"] = k.expires_at > 0 ? nlohmann::json(k.expires_at) : nlohmann::json(nullptr);
  return out;
}

}  // namespace

void AddPackageRoutes(Router& router, ApiServices& s) {
  // Public: the token is the credential. 404 unknown, 410 expired, 409 while rebuilding.
  router.Add({"GET", "/api/v1/packages/{token}", true, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                if (s.packages == nullptr) return NotConfigured();
                auto d = s.packages->Download(req.params["token"]);
                if (!d) return ErrorResponse(d.error());
                if (d->expired) {
                  HttpResponse r = JsonResponse(
                      410, {{"error",
                             {{"code", "gone"},
                              {"message", "this download link has expired; ask for a new copy"}}}});
                  return r;
                }
                HttpResponse r;
                r.status = 200;
                r.body_stream = std::move(d->read);
                r.stream_bytes = d->bytes;
                r.Header("Content-Type", "application/zip");
                r.Header("Content-Disposition", "attachment; filename=\"" + d->filename + "\"");
                r.Header("Cache-Control", "no-store");
                r.Header("X-Content-Type-Options", "nosniff");
                return r;
              }});
  router.Add({"GET", "/api/v1/requests/{id}/package", false, core::RoleSet::AgentsAndAdmins(), 0,
              false, [&s](HttpRequest& req, const core::Principal*) {
                if (s.packages == nullptr) return NotConfigured();
                auto p = s.packages->Preview(req.params["id"]);
                if (!p) return ErrorResponse(p.error());
                return JsonResponse(200, PreviewJson(*p));
              }});
  router.Add(
      {"POST", "/api/v1/requests/{id}/package/redact", false, core::RoleSet::AgentsAndAdmins(),
       kDefaultMaxBody, true, [&s](HttpRequest& req, const core::Principal* principal) {
         if (s.packages == nullptr) return NotConfigured();
         auto body = ParseJsonObject(req.body);
         if (!body) return ErrorResponse(body.error());
         const auto it = body->find("fields");
         if (it == body->end() || !it->is_array()) {
           return ErrorResponse(core::Errc::kInvalidArgument,
                                "fields: required, a list of {data_source_id, collection, "
                                "column}");
         }
         std::vector<core::PackageField> fields;
         for (std::size_t i = 0; i < it->size(); ++i) {
           const auto& f = (*it)[i];
           const std::string at = "fields[" + std::to_string(i) + "]";
           if (!f.is_object()) {
             return ErrorResponse(core::Errc::kInvalidArgument, at + ": an object");
           }
           core::PackageField pf;
           for (auto [key, dest] :
                {std::pair{"data_source_id", &pf.data_source_id},
                 std::pair{"collection", &pf.collection}, std::pair{"column", &pf.column}}) {
             auto v = RequiredString(f, key, 200);
             if (!v) {
               return ErrorResponse(core::Errc::kInvalidArgument, at + "." + v.error().message);
             }
             *dest = std::move(*v);
           }
           fields.push_back(std::move(pf));
         }
         auto p =
             s.packages->Redact(req.params["id"], fields, core::AuthService::ActorOf(*principal));
         if (!p) return ErrorResponse(p.error());
         return JsonResponse(200, PreviewJson(*p));
       }});
}

}  // namespace rd::http
