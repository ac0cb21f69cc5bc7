#include "connectors/saas_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "connectors/yaml_read.h"

namespace rd::connectors {
namespace {

using core::Errc;
using nlohmann::json;

using namespace yaml_read;  // the spec's YAML readers

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
