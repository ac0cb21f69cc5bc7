// Reading the parts of a SaaS connector spec: pagination, parameter values, requests and
// authentication.
#include <yaml-cpp/yaml.h>

#include <string>

#include "connectors/yaml_read.h"

namespace rd::connectors::yaml_read {

using core::Errc;

namespace {

// A {strategy, configuration} mapping, read: its strategy's name and text fields of its
// configuration.
struct StrategyBlock {
  std::string strategy;
  YAML::Node config;
  std::string at;  // the configuration's place

  static core::Result<StrategyBlock> Read(const YAML::Node& n, const std::string& place) {
    if (auto k = Known(n, place, {"strategy", "configuration"}); !k) {
      return tl::unexpected(k.error());
    }
    auto strategy = Scalar(n["strategy"], place + ".strategy", true);
    if (!strategy) return tl::unexpected(strategy.error());
    StrategyBlock b{*strategy, n["configuration"], place + ".configuration"};
    if (!b.config || !b.config.IsMap()) return tl::unexpected(Bad(b.at, "required, a mapping"));
    return b;
  }

  // Configuration field `f` into `out`; an absent optional field leaves `out` as it is.
  core::Status Text(const char* f, std::string& out, bool required) const {
    auto v = Scalar(config[f], at + "." + f, required);
    if (!v) return tl::unexpected(v.error());
    if (!v->empty()) out = *v;
    return {};
  }
};

}  // namespace

core::Status LoadPagination(const YAML::Node& n, const std::string& place, SaasPagination& p) {
  if (!n || n.IsNull()) return {};
  auto block = StrategyBlock::Read(n, place);
  if (!block) return tl::unexpected(block.error());
  const std::string* strategy = &block->strategy;
  const YAML::Node& c = block->config;
  const std::string& at = block->at;
  if (*strategy == "offset") {
    p.kind = SaasPagination::Kind::kOffset;
    if (auto k = Known(c, at, {"incremental_param", "increment_by", "limit"}); !k) return k;
    if (auto s = block->Text("incremental_param", p.incremental_param, true); !s) return s;
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
    if (auto k = Known(
            c, at, {"cursor_param", "cursor_body_path", "field", "next_cursor_path", "has_next"});
        !k) {
      return k;
    }
    for (const auto& [f, out] :
         {std::pair<const char*, std::string*>{"cursor_param", &p.cursor_param},
          {"cursor_body_path", &p.cursor_body_path},
          {"field", &p.field},
          {"next_cursor_path", &p.next_cursor_path},
          {"has_next", &p.has_next}}) {
      if (auto s = block->Text(f, *out, false); !s) return s;
    }
    // Where the cursor goes, and where the next one comes from: one of each.
    if (p.cursor_param.empty() == p.cursor_body_path.empty()) {
      return tl::unexpected(Bad(at,
                                "needs cursor_param (a query parameter) or cursor_body_path "
                                "(a path in the JSON body), not both"));
    }
    if (p.field.empty() == p.next_cursor_path.empty()) {
      return tl::unexpected(Bad(at,
                                "needs field (the last row's) or next_cursor_path (a path in "
                                "the answer's body), not both"));
    }
  } else if (*strategy == "link") {
    p.kind = SaasPagination::Kind::kLink;
    if (auto k = Known(c, at, {"source", "rel", "path"}); !k) return k;
    if (auto s = block->Text("source", p.source, true); !s) return s;
    if (auto s = block->Text("rel", p.rel, false); !s) return s;
    if (auto s = block->Text("path", p.path, false); !s) return s;
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
  auto block = StrategyBlock::Read(n, place);
  if (!block) return tl::unexpected(block.error());
  const std::string* strategy = &block->strategy;
  const YAML::Node& c = block->config;
  const std::string& at = block->at;
  if (*strategy == "basic") {
    a.strategy = SaasAuth::Strategy::kBasic;
    if (auto k = Known(c, at, {"username", "password"}); !k) return k;
    if (auto s = block->Text("username", a.username, true); !s) return s;
    if (auto s = block->Text("password", a.password, false); !s) return s;
  } else if (*strategy == "bearer") {
    a.strategy = SaasAuth::Strategy::kBearer;
    if (auto k = Known(c, at, {"token"}); !k) return k;
    if (auto s = block->Text("token", a.token, true); !s) return s;
  } else if (*strategy == "api_key") {
    a.strategy = SaasAuth::Strategy::kApiKey;
    if (auto k = Known(c, at, {"header", "query_param", "value"}); !k) return k;
    if (auto s = block->Text("header", a.header, false); !s) return s;
    if (auto s = block->Text("query_param", a.query_param, false); !s) return s;
    if (auto s = block->Text("value", a.value, true); !s) return s;
    if (!a.header.empty() && !a.query_param.empty()) {
      return tl::unexpected(Bad(at, "header or query_param, not both"));
    }
    if (a.header.empty() && a.query_param.empty()) a.header = "X-API-Key";
  } else {
    return tl::unexpected(Bad(place + ".strategy", "basic, bearer or api_key"));
  }
  return {};
}
}  // namespace rd::connectors::yaml_read
