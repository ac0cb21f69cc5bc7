#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/role.h"
#include "core/user.h"
#include "http/message.h"

namespace rd::http {

// Default limit for JSON bodies (PRODUCT.md §5: public JSON bodies up to 64 KiB).
inline constexpr std::size_t kDefaultMaxBody = 64 * 1024;

// A handler gets the request (with route parameters filled in) and, on authenticated routes,
// the caller. It returns the response; it never throws on bad input.
using RouteHandler = std::function<HttpResponse(HttpRequest&, const core::Principal*)>;
// Takes the response of a request, exactly once, on any thread.
using Responder = std::function<void(HttpResponse)>;
// A handler that answers later, through `respond`: one that queues a write it need not wait
// for (Store::WriteAsync). It may answer before it returns. It must not keep references into
// the request past its return.
using AsyncRouteHandler =
    std::function<void(HttpRequest&, const core::Principal*, Responder respond)>;

struct Route {
  std::string method;      // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;     // "/api/v1/requests/{id}": literal segments and {name} parameters
  bool is_public = false;  // no authentication at all
  core::RoleSet roles;     // who may call it, when not public
  std::size_t max_body = kDefaultMaxBody;
  bool json_body = false;  // requires Content-Type: application/json (when a body is sent)
  RouteHandler handler;
  // When set, called instead of `handler` (which may then be empty).
  AsyncRouteHandler async_handler = {};
};

struct RouteMatch {
  const Route* route = nullptr;  // set when method and path match
  bool path_matched = false;     // the path exists, with another method (405)
  std::string allow;             // "GET, POST" when path_matched
};

// Maps (method, path) to a route. Built once at start-up, then read concurrently.
class Router {
 public:
  void Add(Route route);
  // Fills req.params on a match.
  RouteMatch Match(const std::string& method, const std::string& path,
                   std::map<std::string, std::string>* params) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool MatchPattern(const std::vector<std::string>& pattern,
                           const std::vector<std::string>& path,
                           std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // split patterns, parallel to routes_
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace rd::http
