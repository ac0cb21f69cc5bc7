#include "http/api.h"

#include <chrono>
#include <future>

#include "http/json_body.h"

namespace rd::http {
namespace {

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool IsJsonContentType(const std::string& value) {
  const std::string type = value.substr(0, value.find(';'));
  std::string lower;
  for (char c : type) {
    if (c != ' ') lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return lower == "application/json";
}

void AddSecurityHeaders(HttpResponse& r) {
  r.Header("X-Content-Type-Options", "nosniff");
  r.Header("X-Frame-Options", "DENY");
  r.Header("Referrer-Policy", "no-referrer");
}

}  // namespace

Api::Api(ApiServices services, ApiOptions options)
    : services_(services), options_(std::move(options)), static_files_(options_.web_dir) {
  AddSystemRoutes(router_, services_);
  AddAuthRoutes(router_, services_, options_);
  AddRequestRoutes(router_, services_);
  AddPrivacyCenterRoutes(router_, services_);
  AddPrivacyCenterSettingsRoute(router_, options_);
  AddRequestTypeRoutes(router_, services_);
  AddCaseworkRoutes(router_, services_);
  AddDataSourceRoutes(router_, services_);
  AddCatalogRoutes(router_, services_);
  AddScanRoutes(router_, services_);
  AddTaskRoutes(router_, services_);
  AddVendorPageRoutes(router_, services_);
  AddTemplateRoutes(router_, services_);
  AddReplyRoutes(router_, services_);
  AddDiscoveryRoutes(router_, services_);
  AddProofRoutes(router_, services_);
  AddWebhookRoutes(router_, services_);
  AddPackageRoutes(router_, services_);
}

void Api::HandleAsync(HttpRequest& req, Responder respond) {
  const auto start = std::chrono::steady_clock::now();
  Responder finish = [this, start, method = req.method, path = req.path,
                      respond = std::move(respond)](HttpResponse resp) {
    Finish(method, path, start, resp);
    respond(std::move(resp));
  };
  std::optional<HttpResponse> resp;
  try {
    resp = Dispatch(req, finish);
  } catch (const std::exception& e) {
    // The one catch-all of the HTTP layer: a bug, not bad input.
    services_.logger.Error("unhandled error", {{"path", req.path}, {"error", e.what()}});
    resp = ErrorResponse(core::Errc::kInternal, "internal error");
    resp->route = "error";
  }
  if (resp && finish) finish(std::move(*resp));
}

HttpResponse Api::Handle(HttpRequest& req) {
  std::promise<HttpResponse> answer;
  std::future<HttpResponse> future = answer.get_future();
  HandleAsync(req, [&answer](HttpResponse resp) { answer.set_value(std::move(resp)); });
  return future.get();
}

void Api::Finish(const std::string& method, const std::string& path,
                 std::chrono::steady_clock::time_point start, HttpResponse& resp) {
  AddSecurityHeaders(resp);
  if (method == "HEAD") {
    resp.body.clear();
    resp.body_stream = nullptr;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  services_.metrics.Record(method, resp.route, resp.status, seconds);
  const bool probe = path == "/healthz" || path == "/readyz" || path == "/metrics";
  services_.logger.Log(probe ? log::Level::kDebug : log::Level::kInfo, "http request",
                       {{"method", method},
                        {"route", resp.route},
                        {"status", resp.status},
                        {"ms", seconds * 1000.0}});
}

std::optional<HttpResponse> Api::Dispatch(HttpRequest& req, Responder& respond) {
  RouteMatch m = router_.Match(req.method, req.path, &req.params);
  if (m.route == nullptr) {
    if (m.path_matched) {
      HttpResponse r = JsonResponse(
          405,
          {{"error",
            {{"code", "method_not_allowed"},
             {"message", "method " + req.method + " is not allowed here; allowed: " + m.allow}}}});
      r.Header("Allow", m.allow);
      return r;
    }
    const bool api = req.path.rfind("/api/", 0) == 0;
    if (!api && (req.method == "GET" || req.method == "HEAD") && static_files_.enabled()) {
      HttpResponse r = static_files_.Serve(req.path);
      r.route = r.status == 200 ? "static" : "unmatched";
      return r;
    }
    return ErrorResponse(core::Errc::kNotFound, "no route for " + req.method + " " +
                                                    (api ? req.path : std::string("this path")));
  }
  const Route& route = *m.route;
  HttpResponse resp;
  if (req.body.size() > route.max_body) {
    resp =
        ErrorResponse(core::Errc::kPayloadTooLarge,
                      "the body is larger than " + std::to_string(route.max_body / 1024) + " KiB");
  } else {
    core::Principal principal;
    resp = Authorize(req, route, &principal);
    if (resp.status == 0) {
      if (route.json_body && !req.body.empty() && !IsJsonContentType(req.Header("content-type"))) {
        resp = ErrorResponse(core::Errc::kUnsupportedMedia,
                             "send the body as Content-Type: application/json");
      } else {
        const core::Principal* caller = route.is_public ? nullptr : &principal;
        if (route.async_handler) {
          route.async_handler(req, caller, [&route, respond = std::move(respond)](HttpResponse r) {
            r.route = route.pattern;
            respond(std::move(r));
          });
          return std::nullopt;
        }
        resp = route.handler(req, caller);
      }
    }
  }
  resp.route = route.pattern;
  return resp;
}

// Returns a response with status 0 when the caller may proceed.
HttpResponse Api::Authorize(HttpRequest& req, const Route& route, core::Principal* principal) {
  HttpResponse ok;
  ok.status = 0;
  if (route.is_public) return ok;
  const std::string& authz = req.Header("authorization");
  core::Result<core::Principal> who = core::Fail(core::Errc::kUnauthenticated, "");
  if (!authz.empty()) {
    if (authz.rfind("Bearer ", 0) != 0) {
      return ErrorResponse(core::Errc::kUnauthenticated, "use Authorization: Bearer <api token>");
    }
    who = services_.auth.AuthenticateBearer(authz.substr(7));
  } else {
    const std::string cookie = req.Cookie(kSessionCookie);
    if (cookie.empty()) {
      return ErrorResponse(core::Errc::kUnauthenticated,
                           "log in first (POST /api/v1/auth/login) or send a bearer token");
    }
    who = services_.auth.AuthenticateSession(cookie);
  }
  if (!who) return ErrorResponse(who.error());
  if (!route.roles.Contains(who->role)) {
    return ErrorResponse(
        core::Errc::kPermissionDenied,
        std::string("your role (") + core::RoleName(who->role) + ") may not do this");
  }
  if (who->via_cookie && IsUnsafe(req.method)) {
    const std::string& sent = req.Header("x-csrf-token");
    if (sent.empty() || sent.size() != who->csrf_token.size() ||
        !services_.auth.CsrfMatches(sent, who->csrf_token)) {
      return ErrorResponse(core::Errc::kPermissionDenied,
                           "missing or wrong X-CSRF-Token header (from the login response)");
    }
  }
  *principal = std::move(*who);
  return ok;
}

}  // namespace rd::http
