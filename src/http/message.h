#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rd::http {

// A request as the handlers see it, independent of the HTTP library.
struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // decoded path, without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote_address;                 // client IP as text
  std::map<std::string, std::string> params;  // route parameters ("{id}"), set by the router

  // Header value, or "" when absent. `name` in lower case.
  const std::string& Header(const std::string& name) const;
  // Query parameter value, or "".
  const std::string& Query(const std::string& name) const;
  // Cookie value from the Cookie header, or "".
  std::string Cookie(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A body too large to hold at once (a copy package): sent piece by piece as `body_stream`
  // yields them (nullopt at the end), with Content-Length `stream_bytes`, `body` staying
  // empty. An error after the first piece closes the connection, so that the client sees the
  // body cut short rather than a complete-looking one.
  std::function<core::Result<std::optional<std::string>>()> body_stream;
  std::uint64_t stream_bytes = 0;
  // Set by the dispatcher for metrics: the route pattern that matched, or "unmatched".
  std::string route = "unmatched";

  HttpResponse& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace rd::http
