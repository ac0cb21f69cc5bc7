// Login, logout, the current user, users and API tokens.
#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"

namespace rd::http {
namespace {

nlohmann::json UserJson(const core::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"role", core::RoleName(u.role)},
          {"created_at", core::FormatRfc3339(u.created_at)}};
}

nlohmann::json TokenJson(const core::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"user_id", t.user_id},
          {"role", core::RoleName(t.role)},
          {"created_at", core::FormatRfc3339(t.created_at)},
          {"revoked", t.revoked}};
}

// Secure when configured, or when a TLS-terminating proxy says the client used https.
bool BehindTls(const HttpRequest& req, bool configured) {
  return configured || req.Header("x-forwarded-proto") == "https";
}

std::string SessionCookie(const std::string& value, int max_age, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (secure) c += "; Secure";
  return c;
}

// The role field of a body, when present.
core::Result<std::optional<core::Role>> OptionalRole(const nlohmann::json& body) {
  auto role = OptionalString(body, "role", 20);
  if (!role) return tl::unexpected(role.error());
  if (!*role) return std::optional<core::Role>{};
  auto parsed = core::ParseRole(**role);
  if (!parsed) {
    return core::Fail(core::Errc::kInvalidArgument, "role: must be admin, agent or viewer");
  }
  return std::optional<core::Role>(*parsed);
}

}  // namespace

void AddAuthRoutes(Router& router, ApiServices& s, const ApiOptions& options) {
  const bool secure = options.secure_cookies;
  const int ttl = options.session_ttl_seconds;
  router.Add({"POST",
              "/api/v1/auth/login",
              true,
              {},
              8 * 1024,
              true,
              [&s, secure, ttl](HttpRequest& req, const core::Principal*) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto email = RequiredString(*body, "email", 320);
                if (!email) return ErrorResponse(email.error());
                auto password = RequiredString(*body, "password", 1024);
                if (!password) return ErrorResponse(password.error());
                auto login = s.auth.Login(*email, *password, req.remote_address);
                if (!login) return ErrorResponse(login.error());
                HttpResponse r = JsonResponse(
                    200, {{"csrf_token", login->csrf_token}, {"user", UserJson(login->user)}});
                r.Header("Set-Cookie",
                         SessionCookie(login->session_token, ttl, BehindTls(req, secure)));
                r.Header("Cache-Control", "no-store");
                return r;
              }});
  router.Add({"POST", "/api/v1/auth/logout", false, core::RoleSet::All(), 1024, false,
              [&s, secure](HttpRequest& req, const core::Principal*) {
                const std::string cookie = req.Cookie(kSessionCookie);
                if (!cookie.empty()) {
                  if (auto st = s.auth.Logout(cookie); !st) return ErrorResponse(st.error());
                }
                HttpResponse r = JsonResponse(200, {{"ok", true}});
                r.Header("Set-Cookie", SessionCookie("", 0, BehindTls(req, secure)));
                return r;
              }});
  router.Add({"GET", "/api/v1/me", false, core::RoleSet::All(), 0, false,
              [](HttpRequest&, const core::Principal* p) {
                nlohmann::json body = {{"id", p->user_id},
                                       {"email", p->email},
                                       {"role", core::RoleName(p->role)},
                                       {"auth", p->via_cookie ? "session" : "token"}};
                if (p->via_cookie) body["csrf_token"] = p->csrf_token;
                return JsonResponse(200, body);
              }});
  router.Add({"GET", "/api/v1/users", false, core::RoleSet::AdminsOnly(), 0, false,
              [&s](HttpRequest&, const core::Principal*) {
                auto users = s.auth.ListUsers();
                if (!users) return ErrorResponse(users.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& u : *users) items.push_back(UserJson(u));
                return JsonResponse(200, {{"items", items}});
              }});
  router.Add({"POST", "/api/v1/users", false, core::RoleSet::AdminsOnly(), 8 * 1024, true,
              [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto email = RequiredString(*body, "email", 320);
                if (!email) return ErrorResponse(email.error());
                auto password = RequiredString(*body, "password", 1024);
                if (!password) return ErrorResponse(password.error());
                auto role = OptionalRole(*body);
                if (!role) return ErrorResponse(role.error());
                if (!*role) {
                  return ErrorResponse(core::Errc::kInvalidArgument,
                                       "role: required (admin, agent or viewer)");
                }
                auto user =
                    s.auth.CreateUser(*email, **role, *password, core::AuthService::ActorOf(*p));
                if (!user) return ErrorResponse(user.error());
                return JsonResponse(201, UserJson(*user));
              }});
  router.Add({"GET", "/api/v1/tokens", false, core::RoleSet::AdminsOnly(), 0, false,
              [&s](HttpRequest&, const core::Principal*) {
                auto tokens = s.auth.ListApiTokens();
                if (!tokens) return ErrorResponse(tokens.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& t : *tokens) items.push_back(TokenJson(t));
                return JsonResponse(200, {{"items", items}});
              }});
  router.Add({"POST", "/api/v1/tokens", false, core::RoleSet::AdminsOnly(), 8 * 1024, true,
              [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto name = RequiredString(*body, "name", 100);
                if (!name) return ErrorResponse(name.error());
                auto role = OptionalRole(*body);
                if (!role) return ErrorResponse(role.error());
                auto created = s.auth.CreateApiToken(*p, *name, *role);
                if (!created) return ErrorResponse(created.error());
                nlohmann::json out = TokenJson(created->token);
                out["token"] = created->secret;
                return JsonResponse(201, out);
              }});
  router.Add({"DELETE", "/api/v1/tokens/{id}", false, core::RoleSet::AdminsOnly(), 0, false,
              [&s](HttpRequest& req, const core::Principal* p) {
                auto st = s.auth.RevokeApiToken(*p, req.params["id"]);
                if (!st) return ErrorResponse(st.error());
                return JsonResponse(200, {{"id", req.params["id"]}, {"revoked", true}});
              }});
}

}  // namespace rd::http
