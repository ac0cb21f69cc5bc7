#include "connectors/saas_connector.h"

#include <chrono>
#include <set>

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;
using nlohmann::json;

enum Mode { kRaw = 0, kPath = 1, kJson = 2 };
constexpr int kMaxPages = 1000;

std::int64_t MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// A JSON value as a placeholder value: strings as they are, anything else as JSON text.
std::string Text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool IsForm(const SaasRequest& req) {
  for (const auto& [name, value] : req.headers) {
    std::string n = name;
    for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (n == "content-type" && value.find("x-www-form-urlencoded") != std::string::npos) {
      return true;
    }
  }
  return false;
}

void FormPairs(const json& v, const std::string& key, std::string& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.items()) FormPairs(child, key + "[" + k + "]", out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      FormPairs(v[i], key + "[" + std::to_string(i) + "]", out);
    }
  } else {
    if (!out.empty()) out += '&';
    out += UrlEncode(key) + "=" + UrlEncode(v.is_null() ? "" : Text(v));
  }
}

// The URL of rel="next" in a Link header: <https://...>; rel="next", <...>; rel="prev".
std::string LinkRel(const std::string& header, const std::string& rel) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    const auto open = header.find('<', pos);
    if (open == std::string::npos) break;
    const auto close = header.find('>', open);
    if (close == std::string::npos) break;
    auto next = header.find('<', close);
    const std::string params =
        header.substr(close + 1, next == std::string::npos ? std::string::npos : next - close - 1);
    if (params.find("rel=\"" + rel + "\"") != std::string::npos ||
        params.find("rel=" + rel) != std::string::npos) {
      return header.substr(open + 1, close - open - 1);
    }
    pos = next == std::string::npos ? header.size() : next;
  }
  return "";
}

core::Error HttpError(const std::string& what, int status) {
  std::string hint;
  if (status == 401 || status == 403) hint = " (check the connector's credentials)";
  return {Errc::kInvalidArgument, what + ": HTTP " + std::to_string(status) + hint};
}

}  // namespace

std::string FormEncode(const json& object) {
  std::string out;
  if (!object.is_object()) return out;
  for (const auto& [k, v] : object.items()) FormPairs(v, k, out);
  return out;
}

SaasConnector::SaasConnector(SaasSpec spec, SaasSettings settings,
                             std::shared_ptr<HttpSender> sender,
                             std::shared_ptr<RateLimiter> limiter, RetryPolicy retry)
    : spec_(std::move(spec)),
      settings_(std::move(settings)),
      sender_(std::move(sender)),
      client_(*sender_, std::move(limiter), std::move(retry)) {}

std::string SaasConnector::Resolve(const std::string& text, const Bindings& b, int mode) const {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find('<', pos);
    if (open == std::string::npos) break;
    const auto close = text.find('>', open);
    if (close == std::string::npos) break;
    const std::string name = text.substr(open + 1, close - open - 1);
    const std::string* value = nullptr;
    if (const auto it = b.find(name); it != b.end()) {
      value = &it->second;
    } else if (const auto p = settings_.params.find(name); p != settings_.params.end()) {
      value = &p->second;
    }
    out += text.substr(pos, open - pos);
    if (value == nullptr) {
      out += text.substr(open, close - open + 1);  // not a placeholder (checked at load)
    } else if (mode == kPath) {
      out += UrlEncode(*value);
    } else if (mode == kJson) {
      const std::string quoted = json(*value).dump();
      out += quoted.substr(1, quoted.size() - 2);
    } else {
      out += *value;
    }
    pos = close + 1;
  }
  out += text.substr(pos);
  return out;
}

std::string SaasConnector::Base() const {
  std::string base = settings_.base_url.empty()
                         ? spec_.protocol + "://" + Resolve(spec_.host, {}, kRaw)
                         : settings_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

core::Result<HttpRequest> SaasConnector::Build(const SaasRequest& req, const Bindings& b,
                                               const std::string& url_override) const {
  HttpRequest out;
  out.method = req.method;
  out.timeout_seconds = settings_.timeout_seconds;
  std::string query;
  auto add_query = [&](const std::string& name, const std::string& value) {
    query += (query.empty() ? "" : "&") + UrlEncode(name) + "=" + UrlEncode(value);
  };
  if (url_override.empty()) {
    for (const auto& [name, value] : req.query_params) add_query(name, Resolve(value, b, kRaw));
  }
  const SaasAuth& auth = spec_.auth;
  switch (auth.strategy) {
    case SaasAuth::Strategy::kBasic:
      out.headers.emplace_back("Authorization",
                               "Basic " + Base64(Resolve(auth.username, {}, kRaw) + ":" +
                                                 Resolve(auth.password, {}, kRaw)));
      break;
    case SaasAuth::Strategy::kBearer:
      out.headers.emplace_back("Authorization", "Bearer " + Resolve(auth.token, {}, kRaw));
      break;
    case SaasAuth::Strategy::kApiKey:
      if (!auth.header.empty()) {
        out.headers.emplace_back(auth.header, Resolve(auth.value, {}, kRaw));
      } else if (url_override.empty()) {
        add_query(auth.query_param, Resolve(auth.value, {}, kRaw));
      }
      break;
    case SaasAuth::Strategy::kNone:
      break;
  }
  if (url_override.empty()) {
    out.url = Base() + Resolve(req.path, b, kPath) + (query.empty() ? "" : "?" + query);
  } else if (url_override.rfind("http://", 0) == 0 || url_override.rfind("https://", 0) == 0) {
    out.url = url_override;
  } else if (!url_override.empty() && url_override[0] == '/') {
    out.url = Base() + url_override;
  } else {
    return Fail(Errc::kInvalidArgument, "pagination: the next-page link is not a URL");
  }
  out.headers.emplace_back("Accept", "application/json");
  bool has_type = false;
  for (const auto& [name, value] : req.headers) {
    std::string n = name;
    for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    has_type = has_type || n == "content-type";
    out.headers.emplace_back(name, Resolve(value, b, kRaw));
  }
  if (!req.body.empty()) {
    const std::string text = Resolve(req.body, b, kJson);
    const json body = json::parse(text, nullptr, false);
    if (body.is_discarded()) {
      return Fail(Errc::kInvalidArgument, "body: not JSON once its placeholders are filled in");
    }
    if (IsForm(req)) {
      out.body = FormEncode(body);
    } else {
      out.body = body.dump();
      if (!has_type) out.headers.emplace_back("Content-Type", "application/json");
    }
  }
  return out;
}

std::optional<SaasConnector::Bindings> SaasConnector::Bind(const SaasRequest& req,
                                                           const core::Identities& ids,
                                                           const json* row) const {
  Bindings b;
  for (const auto& p : req.params) {
    if (!p.identity.empty()) {
      const auto it = ids.find(p.identity);
      if (it == ids.end() || it->second.empty()) return std::nullopt;
      b[p.name] = it->second;
    } else if (!p.connector_param.empty()) {
      const auto it = settings_.params.find(p.connector_param);
      if (it == settings_.params.end()) return std::nullopt;
      b[p.name] = it->second;
    } else {
      const json* v = row == nullptr ? nullptr : ValueAt(*row, p.ref_field);
      if (v == nullptr || v->is_null()) return std::nullopt;
      b[p.name] = Text(*v);
    }
  }
  return b;
}

core::Result<SaasConnector::Rows> SaasConnector::ReadPages(const SaasRequest& req,
                                                           const Bindings& b,
                                                           const std::string& what) {
  Rows rows;
  const SaasPagination& pg = req.pagination;
  std::int64_t offset = 0;
  for (const auto& [name, value] : req.query_params) {
    if (pg.kind == SaasPagination::Kind::kOffset && name == pg.incremental_param) {
      offset = std::strtoll(Resolve(value, b, kRaw).c_str(), nullptr, 10);
    }
  }
  std::string cursor, next_url;
  for (int page = 0; page < kMaxPages; ++page) {
    SaasRequest r = req;
    if (pg.kind == SaasPagination::Kind::kOffset) {
      std::erase_if(r.query_params, [&](const auto& q) { return q.first == pg.incremental_param; });
      r.query_params.emplace_back(pg.incremental_param, std::to_string(offset));
    } else if (pg.kind == SaasPagination::Kind::kCursor && !cursor.empty() &&
               !pg.cursor_param.empty()) {
      std::erase_if(r.query_params, [&](const auto& q) { return q.first == pg.cursor_param; });
      r.query_params.emplace_back(pg.cursor_param, cursor);
    }
    auto http = Build(r, b, next_url);
    if (!http) return Fail(http.error().code, what + "." + http.error().message);
    if (!cursor.empty() && !pg.cursor_body_path.empty()) {
      if (auto s = SetAt(http->body, pg.cursor_body_path, cursor); !s) {
        return Fail(Errc::kInvalidArgument, what + ".body: " + s.error().message);
      }
    }
    auto resp = client_.Call(*http, what);
    if (!resp) return tl::unexpected(resp.error());
    if (resp->status == 404 || req.ignore_all_errors || req.ignore_codes.count(resp->status)) {
      if (resp->status < 200 || resp->status >= 300) return rows;
    }
    if (resp->status < 200 || resp->status >= 300)
      return tl::unexpected(HttpError(what, resp->status));
    json body = resp->body.empty() ? json() : json::parse(resp->body, nullptr, false);
    if (body.is_discarded()) {
      return Fail(Errc::kInvalidArgument, what + ": the answer is not JSON");
    }
    Rows got = RowsAt(body, req.data_path);
    const std::size_t n = got.size();
    for (auto& row : got) rows.push_back(std::move(row));
    if (n == 0) break;
    if (pg.kind == SaasPagination::Kind::kNone) break;
    if (pg.kind == SaasPagination::Kind::kOffset) {
      if (static_cast<std::int64_t>(n) < pg.increment_by) break;
      offset += pg.increment_by;
      if (pg.limit > 0 && offset >= pg.limit) break;
    } else if (pg.kind == SaasPagination::Kind::kCursor) {
      if (!pg.has_next.empty()) {
        const json* more = ValueAt(body, pg.has_next);
        if (more == nullptr || !more->is_boolean() || !more->get<bool>()) break;
      }
      const json* c = pg.next_cursor_path.empty() ? ValueAt(rows.back(), pg.field)
                                                  : ValueAt(body, pg.next_cursor_path);
      if (c == nullptr || c->is_null()) break;
      cursor = Text(*c);
    } else {
      std::string link;
      if (pg.source == "headers") {
        const auto it = resp->headers.find("link");
        if (it != resp->headers.end()) link = LinkRel(it->second, pg.rel);
      } else if (const json* l = ValueAt(body, pg.path); l != nullptr && l->is_string()) {
        link = l->get<std::string>();
      }
      if (link.empty() || link == next_url) break;
      next_url = link;
    }
  }
  return rows;
}

core::Result<SaasConnector::Rows> SaasConnector::ReadEndpoint(const SaasEndpoint& ep,
                                                              const core::Identities& ids) {
  const std::string what = ep.name + ".read";
  const std::string parent = ep.read.ReferencedEndpoint();
  if (parent.empty()) {
    auto b = Bind(ep.read, ids, nullptr);
    if (!b) return Rows{};
    return ReadPages(ep.read, *b, what);
  }
  Rows rows;
  std::set<Bindings> seen;
  for (const auto& parent_row : rows_[parent]) {
    auto b = Bind(ep.read, ids, &parent_row);
    if (!b || !seen.insert(*b).second) continue;
    auto got = ReadPages(ep.read, *b, what);
    if (!got) return got;
    for (auto& r : *got) rows.push_back(std::move(r));
  }
  return rows;
}

core::Status SaasConnector::ReadAll(const core::Identities& ids, core::ConnectorResult& result,
                                    core::RowSink* sink) {
  rows_.clear();
  for (const auto& ep : spec_.endpoints) {
    const auto start = std::chrono::steady_clock::now();
    auto rows = ReadEndpoint(ep, ids);
    if (!rows) return tl::unexpected(rows.error());
    core::CollectionOutcome o;
    o.name = ep.name;
    o.found = static_cast<std::int64_t>(rows->size());
    if (sink != nullptr) {
      for (const auto& row : *rows) {
        if (auto s = sink->Row(ep.name, row.dump()); !s) return s;
        ++o.exported;
      }
    }
    o.millis = MillisSince(start);
    result.collections.push_back(std::move(o));
    rows_[ep.name] = std::move(*rows);
  }
  return {};
}

core::Status SaasConnector::Test() {
  if (!spec_.test_request.present) return {};
  auto http = Build(spec_.test_request, {});
  if (!http) return tl::unexpected(http.error());
  auto resp = client_.Call(*http, "test_request");
  if (!resp) return tl::unexpected(resp.error());
  if (resp->status < 200 || resp->status >= 300) {
    return tl::unexpected(HttpError("test_request", resp->status));
  }
  return {};
}

core::Result<core::ConnectorResult> SaasConnector::Find(const core::Identities& ids) {
  const auto start = std::chrono::steady_clock::now();
  core::ConnectorResult r;
  r.action = "find";
  if (auto s = ReadAll(ids, r, nullptr); !s) return tl::unexpected(s.error());
  r.statements = client_.requests();
  r.millis = MillisSince(start);
  return r;
}

core::Result<core::ConnectorResult> SaasConnector::Export(const core::Identities& ids,
                                                          core::RowSink& sink) {
  const auto start = std::chrono::steady_clock::now();
  core::ConnectorResult r;
  r.action = "export";
  if (auto s = ReadAll(ids, r, &sink); !s) return tl::unexpected(s.error());
  r.statements = client_.requests();
  r.millis = MillisSince(start);
  return r;
}

core::Result<std::int64_t> SaasConnector::SendPerRow(const SaasEndpoint& ep, const SaasRequest& req,
                                                     const char* kind, const core::Identities& ids,
                                                     core::ConnectorResult& result) {
  const std::string what = ep.name + "." + kind;
  std::int64_t done = 0;
  std::set<Bindings> seen;
  for (const auto& row : rows_[ep.name]) {
    auto b = Bind(req, ids, &row);
    if (!b) {
      result.errors.push_back(what + ": a record lacks a value the request needs");
      continue;
    }
    if (!seen.insert(*b).second) continue;
    auto http = Build(req, *b);
    if (!http) return Fail(http.error().code, what + "." + http.error().message);
    auto resp = client_.Call(*http, what);
    if (!resp) return tl::unexpected(resp.error());
    if (resp->status >= 200 && resp->status < 300) {
      ++done;
    } else if (resp->status != 404 && !req.ignore_all_errors &&
               req.ignore_codes.count(resp->status) == 0) {
      return tl::unexpected(HttpError(what, resp->status));
    }
  }
  return done;
}

core::Result<core::ConnectorResult> SaasConnector::Erase(const core::Identities& ids,
                                                         const std::string& /*secret*/) {
  const auto start = std::chrono::steady_clock::now();
  core::ConnectorResult r;
  r.action = "erase";
  if (auto s = ReadAll(ids, r, nullptr); !s) return tl::unexpected(s.error());
  const auto order = spec_.EraseOrder();
  std::set<std::string> erasable;
  for (std::size_t i : order) {
    const SaasEndpoint& ep = spec_.endpoints[i];
    erasable.insert(ep.name);
    const auto t0 = std::chrono::steady_clock::now();
    const bool update = ep.update.present;  // masking first, as Fides prefers it
    auto done = SendPerRow(ep, update ? ep.update : ep.del, update ? "update" : "delete", ids, r);
    if (!done) return tl::unexpected(done.error());
    for (auto& o : r.collections) {
      if (o.name != ep.name) continue;
      (update ? o.masked : o.erased) = *done;
      o.millis += MillisSince(t0);
    }
  }
  for (const auto& o : r.collections) {
    if (erasable.count(o.name) == 0 && o.found > 0) {
      r.errors.push_back(o.name + ": " + std::to_string(o.found) +
                         " record(s) kept: the spec has no update or delete for it");
    }
  }
  // Verify: read again; what an erasable endpoint still finds was not erased.
  core::ConnectorResult again;
  if (auto s = ReadAll(ids, again, nullptr); !s) return tl::unexpected(s.error());
  std::string left;
  for (const auto& o : again.collections) {
    if (erasable.count(o.name) == 0) continue;
    for (auto& c : r.collections) {
      if (c.name == o.name) c.remaining = o.found;
    }
    if (o.found > 0) {
      left += (left.empty() ? "" : ", ") + o.name + ": " + std::to_string(o.found);
    }
  }
  if (!left.empty()) {
    return Fail(Errc::kInternal, "records still found after erasure (" + left + ")");
  }
  r.verified = true;
  r.statements = client_.requests();
  r.millis = MillisSince(start);
  return r;
}

core::Result<core::ConnectorResult> SaasConnector::OptOut(const core::Identities& ids) {
  const auto start = std::chrono::steady_clock::now();
  bool any = false;
  for (const auto& ep : spec_.endpoints) any = any || ep.opt_out.present;
  if (!any) {
    return Fail(Errc::kInvalidArgument, "connector: the " + spec_.type +
                                            " spec has no opt_out request; handle this "
                                            "opt-out by hand");
  }
  core::ConnectorResult r;
  r.action = "opt_out";
  if (auto s = ReadAll(ids, r, nullptr); !s) return tl::unexpected(s.error());
  for (const auto& ep : spec_.endpoints) {
    if (!ep.opt_out.present) continue;
    const auto t0 = std::chrono::steady_clock::now();
    auto done = SendPerRow(ep, ep.opt_out, "opt_out", ids, r);
    if (!done) return tl::unexpected(done.error());
    for (auto& o : r.collections) {
      if (o.name != ep.name) continue;
      o.opted_out = *done;
      o.millis += MillisSince(t0);
    }
  }
  r.statements = client_.requests();
  r.millis = MillisSince(start);
  return r;
}

}  // namespace rd::connectors
