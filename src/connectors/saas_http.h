#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rd::connectors {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, query included; personal data: never logged
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  long timeout_seconds = 30;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case; the last value wins
  std::string body;
};

// Sends one HTTP request. Thread-safe. kUnavailable when no response came (connection
// refused, timeout, TLS failure, a body over 64 MiB); any HTTP status is a response. The
// error names neither the URL nor the body.
class HttpSender {
 public:
  virtual ~HttpSender() = default;
  [[nodiscard]] virtual core::Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// HttpSender over libcurl (http and https only, TLS verified, no redirects followed).
class CurlHttpSender final : public HttpSender {
 public:
  core::Result<HttpResponse> Send(const HttpRequest& request) override;
};

// Percent-encodes `s` for a URL path segment or query value (RFC 3986 unreserved kept).
std::string UrlEncode(const std::string& s);
std::string Base64(const std::string& s);

}  // namespace rd::connectors
