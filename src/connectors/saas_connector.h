#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "connectors/saas_client.h"
#include "connectors/saas_spec.h"
#include "core/connector.h"

namespace rd::connectors {

// What a source gives a spec: its parameters' values (secrets opened, defaults filled in) and
// an optional base URL that replaces client_config protocol and host.
struct SaasSettings {
  std::map<std::string, std::string> params;
  std::string base_url;  // "" = the spec's protocol://host
  long timeout_seconds = 30;
};

// A connector that runs a SaaS spec over HTTP (docs/saas-connectors.md). Find and Export read
// every endpoint in dependency order; Erase updates or deletes each record read, then reads
// again (nothing left = verified, else kInternal); OptOut sends each record's opt_out request.
// Errors: kUnavailable when the API cannot be reached or keeps answering 429/5xx (worth a
// retry); kInvalidArgument for other 4xx answers (credentials, a spec that does not fit) and
// for OptOut on a spec without opt_out. Messages name the endpoint, request and HTTP status,
// never a URL, an identity or a body. Not thread-safe (one call at a time).
class SaasConnector final : public core::Connector {
 public:
  SaasConnector(SaasSpec spec, SaasSettings settings, std::shared_ptr<HttpSender> sender,
                std::shared_ptr<RateLimiter> limiter, RetryPolicy retry = {});

  core::Status Test() override;
  core::Result<core::ConnectorResult> Find(const core::Identities& ids) override;
  core::Result<core::ConnectorResult> Export(const core::Identities& ids,
                                             core::RowSink& sink) override;
  core::Result<core::ConnectorResult> Erase(const core::Identities& ids,
                                            const std::string& secret) override;
  core::Result<core::ConnectorResult> OptOut(const core::Identities& ids) override;

 private:
  using Bindings = std::map<std::string, std::string>;
  using Rows = std::vector<nlohmann::json>;

  // Reads every endpoint in order into rows_, one outcome per endpoint; `sink` (optional)
  // receives each row.
  core::Status ReadAll(const core::Identities& ids, core::ConnectorResult& result,
                       core::RowSink* sink);
  core::Result<Rows> ReadEndpoint(const SaasEndpoint& ep, const core::Identities& ids);
  core::Result<Rows> ReadPages(const SaasRequest& req, const Bindings& b, const std::string& what);
  // Values for a request's param_values; nullopt when one is missing (no such identity, no
  // such field in `row`).
  std::optional<Bindings> Bind(const SaasRequest& req, const core::Identities& ids,
                               const nlohmann::json* row) const;
  // Sends a request once per row (update, delete, opt_out); counts the 2xx answers.
  core::Result<std::int64_t> SendPerRow(const SaasEndpoint& ep, const SaasRequest& req,
                                        const char* kind, const core::Identities& ids,
                                        core::ConnectorResult& result);
  core::Result<HttpRequest> Build(const SaasRequest& req, const Bindings& b,
                                  const std::string& url_override = "") const;
  std::string Resolve(const std::string& text, const Bindings& b, int mode) const;
  std::string Base() const;

  SaasSpec spec_;
  SaasSettings settings_;
  std::shared_ptr<HttpSender> sender_;
  SaasClient client_;
  std::map<std::string, Rows> rows_;
};

// The rows at `data_path` (dotted; "" = the body): an array gives its elements, an object
// itself, anything else none.
std::vector<nlohmann::json> RowsAt(const nlohmann::json& body, const std::string& data_path);
// The value at a dotted path ("a.b.0.c"), or nullptr.
const nlohmann::json* ValueAt(const nlohmann::json& j, const std::string& path);
// Sets the dotted `path` of the JSON object text `body` to the string `value` (objects on the
// way created); an error when `body` is not a JSON object.
core::Status SetAt(std::string& body, const std::string& path, const std::string& value);
// A JSON object as application/x-www-form-urlencoded (nested keys as a[b], arrays as a[0]).
std::string FormEncode(const nlohmann::json& object);

}  // namespace rd::connectors
