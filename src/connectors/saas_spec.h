#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rd::connectors {

// A SaaS spec (docs/saas-connectors.md): how one HTTP API finds, reads, erases and opts out a
// subject, in the Fides saas_config format. Plain data; LoadSaasSpec checks it whole.

// Where one placeholder's value comes from.
struct SaasParamValue {
  std::string name;
  std::string identity;         // "email", "phone_number"
  std::string connector_param;  // a connector parameter's name
  std::string ref_endpoint;     // references: the endpoint whose read rows give the value
  std::string ref_field;        // ... and the dotted path in such a row ("id", "merge.EMAIL")
};

struct SaasPagination {
  enum class Kind { kNone, kOffset, kCursor, kLink };
  Kind kind = Kind::kNone;
  std::string incremental_param;  // offset
  std::int64_t increment_by = 0;
  std::int64_t limit = 0;        // 0: none
  std::string cursor_param;      // cursor: a query parameter ...
  std::string cursor_body_path;  // ... or a dotted path set in the JSON request body
  std::string field;             // the next cursor: the last row's field ...
  std::string next_cursor_path;  // ... or a dotted path in the response body
  std::string has_next;          // dotted path to a boolean in the body; "": none
  std::string source;            // link: "headers" or "body"
  std::string rel = "next";
  std::string path;
};

struct SaasRequest {
  bool present = false;
  std::string method;
  std::string path;                                               // template
  std::vector<std::pair<std::string, std::string>> query_params;  // name, value template
  std::vector<std::pair<std::string, std::string>> headers;       // name, value template
  std::string body;                                               // JSON text template; "" = none
  std::vector<SaasParamValue> params;
  std::string data_path;  // dotted; "" = the body itself
  SaasPagination pagination;
  bool ignore_all_errors = false;
  std::set<int> ignore_codes;

  // The endpoint this request's references read (at most one), "" when none.
  std::string ReferencedEndpoint() const;
};

struct SaasEndpoint {
  std::string name;
  std::vector<std::string> after;
  std::vector<std::string> erase_after;
  SaasRequest read, update, del, opt_out;
};

struct SaasConnectorParam {
  std::string name;
  std::string default_value;
  bool has_default = false;
  bool sensitive = false;
};

struct SaasAuth {
  enum class Strategy { kNone, kBasic, kBearer, kApiKey };
  Strategy strategy = Strategy::kNone;
  std::string username, password;          // basic (templates)
  std::string token;                       // bearer
  std::string header, query_param, value;  // api_key
};

struct SaasRateLimit {
  double rate = 0;                  // requests ...
  std::int64_t period_seconds = 1;  // ... per this many seconds
};

struct SaasSpec {
  std::string fides_key, name, type, version, description;
  std::vector<SaasConnectorParam> params;
  std::string protocol = "https";
  std::string host;  // template
  SaasAuth auth;
  std::vector<SaasRateLimit> limits;
  SaasRequest test_request;
  std::vector<SaasEndpoint> endpoints;  // in read order: what a read references comes first

  const SaasConnectorParam* Param(const std::string& name) const;
  const SaasEndpoint* Endpoint(const std::string& name) const;
  // Indexes of the endpoints with update or delete, in erasure order: children (endpoints
  // read through another's rows) before parents, then erase_after.
  std::vector<std::size_t> EraseOrder() const;
};

// Parses and checks a spec's YAML text (top level `saas_config`). kInvalidArgument naming the
// place: "endpoints[1].requests.read.param_values[0].references[0].field: no endpoint 'x'".
[[nodiscard]] core::Result<SaasSpec> LoadSaasSpec(const std::string& yaml);

// The placeholders (<name>) of a template, in order, each once.
std::vector<std::string> Placeholders(const std::string& text);

}  // namespace rd::connectors
