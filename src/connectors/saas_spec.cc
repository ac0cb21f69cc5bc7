#include "connectors/saas_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

namespace rd::connectors {
namespace {

using core::Errc;
using nlohmann::json;

core::Error Bad(const std::string& place, const std::string& what) {
  return {Errc::kInvalidArgument, place + ": " + what};
}

std::string Index(const std::string& place, std::size_t i) {
  return place + "[" + std::to_string(i) + "]";
}

bool IsName(const std::string& s) {
  static const std::regex kName("[A-Za-z_][A-Za-z0-9_.-]{0,99}");
  return std::regex_match(s, kName);
}

core::Result<std::string> Scalar(const YAML::Node& n, const std::string& place, bool required) {
  if (!n || n.IsNull()) {
    if (required) return tl::unexpected(Bad(place, "required"));
    return std::string();
  }
  if (!n.IsScalar()) return tl::unexpected(Bad(place, "must be a plain value"));
  return n.Scalar();
}

core::Result<std::string> Name(const YAML::Node& n, const std::string& place) {
  auto s = Scalar(n, place, true);
  if (!s) return s;
  if (!IsName(*s)) {
    return tl::unexpected(Bad(place, "must be a name ([A-Za-z_][A-Za-z0-9_.-]*)"));
  }
  return s;
}

core::Result<bool> Bool(const YAML::Node& n, const std::string& place) {
  if (!n || n.IsNull()) return false;
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    return tl::unexpected(Bad(place, "must be true or false"));
  }
  return v;
}

core::Result<std::int64_t> Int(const YAML::Node& n, const std::string& place, std::int64_t min,
                               std::int64_t max) {
  std::int64_t v = 0;
  if (!n.IsScalar() || !YAML::convert<std::int64_t>::decode(n, v) || v < min || v > max) {
    return tl::unexpected(Bad(place, "must be a whole number from " + std::to_string(min) + " to " +
                                         std::to_string(max)));
  }
  return v;
}

core::Status Known(const YAML::Node& map, const std::string& place,
                   std::initializer_list<const char*> fields) {
  if (!map.IsMap()) return tl::unexpected(Bad(place, "must be a mapping"));
  for (const auto& kv : map) {
    const std::string k = kv.first.Scalar();
    bool ok = false;
    for (const char* f : fields) ok = ok || k == f;
    if (!ok) return tl::unexpected(Bad(place + "." + k.substr(0, 40), "unknown field"));
  }
  return {};
}

json YamlToJson(const YAML::Node& n) {
  if (!n || n.IsNull()) return nullptr;
  if (n.IsSequence()) {
    json a = json::array();
    for (const auto& e : n) a.push_back(YamlToJson(e));
    return a;
  }
  if (n.IsMap()) {
    json o = json::object();
    for (const auto& kv : n) o[kv.first.Scalar()] = YamlToJson(kv.second);
    return o;
  }
  if (n.Tag() == "!") return n.Scalar();  // quoted: always a string
  bool b = false;
  std::int64_t i = 0;
  double d = 0;
  if (YAML::convert<std::int64_t>::decode(n, i)) return i;
  if (YAML::convert<double>::decode(n, d)) return d;
  if (YAML::convert<bool>::decode(n, b)) return b;
  return n.Scalar();
}

// name/value pairs: a list of {name, value} (Fides) or a mapping.
core::Status Pairs(const YAML::Node& n, const std::string& place,
                   std::vector<std::pair<std::string, std::string>>& out) {
  if (!n || n.IsNull()) return {};
  if (n.IsMap()) {
    for (const auto& kv : n) {
      auto v = Scalar(kv.second, place + "." + kv.first.Scalar(), true);
      if (!v) return tl::unexpected(v.error());
      out.emplace_back(kv.first.Scalar(), *v);
    }
    return {};
  }
  if (!n.IsSequence()) return tl::unexpected(Bad(place, "must be a list of {name, value}"));
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string at = Index(place, i);
    if (auto k = Known(n[i], at, {"name", "value"}); !k) return k;
    auto name = Scalar(n[i]["name"], at + ".name", true);
    if (!name) return tl::unexpected(name.error());
    auto value = Scalar(n[i]["value"], at + ".value", true);
    if (!value) return tl::unexpected(value.error());
    out.emplace_back(*name, *value);
  }
  return {};
}

core::Status LoadPagination(const YAML::Node& n, const std::string& place, SaasPagination& p) {
  if (!n || n.IsNull()) return {};
  if (auto k = Known(n, place, {"strategy", "configuration"}); !k) return k;
  auto strategy = Scalar(n["strategy"], place + ".strategy", true);
  if (!strategy) return tl::unexpected(strategy.error());
  const YAML::Node c = n["configuration"];
  const std::string at = place + ".configuration";
  if (!c || !c.IsMap()) return tl::unexpected(Bad(at, "required, a mapping"));
  auto text = [&](const char* f, std::string& out, bool required) -> core::Status {
    auto v = Scalar(c[f], at + "." + f, required);
    if (!v) return tl::unexpected(v.error());
    if (!v->empty()) out = *v;
    return {};
  };
  if (*strategy == "offset") {
    p.kind = SaasPagination::Kind::kOffset;
    if (auto k = Known(c, at, {"incremental_param", "increment_by", "limit"}); !k) return k;
    if (auto s = text("incremental_param", p.incremental_param, true); !s) return s;
    auto by = Int(c["increment_by"], at + ".increment_by", 1, 1000000);
    if (!by) return tl::unexpected(by.error());
    p.increment_by = *by;
    if (c["limit"]) {
      auto limit = Int(c["limit"], at + ".limit", 1, 100000000);
      if (!limit) return tl::unexpected(limit.error());
      p.limit = *limit;
    }
  } else if (*strategy == "cursor") {
    p.kind = SaasPagination::Kind::kCursor;
    if (auto k = Known(c, at, {"cursor_param", "field", "has_next"}); !k) return k;
    if (auto s = text("cursor_param", p.cursor_param, true); !s) return s;
    if (auto s = text("field", p.field, true); !s) return s;
    if (auto s = text("has_next", p.has_next, false); !s) return s;
  } else if (*strategy == "link") {
    p.kind = SaasPagination::Kind::kLink;
    if (auto k = Known(c, at, {"source", "rel", "path"}); !k) return k;
    if (auto s = text("source", p.source, true); !s) return s;
    if (auto s = text("rel", p.rel, false); !s) return s;
    if (auto s = text("path", p.path, false); !s) return s;
    if (p.source != "headers" && p.source != "body") {
      return tl::unexpected(Bad(at + ".source", "headers or body"));
    }
    if (p.source == "body" && p.path.empty()) {
      return tl::unexpected(Bad(at + ".path", "required with source: body"));
    }
  } else {
    return tl::unexpected(Bad(place + ".strategy", "offset, cursor or link"));
  }
  return {};
}

core::Status LoadParamValue(const YAML::Node& n, const std::string& at, SaasParamValue& v) {
  if (auto k = Known(n, at, {"name", "identity", "connector_param", "references"}); !k) {
    return k;
  }
  auto name = Name(n["name"], at + ".name");
  if (!name) return tl::unexpected(name.error());
  v.name = *name;
  int sources = 0;
  if (n["identity"]) {
    auto id = Name(n["identity"], at + ".identity");
    if (!id) return tl::unexpected(id.error());
    v.identity = *id;
    ++sources;
  }
  if (n["connector_param"]) {
    auto p = Name(n["connector_param"], at + ".connector_param");
    if (!p) return tl::unexpected(p.error());
    v.connector_param = *p;
    ++sources;
  }
  if (const YAML::Node refs = n["references"]; refs) {
    const std::string rat = at + ".references";
    if (!refs.IsSequence() || refs.size() != 1) {
      return tl::unexpected(Bad(rat, "a list of one {dataset, field: endpoint.field, direction}"));
    }
    const std::string r0 = Index(rat, 0);
    if (auto k = Known(refs[0], r0, {"dataset", "field", "direction"}); !k) return k;
    auto field = Scalar(refs[0]["field"], r0 + ".field", true);
    if (!field) return tl::unexpected(field.error());
    const auto dot = field->find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == field->size()) {
      return tl::unexpected(Bad(r0 + ".field", "endpoint.field (e.g. member.id)"));
    }
    v.ref_endpoint = field->substr(0, dot);
    v.ref_field = field->substr(dot + 1);
    ++sources;
  }
  if (sources != 1) {
    return tl::unexpected(Bad(at, "exactly one of identity, connector_param or references"));
  }
  return {};
}

core::Status LoadRequest(const YAML::Node& n, const std::string& place, const char* method,
                         SaasRequest& r) {
  if (!n || n.IsNull()) return {};
  if (n.IsSequence()) {
    return tl::unexpected(Bad(place, "one request (lists of requests are not supported)"));
  }
  if (auto k = Known(n, place,
                     {"method", "path", "query_params", "headers", "body", "param_values",
                      "data_path", "pagination", "ignore_errors"});
      !k) {
    return k;
  }
  r.present = true;
  auto m = Scalar(n["method"], place + ".method", false);
  if (!m) return tl::unexpected(m.error());
  r.method = m->empty() ? method : *m;
  for (auto& c : r.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (r.method != "GET" && r.method != "POST" && r.method != "PUT" && r.method != "PATCH" &&
      r.method != "DELETE") {
    return tl::unexpected(Bad(place + ".method", "GET, POST, PUT, PATCH or DELETE"));
  }
  auto path = Scalar(n["path"], place + ".path", true);
  if (!path) return tl::unexpected(path.error());
  if (path->empty() || (*path)[0] != '/') {
    return tl::unexpected(Bad(place + ".path", "must start with /"));
  }
  r.path = *path;
  if (auto s = Pairs(n["query_params"], place + ".query_params", r.query_params); !s) return s;
  if (auto s = Pairs(n["headers"], place + ".headers", r.headers); !s) return s;
  if (const YAML::Node b = n["body"]; b && !b.IsNull()) {
    if (b.IsScalar()) {
      r.body = b.Scalar();
    } else if (b.IsMap()) {
      r.body = YamlToJson(b).dump();
    } else {
      return tl::unexpected(Bad(place + ".body", "JSON text or a mapping"));
    }
  }
  if (const YAML::Node pv = n["param_values"]; pv && !pv.IsNull()) {
    if (!pv.IsSequence()) return tl::unexpected(Bad(place + ".param_values", "must be a list"));
    for (std::size_t i = 0; i < pv.size(); ++i) {
      SaasParamValue v;
      if (auto s = LoadParamValue(pv[i], Index(place + ".param_values", i), v); !s) return s;
      r.params.push_back(std::move(v));
    }
  }
  auto dp = Scalar(n["data_path"], place + ".data_path", false);
  if (!dp) return tl::unexpected(dp.error());
  r.data_path = *dp;
  if (auto s = LoadPagination(n["pagination"], place + ".pagination", r.pagination); !s) return s;
  if (const YAML::Node ie = n["ignore_errors"]; ie && !ie.IsNull()) {
    if (ie.IsSequence()) {
      for (std::size_t i = 0; i < ie.size(); ++i) {
        auto code = Int(ie[i], Index(place + ".ignore_errors", i), 400, 599);
        if (!code) return tl::unexpected(code.error());
        r.ignore_codes.insert(static_cast<int>(*code));
      }
    } else {
      auto all = Bool(ie, place + ".ignore_errors");
      if (!all) return tl::unexpected(all.error());
      r.ignore_all_errors = *all;
    }
  }
  return {};
}

core::Status LoadAuth(const YAML::Node& n, const std::string& place, SaasAuth& a) {
  if (!n || n.IsNull()) return {};
  if (auto k = Known(n, place, {"strategy", "configuration"}); !k) return k;
  auto strategy = Scalar(n["strategy"], place + ".strategy", true);
  if (!strategy) return tl::unexpected(strategy.error());
  const YAML::Node c = n["configuration"];
  const std::string at = place + ".configuration";
  if (!c || !c.IsMap()) return tl::unexpected(Bad(at, "required, a mapping"));
  auto text = [&](const char* f, std::string& out, bool required) -> core::Status {
    auto v = Scalar(c[f], at + "." + f, required);
    if (!v) return tl::unexpected(v.error());
    out = *v;
    return {};
  };
  if (*strategy == "basic") {
    a.strategy = SaasAuth::Strategy::kBasic;
    if (auto k = Known(c, at, {"username", "password"}); !k) return k;
    if (auto s = text("username", a.username, true); !s) return s;
    if (auto s = text("password", a.password, false); !s) return s;
  } else if (*strategy == "bearer") {
    a.strategy = SaasAuth::Strategy::kBearer;
    if (auto k = Known(c, at, {"token"}); !k) return k;
    if (auto s = text("token", a.token, true); !s) return s;
  } else if (*strategy == "api_key") {
    a.strategy = SaasAuth::Strategy::kApiKey;
    if (auto k = Known(c, at, {"header", "query_param", "value"}); !k) return k;
    if (auto s = text("header", a.header, false); !s) return s;
    if (auto s = text("query_param", a.query_param, false); !s) return s;
    if (auto s = text("value", a.value, true); !s) return s;
    if (!a.header.empty() && !a.query_param.empty()) {
      return tl::unexpected(Bad(at, "header or query_param, not both"));
    }
    if (a.header.empty() && a.query_param.empty()) a.header = "X-API-Key";
  } else {
    return tl::unexpected(Bad(place + ".strategy", "basic, bearer or api_key"));
  }
  return {};
}

// Every placeholder of `text` must be one of `known`.
core::Status CheckPlaceholders(const std::string& text, const std::string& place,
                               const std::set<std::string>& known) {
  for (const auto& p : Placeholders(text)) {
    if (known.count(p) == 0) {
      return tl::unexpected(
          Bad(place, "<" + p + "> is neither a param_values name nor a connector parameter"));
    }
  }
  return {};
}

core::Status CheckRequest(const SaasSpec& spec, const SaasEndpoint* ep, const SaasRequest& r,
                          const std::string& place, bool is_read) {
  std::set<std::string> known;
  for (const auto& p : spec.params) known.insert(p.name);
  std::string referenced;
  for (std::size_t i = 0; i < r.params.size(); ++i) {
    const auto& v = r.params[i];
    const std::string at = Index(place + ".param_values", i);
    known.insert(v.name);
    if (!v.connector_param.empty() && spec.Param(v.connector_param) == nullptr) {
      return tl::unexpected(
          Bad(at + ".connector_param", "no connector parameter '" + v.connector_param + "'"));
    }
    if (v.ref_endpoint.empty()) continue;
    const std::string rat = at + ".references[0].field";
    if (spec.Endpoint(v.ref_endpoint) == nullptr) {
      return tl::unexpected(Bad(rat, "no endpoint '" + v.ref_endpoint + "'"));
    }
    if (ep == nullptr) return tl::unexpected(Bad(rat, "the test request cannot reference"));
    if (is_read && v.ref_endpoint == ep->name) {
      return tl::unexpected(Bad(rat, "a read cannot reference its own endpoint"));
    }
    if (!is_read && v.ref_endpoint != ep->name) {
      return tl::unexpected(
          Bad(rat, "update, delete and opt_out reference their own endpoint ('" + ep->name + "')"));
    }
    if (!referenced.empty() && referenced != v.ref_endpoint) {
      return tl::unexpected(Bad(rat, "all references of a request name the same endpoint"));
    }
    referenced = v.ref_endpoint;
  }
  if (auto s = CheckPlaceholders(r.path, place + ".path", known); !s) return s;
  for (std::size_t i = 0; i < r.query_params.size(); ++i) {
    auto s = CheckPlaceholders(r.query_params[i].second, Index(place + ".query_params", i), known);
    if (!s) return s;
  }
  for (std::size_t i = 0; i < r.headers.size(); ++i) {
    auto s = CheckPlaceholders(r.headers[i].second, Index(place + ".headers", i), known);
    if (!s) return s;
  }
  if (auto s = CheckPlaceholders(r.body, place + ".body", known); !s) return s;
  if (!is_read && r.pagination.kind != SaasPagination::Kind::kNone) {
    return tl::unexpected(Bad(place + ".pagination", "only reads are paginated"));
  }
  return {};
}

// Orders `n` nodes so that each comes after its `deps`; an error names a node on a cycle.
core::Result<std::vector<std::size_t>> TopoOrder(
    std::size_t n, const std::vector<std::set<std::size_t>>& deps,
    const std::function<std::string(std::size_t)>& name) {
  std::vector<int> state(n, 0);  // 0 new, 1 visiting, 2 done
  std::vector<std::size_t> out;
  std::function<core::Status(std::size_t)> visit = [&](std::size_t i) -> core::Status {
    if (state[i] == 2) return {};
    if (state[i] == 1) {
      return tl::unexpected(
          Bad("endpoints", "a cycle of after/references through '" + name(i) + "'"));
    }
    state[i] = 1;
    for (std::size_t d : deps[i]) {
      if (auto s = visit(d); !s) return s;
    }
    state[i] = 2;
    out.push_back(i);
    return {};
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (auto s = visit(i); !s) return tl::unexpected(s.error());
  }
  return out;
}

core::Status LoadEndpoints(const YAML::Node& list, SaasSpec& spec) {
  if (!list || !list.IsSequence() || list.size() == 0) {
    return tl::unexpected(Bad("endpoints", "required, a list of endpoints"));
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = Index("endpoints", i);
    const YAML::Node n = list[i];
    if (auto k = Known(n, at, {"name", "after", "erase_after", "requests"}); !k) {
      return k;
    }
    SaasEndpoint ep;
    auto name = Name(n["name"], at + ".name");
    if (!name) return tl::unexpected(name.error());
    ep.name = *name;
    if (spec.Endpoint(ep.name) != nullptr) {
      return tl::unexpected(Bad(at + ".name", "'" + ep.name + "' is given twice"));
    }
    for (auto [field, target] :
         {std::pair{"after", &ep.after}, std::pair{"erase_after", &ep.erase_after}}) {
      const YAML::Node a = n[field];
      if (!a || a.IsNull()) continue;
      if (!a.IsSequence()) return tl::unexpected(Bad(at + "." + field, "must be a list"));
      for (std::size_t j = 0; j < a.size(); ++j) {
        auto v = Scalar(a[j], Index(at + "." + field, j), true);
        if (!v) return tl::unexpected(v.error());
        // Fides writes "<dataset>.<endpoint>"; the endpoint is what counts here.
        const auto dot = v->rfind('.');
        target->push_back(dot == std::string::npos ? *v : v->substr(dot + 1));
      }
    }
    const YAML::Node req = n["requests"];
    const std::string rat = at + ".requests";
    if (!req || !req.IsMap()) return tl::unexpected(Bad(rat, "required, a mapping"));
    if (auto k = Known(req, rat, {"read", "update", "delete", "opt_out"}); !k) return k;
    if (auto s = LoadRequest(req["read"], rat + ".read", "GET", ep.read); !s) return s;
    if (auto s = LoadRequest(req["update"], rat + ".update", "PUT", ep.update); !s) return s;
    if (auto s = LoadRequest(req["delete"], rat + ".delete", "DELETE", ep.del); !s) return s;
    if (auto s = LoadRequest(req["opt_out"], rat + ".opt_out", "POST", ep.opt_out); !s) return s;
    if (!ep.read.present) {
      return tl::unexpected(Bad(rat + ".read",
                                "required: every endpoint is read (find, copy, "
                                "and the check after an erasure)"));
    }
    spec.endpoints.push_back(std::move(ep));
  }
  for (std::size_t i = 0; i < spec.endpoints.size(); ++i) {
    const SaasEndpoint& ep = spec.endpoints[i];
    const std::string at = Index("endpoints", i) + ".requests";
    if (auto s = CheckRequest(spec, &ep, ep.read, at + ".read", true); !s) return s;
    if (auto s = CheckRequest(spec, &ep, ep.update, at + ".update", false); !s) return s;
    if (auto s = CheckRequest(spec, &ep, ep.del, at + ".delete", false); !s) return s;
    if (auto s = CheckRequest(spec, &ep, ep.opt_out, at + ".opt_out", false); !s) return s;
    for (const auto& a : ep.after) {
      if (spec.Endpoint(a) == nullptr) {
        return tl::unexpected(Bad(Index("endpoints", i) + ".after", "no endpoint '" + a + "'"));
      }
    }
    for (const auto& a : ep.erase_after) {
      if (spec.Endpoint(a) == nullptr) {
        return tl::unexpected(
            Bad(Index("endpoints", i) + ".erase_after", "no endpoint '" + a + "'"));
      }
    }
  }
  // Read order: what a read references, and its `after`, first.
  const std::size_t n = spec.endpoints.size();
  auto index_of = [&](const std::string& name) {
    for (std::size_t i = 0; i < n; ++i) {
      if (spec.endpoints[i].name == name) return i;
    }
    return n;
  };
  std::vector<std::set<std::size_t>> deps(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& a : spec.endpoints[i].after) deps[i].insert(index_of(a));
    if (auto r = spec.endpoints[i].read.ReferencedEndpoint(); !r.empty()) {
      deps[i].insert(index_of(r));
    }
  }
  auto order = TopoOrder(n, deps, [&](std::size_t i) { return spec.endpoints[i].name; });
  if (!order) return tl::unexpected(order.error());
  std::vector<SaasEndpoint> sorted;
  for (std::size_t i : *order) sorted.push_back(spec.endpoints[i]);
  spec.endpoints = std::move(sorted);
  return {};
}

core::Status LoadParams(const YAML::Node& list, SaasSpec& spec) {
  if (!list || list.IsNull()) return {};
  if (!list.IsSequence()) return tl::unexpected(Bad("connector_params", "must be a list"));
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = Index("connector_params", i);
    if (auto k = Known(list[i], at,
                       {"name", "label", "description", "default_value", "sensitive", "options",
                        "multiselect", "allowed_values"});
        !k) {
      return k;
    }
    SaasConnectorParam p;
    auto name = Name(list[i]["name"], at + ".name");
    if (!name) return tl::unexpected(name.error());
    p.name = *name;
    if (p.name == "base_url") {
      return tl::unexpected(Bad(at + ".name", "base_url is the connector's own field"));
    }
    if (spec.Param(p.name) != nullptr) {
      return tl::unexpected(Bad(at + ".name", "'" + p.name + "' is given twice"));
    }
    if (list[i]["default_value"]) {
      auto d = Scalar(list[i]["default_value"], at + ".default_value", false);
      if (!d) return tl::unexpected(d.error());
      p.default_value = *d;
      p.has_default = true;
    }
    auto sensitive = Bool(list[i]["sensitive"], at + ".sensitive");
    if (!sensitive) return tl::unexpected(sensitive.error());
    p.sensitive = *sensitive;
    spec.params.push_back(std::move(p));
  }
  return {};
}

core::Status LoadRateLimits(const YAML::Node& n, SaasSpec& spec) {
  if (!n || n.IsNull()) return {};
  if (auto k = Known(n, "rate_limit_config", {"limits", "enabled"}); !k) return k;
  const YAML::Node limits = n["limits"];
  if (!limits || !limits.IsSequence()) {
    return tl::unexpected(Bad("rate_limit_config.limits", "required, a list of {rate, period}"));
  }
  for (std::size_t i = 0; i < limits.size(); ++i) {
    const std::string at = Index("rate_limit_config.limits", i);
    if (auto k = Known(limits[i], at, {"rate", "period", "custom_key"}); !k) return k;
    SaasRateLimit l;
    auto rate = Int(limits[i]["rate"], at + ".rate", 1, 1000000);
    if (!rate) return tl::unexpected(rate.error());
    l.rate = static_cast<double>(*rate);
    auto period = Scalar(limits[i]["period"], at + ".period", true);
    if (!period) return tl::unexpected(period.error());
    static const std::map<std::string, std::int64_t> kPeriods = {
        {"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}};
    const auto it = kPeriods.find(*period);
    if (it == kPeriods.end()) {
      return tl::unexpected(Bad(at + ".period", "second, minute, hour or day"));
    }
    l.period_seconds = it->second;
    spec.limits.push_back(l);
  }
  return {};
}

core::Status LoadSpec(const YAML::Node& top, SaasSpec& spec) {
  if (!top.IsMap() || !top["saas_config"] || !top["saas_config"].IsMap()) {
    return tl::unexpected(Bad("saas_config", "required: the spec's top-level mapping"));
  }
  const YAML::Node c = top["saas_config"];
  if (auto k = Known(c, "saas_config",
                     {"fides_key", "name", "type", "description", "version", "connector_params",
                      "external_references", "client_config", "rate_limit_config", "test_request",
                      "endpoints", "dataset", "user_guide", "display_info"});
      !k) {
    return k;
  }
  for (auto [field, target, required] :
       {std::tuple{"fides_key", &spec.fides_key, true}, std::tuple{"name", &spec.name, true},
        std::tuple{"type", &spec.type, true}, std::tuple{"version", &spec.version, false},
        std::tuple{"description", &spec.description, false}}) {
    auto v = Scalar(c[field], field, required);
    if (!v) return tl::unexpected(v.error());
    *target = *v;
  }
  if (auto s = LoadParams(c["connector_params"], spec); !s) return s;
  const YAML::Node cc = c["client_config"];
  if (!cc || !cc.IsMap()) return tl::unexpected(Bad("client_config", "required, a mapping"));
  if (auto k = Known(cc, "client_config", {"protocol", "host", "authentication"}); !k) return k;
  auto protocol = Scalar(cc["protocol"], "client_config.protocol", false);
  if (!protocol) return tl::unexpected(protocol.error());
  if (!protocol->empty()) spec.protocol = *protocol;
  if (spec.protocol != "https" && spec.protocol != "http") {
    return tl::unexpected(Bad("client_config.protocol", "https or http"));
  }
  auto host = Scalar(cc["host"], "client_config.host", true);
  if (!host) return tl::unexpected(host.error());
  spec.host = *host;
  if (auto s = LoadAuth(cc["authentication"], "client_config.authentication", spec.auth); !s) {
    return s;
  }
  std::set<std::string> params;
  for (const auto& p : spec.params) params.insert(p.name);
  for (auto [text, place] :
       {std::pair{&spec.host, "client_config.host"},
        std::pair{&spec.auth.username, "client_config.authentication.configuration.username"},
        std::pair{&spec.auth.password, "client_config.authentication.configuration.password"},
        std::pair{&spec.auth.token, "client_config.authentication.configuration.token"},
        std::pair{&spec.auth.value, "client_config.authentication.configuration.value"}}) {
    if (auto s = CheckPlaceholders(*text, place, params); !s) return s;
  }
  if (auto s = LoadRateLimits(c["rate_limit_config"], spec); !s) return s;
  if (auto s = LoadRequest(c["test_request"], "test_request", "GET", spec.test_request); !s) {
    return s;
  }
  if (auto s = LoadEndpoints(c["endpoints"], spec); !s) return s;
  if (auto s = CheckRequest(spec, nullptr, spec.test_request, "test_request", true); !s) return s;
  if (const YAML::Node d = c["dataset"]; d && !d.IsNull() && !d.IsSequence()) {
    return tl::unexpected(Bad("dataset", "a list of {collection, fields}"));
  }
  return {};
}

}  // namespace

std::string SaasRequest::ReferencedEndpoint() const {
  for (const auto& p : params) {
    if (!p.ref_endpoint.empty()) return p.ref_endpoint;
  }
  return "";
}

const SaasConnectorParam* SaasSpec::Param(const std::string& n) const {
  for (const auto& p : params) {
    if (p.name == n) return &p;
  }
  return nullptr;
}

const SaasEndpoint* SaasSpec::Endpoint(const std::string& n) const {
  for (const auto& e : endpoints) {
    if (e.name == n) return &e;
  }
  return nullptr;
}

std::vector<std::size_t> SaasSpec::EraseOrder() const {
  const std::size_t n = endpoints.size();
  auto index_of = [&](const std::string& name) {
    for (std::size_t i = 0; i < n; ++i) {
      if (endpoints[i].name == name) return i;
    }
    return n;
  };
  // A parent is erased after the endpoints read through its rows (its children), unless the
  // child says erase_after the parent (Zendesk: the permanent deletion of a user, read
  // through the user, comes after the user's deletion): the explicit order wins.
  std::vector<std::set<std::size_t>> deps(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& ea = endpoints[i].erase_after;
    if (auto r = endpoints[i].read.ReferencedEndpoint();
        !r.empty() && std::find(ea.begin(), ea.end(), r) == ea.end()) {
      deps[index_of(r)].insert(i);
    }
    for (const auto& a : ea) deps[i].insert(index_of(a));
  }
  auto order = TopoOrder(n, deps, [&](std::size_t i) { return endpoints[i].name; });
  std::vector<std::size_t> out;
  if (!order) {
    for (std::size_t i = n; i-- > 0;) out.push_back(i);  // a cycle: reverse read order
  } else {
    out = std::move(*order);
  }
  std::vector<std::size_t> erasable;
  for (std::size_t i : out) {
    if (endpoints[i].update.present || endpoints[i].del.present) erasable.push_back(i);
  }
  return erasable;
}

std::vector<std::string> Placeholders(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex kPlaceholder("<([A-Za-z_][A-Za-z0-9_.-]*)>");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kPlaceholder);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1].str();
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

core::Result<SaasSpec> LoadSaasSpec(const std::string& yaml) {
  YAML::Node top;
  try {
    top = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return tl::unexpected(Bad("line " + std::to_string(e.mark.line + 1), "not valid YAML"));
  }
  SaasSpec spec;
  try {
    if (auto s = LoadSpec(top, spec); !s) return tl::unexpected(s.error());
  } catch (const YAML::Exception& e) {
    return tl::unexpected(
        Bad("line " + std::to_string(e.mark.line + 1), "unexpected structure in the spec"));
  }
  return spec;
}

}  // namespace rd::connectors
