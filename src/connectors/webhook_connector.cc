#include "connectors/webhook_connector.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;
using nlohmann::json;

constexpr std::size_t kMaxReply = 32u << 20;  // a 200's body, at most

// The host of an http(s) URL, lower-cased; "" when it has none or carries credentials.
std::string UrlHost(const std::string& url, std::string* scheme) {
  const auto sep = url.find("://");
  if (sep == std::string::npos) return "";
  *scheme = url.substr(0, sep);
  for (auto& c : *scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string rest = url.substr(sep + 3);
  const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string::npos) return "";
  std::string host;
  if (!authority.empty() && authority[0] == '[') {
    const auto end = authority.find(']');
    if (end == std::string::npos) return "";
    host = authority.substr(0, end + 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

core::Status CheckUrl(const std::string& url) {
  const std::string example =
      "connector.url: required, the https URL your system receives jobs at, e.g. "
      "https://systems.example.com/privacy";
  if (url.empty() || url.size() > 2000) return Fail(Errc::kInvalidArgument, example);
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Fail(Errc::kInvalidArgument, "connector.url: must not contain spaces or controls");
    }
  }
  std::string scheme;
  const std::string host = UrlHost(url, &scheme);
  if (host.empty() || (scheme != "https" && scheme != "http")) {
    return Fail(Errc::kInvalidArgument, example);
  }
  const bool loopback = host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
  if (scheme == "http" && !loopback) {
    return Fail(Errc::kInvalidArgument,
                "connector.url: must be https (jobs carry the subject's identities); plain http "
                "is allowed only to this machine (127.0.0.1, localhost)");
  }
  return {};
}

core::Result<std::int64_t> Count(const json& j, const std::string& place) {
  if (!j.is_number_integer() || j.get<std::int64_t>() < 0) {
    return Fail(Errc::kInvalidArgument, place + ": a whole number, 0 or more");
  }
  return j.get<std::int64_t>();
}

core::CollectionOutcome& CollectionNamed(core::ConnectorResult& r, const std::string& name) {
  for (auto& c : r.collections) {
    if (c.name == name) return c;
  }
  r.collections.push_back({});
  r.collections.back().name = name;
  return r.collections.back();
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > kMaxReply) return 0;  // stops the transfer
  body->append(data, size * n);
  return size * n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

core::Result<core::ConnectorCallback> ParseWebhookResult(const std::string& body, bool callback,
                                                         core::RowSink& rows,
                                                         const std::string& place) {
  const std::string at = place.empty() ? "" : place + ".";
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(Errc::kInvalidArgument, place + ": must be a JSON object");
  }
  core::ConnectorCallback out;
  const auto status = j.find("status");
  const char* statuses = callback ? "completed, not_found or failed" : "completed or not_found";
  if (status == j.end() || !status->is_string() ||
      (*status != "completed" && *status != "not_found" && (!callback || *status != "failed"))) {
    return Fail(Errc::kInvalidArgument, at + "status: required, one of " + statuses);
  }
  out.status = status->get<std::string>();
  if (const auto e = j.find("error"); e != j.end() && !e->is_null()) {
    if (!e->is_string() || e->get<std::string>().size() > 2000) {
      return Fail(Errc::kInvalidArgument, at + "error: a string of at most 2000 characters");
    }
    out.error = e->get<std::string>();
  }
  if (const auto v = j.find("verified"); v != j.end() && !v->is_null()) {
    if (!v->is_boolean()) return Fail(Errc::kInvalidArgument, at + "verified: true or false");
    out.result.verified = v->get<bool>();
  }
  core::ConnectorResult& r = out.result;
  if (const auto cs = j.find("collections"); cs != j.end() && !cs->is_null()) {
    if (!cs->is_object()) {
      return Fail(Errc::kInvalidArgument,
                  at + "collections: an object from collection name to {found, erased, ...}");
    }
    for (const auto& [name, counts] : cs->items()) {
      const std::string cplace = at + "collections." + name.substr(0, 100);
      if (name.empty() || name.size() > 200) {
        return Fail(Errc::kInvalidArgument, at + "collections: names are 1 to 200 characters");
      }
      if (!counts.is_object()) {
        return Fail(Errc::kInvalidArgument, cplace + ": an object of counts {found, erased, ...}");
      }
      core::CollectionOutcome& c = CollectionNamed(r, name);
      const std::pair<const char*, std::int64_t core::CollectionOutcome::*> fields[] = {
          {"found", &core::CollectionOutcome::found},
          {"exported", &core::CollectionOutcome::exported},
          {"erased", &core::CollectionOutcome::erased},
          {"masked", &core::CollectionOutcome::masked},
          {"opted_out", &core::CollectionOutcome::opted_out},
          {"remaining", &core::CollectionOutcome::remaining},
          {"millis", &core::CollectionOutcome::millis}};
      for (const auto& [key, member] : fields) {
        const auto it = counts.find(key);
        if (it == counts.end() || it->is_null()) continue;
        auto n = Count(*it, cplace + "." + key);
        if (!n) return tl::unexpected(n.error());
        c.*member = *n;
      }
    }
  }
  if (const auto rs = j.find("rows"); rs != j.end() && !rs->is_null()) {
    if (!rs->is_object()) {
      return Fail(Errc::kInvalidArgument,
                  at + "rows: an object from collection name to a list of row objects");
    }
    for (const auto& [name, list] : rs->items()) {
      const std::string rplace = at + "rows." + name.substr(0, 100);
      if (name.empty() || name.size() > 200) {
        return Fail(Errc::kInvalidArgument, at + "rows: names are 1 to 200 characters");
      }
      if (!list.is_array()) return Fail(Errc::kInvalidArgument, rplace + ": a list of objects");
      core::CollectionOutcome& c = CollectionNamed(r, name);
      std::int64_t n = 0;
      for (const auto& row : list) {
        if (!row.is_object()) {
          return Fail(Errc::kInvalidArgument,
                      rplace + "[" + std::to_string(n) + "]: a row is a JSON object");
        }
        if (auto st = rows.Row(name, row.dump()); !st) return tl::unexpected(st.error());
        ++n;
      }
      if (c.exported < n) c.exported = n;
      if (c.found < n) c.found = n;
    }
  }
  // A callback names its job: the signature covers the body, so it cannot be replayed to
  // another task's URL.
  if (callback) {
    const auto id = j.find("id");
    if (id == j.end() || !id->is_string() || id->get<std::string>().empty() ||
        id->get<std::string>().size() > 100) {
      return Fail(Errc::kInvalidArgument, at + "id: required, the id of the job (the task)");
    }
    out.id = id->get<std::string>();
  }
  return out;
}

core::Result<WebhookReply> CurlPost(const std::string& url,
                                    const std::map<std::string, std::string>& headers,
                                    const std::string& body, long timeout_seconds) {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) {
    return Fail(Errc::kInternal,
                std::string("libcurl failed to start: ") + curl_easy_strerror(init));
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Fail(Errc::kInternal, "libcurl: no handle");
  CURL* c = curl.get();
  std::unique_ptr<curl_slist, SlistDeleter> list;
  curl_slist* raw = nullptr;
  for (const auto& [k, v] : headers) raw = curl_slist_append(raw, (k + ": " + v).c_str());
  raw = curl_slist_append(raw, "Expect:");  // no 100-continue round trip
  list.reset(raw);
  WebhookReply reply;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_seconds, 10L));
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_WRITE_ERROR) {
    return Fail(Errc::kInvalidArgument, "connector: the system's answer is over 32 MiB");
  }
  if (rc != CURLE_OK) {
    return Fail(Errc::kUnavailable, std::string("connector: the system cannot be reached: ") +
                                        (error[0] ? error : curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

WebhookConnector::WebhookConnector(WebhookConfig config, WebhookPost post,
                                   std::function<core::UnixTime()> now)
    : config_(std::move(config)), post_(std::move(post)), now_(std::move(now)) {}

core::UnixTime WebhookConnector::Now() const {
  if (now_) return now_();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string WebhookConnector::JobBody(const std::string& action,
                                      const core::Identities& ids) const {
  json j;
  j["id"] = job_.id.empty() ? json() : json(job_.id);
  j["action"] = action;
  j["request"] = {
      {"id", job_.request_id}, {"type", job_.request_type}, {"jurisdiction", job_.jurisdiction}};
  json identities = json::object();
  for (const auto& [k, v] : ids) identities[k] = v;
  j["identities"] = identities;
  j["callback_url"] = job_.callback_url.empty() ? json() : json(job_.callback_url);
  j["created_at"] = core::FormatRfc3339(job_.created_at ? job_.created_at : Now());
  return j.dump();
}

core::Result<core::ConnectorResult> WebhookConnector::Call(const std::string& action,
                                                           const core::Identities& ids,
                                                           core::RowSink* rows) {
  const auto started = std::chrono::steady_clock::now();
  const std::string body =
      action == "test"
          ? json{{"id", nullptr}, {"action", "test"}, {"created_at", core::FormatRfc3339(Now())}}
                .dump()
          : JobBody(action, ids);
  const std::string ts = std::to_string(Now());
  auto reply = post_(config_.url,
                     {{"Content-Type", "application/json"},
                      {"Rightsdesk-Timestamp", ts},
                      {"Rightsdesk-Signature", WebhookSignature(config_.secret, ts, body)}},
                     body, config_.timeout_seconds);
  if (!reply) return tl::unexpected(reply.error());
  const long status = reply->status;
  const std::string code = "HTTP " + std::to_string(status);
  if (status == 202) {
    if (job_.callback_url.empty() || job_.id.empty()) {
      return Fail(Errc::kInvalidArgument,
                  "connector: the system answered 202, but a " + action +
                      " without a task has no callback; answer it with 200 and the result");
    }
    core::ConnectorResult r;
    r.action = action;
    r.deferred = true;
    return r;
  }
  if (status == 408 || status == 429 || status >= 500) {
    return Fail(Errc::kUnavailable, "connector: the system answered " + code + "; retried later");
  }
  if (status != 200) {
    // The body's "error" (when it is JSON) helps the agent; it stays in the task's result.
    std::string why;
    auto j = json::parse(reply->body, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_string()) {
      why = ": " + j["error"].get<std::string>().substr(0, 300);
    }
    return Fail(Errc::kInvalidArgument,
                "connector: the system refused the job with " + code +
                    (status >= 300 && status < 400 ? " (a redirect: give the final URL)" : "") +
                    why);
  }
  if (action == "test") return core::ConnectorResult{};
  core::RowCollector none(0);
  core::RowSink& sink = rows ? *rows : static_cast<core::RowSink&>(none);
  auto parsed = ParseWebhookResult(reply->body, false, sink, "connector: the system's answer");
  if (!parsed) return tl::unexpected(parsed.error());
  core::ConnectorResult r = std::move(parsed->result);
  r.action = action;
  r.millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - started)
                 .count();
  return r;
}

core::Status WebhookConnector::Test() {
  auto r = Call("test", {}, nullptr);
  if (!r) return tl::unexpected(r.error());
  return {};
}

core::Result<core::ConnectorResult> WebhookConnector::Find(const core::Identities& ids) {
  return Call("find", ids, nullptr);
}

core::Result<core::ConnectorResult> WebhookConnector::Export(const core::Identities& ids,
                                                             core::RowSink& sink) {
  return Call("export", ids, &sink);
}

core::Result<core::ConnectorResult> WebhookConnector::Erase(const core::Identities& ids,
                                                            const std::string&) {
  return Call("erase", ids, nullptr);
}

core::Result<core::ConnectorResult> WebhookConnector::OptOut(const core::Identities& ids) {
  return Call("opt_out", ids, nullptr);
}

core::Result<std::string> PrepareWebhook(const json& j, const std::string& stored_before,
                                         const core::Crypto& crypto) {
  for (const auto& [k, v] : j.items()) {
    if (k != "kind" && k != "url" && k != "secret" && k != "timeout_seconds") {
      return Fail(Errc::kInvalidArgument, "connector." + k.substr(0, 40) + ": unknown field");
    }
  }
  const auto url = j.find("url");
  if (url == j.end() || !url->is_string()) {
    return Fail(Errc::kInvalidArgument,
                "connector.url: required, the https URL your system receives jobs at, e.g. "
                "https://systems.example.com/privacy");
  }
  if (auto st = CheckUrl(url->get<std::string>()); !st) return tl::unexpected(st.error());
  json stored = {{"kind", "webhook"}, {"url", url->get<std::string>()}, {"secret", "***"}};
  if (const auto t = j.find("timeout_seconds"); t != j.end() && !t->is_null()) {
    if (!t->is_number_integer() || t->get<int>() < 1 || t->get<int>() > 300) {
      return Fail(Errc::kInvalidArgument,
                  "connector.timeout_seconds: a whole number from 1 to 300");
    }
    stored["timeout_seconds"] = t->get<int>();
  }
  const auto secret = j.find("secret");
  const std::string help =
      "connector.secret: required, 16 to 200 characters: the key both sides sign with "
      "(HMAC-SHA-256)";
  if (secret == j.end() || !secret->is_string()) return Fail(Errc::kInvalidArgument, help);
  const std::string value = secret->get<std::string>();
  if (value == "***") {
    // Sent back as read: keep the secret stored before.
    auto before = json::parse(stored_before.empty() ? "{}" : stored_before, nullptr, false);
    if (before.is_discarded() || !before.is_object() || before.value("kind", "") != "webhook" ||
        !before.contains("sealed_secret") || !before["sealed_secret"].is_string()) {
      return Fail(Errc::kInvalidArgument,
                  "connector.secret: '***' keeps the stored secret, but there is none; give the "
                  "secret");
    }
    stored["sealed_secret"] = before["sealed_secret"];
  } else {
    if (value.size() < 16 || value.size() > 200) return Fail(Errc::kInvalidArgument, help);
    stored["sealed_secret"] = crypto.SealSecret(value);
  }
  return stored.dump();
}

namespace {

core::Result<WebhookConfig> StoredConfig(const json& j, const core::Crypto& crypto) {
  WebhookConfig config;
  config.url = j.value("url", "");
  if (auto st = CheckUrl(config.url); !st) return tl::unexpected(st.error());
  config.timeout_seconds = j.value("timeout_seconds", 30);
  const auto sealed = j.find("sealed_secret");
  if (sealed == j.end() || !sealed->is_string()) {
    return Fail(Errc::kInvalidArgument, "connector.secret: none is stored; set the secret");
  }
  auto secret = crypto.OpenSecret(sealed->get<std::string>());
  if (!secret) {
    return Fail(Errc::kInvalidArgument,
                "connector.secret: the stored secret cannot be read with this master key; set "
                "the secret again");
  }
  config.secret = std::move(*secret);
  return config;
}

}  // namespace

core::Result<std::unique_ptr<core::Connector>> OpenWebhook(const json& j,
                                                           const core::Crypto& crypto) {
  auto config = StoredConfig(j, crypto);
  if (!config) return tl::unexpected(config.error());
  return std::unique_ptr<core::Connector>(new WebhookConnector(std::move(*config)));
}

core::Result<core::ConnectorCallback> ReadWebhookCallback(const json& j, const core::Crypto& crypto,
                                                          const core::CallbackMessage& msg,
                                                          core::UnixTime now, core::RowSink& rows) {
  auto config = StoredConfig(j, crypto);
  if (!config) {
    // The source cannot check signatures: nothing signed can be accepted.
    return Fail(Errc::kUnauthenticated, "Rightsdesk-Signature: " + config.error().message);
  }
  auto signature = VerifyWebhookSignature(config->secret, msg, now);
  if (!signature) return tl::unexpected(signature.error());
  auto cb = ParseWebhookResult(msg.body, true, rows, "body");
  if (!cb) return tl::unexpected(cb.error());
  cb->signature = *signature;
  return cb;
}

}  // namespace rd::connectors
