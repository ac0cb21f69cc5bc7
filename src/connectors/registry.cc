#include "connectors/registry.h"

#include <nlohmann/json.hpp>

#include "connectors/dataset.h"
#include "connectors/saas_source.h"
#include "connectors/sql_connector.h"
#include "connectors/traversal.h"
#include "connectors/webhook_connector.h"

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;
using nlohmann::json;

constexpr const char* kStrategies = "null, string, random, hash, hmac or delete";

core::Result<MaskStrategy> ParseStrategy(const json& j, const std::string& place) {
  MaskStrategy s;
  std::string name;
  if (j.is_string()) {
    name = j.get<std::string>();
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k != "strategy" && k != "value" && k != "length") {
        return Fail(Errc::kInvalidArgument, place + "." + k.substr(0, 40) + ": unknown field");
      }
    }
    const auto it = j.find("strategy");
    if (it == j.end() || !it->is_string()) {
      return Fail(Errc::kInvalidArgument, place + ".strategy: required, one of " + kStrategies);
    }
    name = it->get<std::string>();
    if (const auto v = j.find("value"); v != j.end()) {
      if (!v->is_string() || v->get<std::string>().size() > 200) {
        return Fail(Errc::kInvalidArgument, place + ".value: a string of at most 200 characters");
      }
      s.value = v->get<std::string>();
    }
    if (const auto l = j.find("length"); l != j.end()) {
      if (!l->is_number_integer() || l->get<int>() < 1 || l->get<int>() > 200) {
        return Fail(Errc::kInvalidArgument, place + ".length: a whole number from 1 to 200");
      }
      s.length = l->get<int>();
    }
  } else {
    return Fail(Errc::kInvalidArgument, place + ": a strategy name or {strategy, value, length}");
  }
  if (name == "null") {
    s.kind = MaskKind::kNull;
  } else if (name == "string") {
    s.kind = MaskKind::kString;
  } else if (name == "random") {
    s.kind = MaskKind::kRandom;
  } else if (name == "hash") {
    s.kind = MaskKind::kHash;
  } else if (name == "hmac") {
    s.kind = MaskKind::kHmac;
  } else if (name == "delete") {
    s.kind = MaskKind::kDelete;
  } else {
    return Fail(Errc::kInvalidArgument,
                place + ": '" + name.substr(0, 40) + "' is not a strategy; use " + kStrategies);
  }
  return s;
}

core::Result<ErasurePolicy> ParsePolicy(const json& j) {
  ErasurePolicy p;
  if (j.is_null()) return p;
  if (!j.is_object()) {
    return Fail(Errc::kInvalidArgument,
                "connector.erasure: {\"default\": strategy, \"categories\": {category: strategy}}");
  }
  for (const auto& [k, v] : j.items()) {
    if (k != "default" && k != "categories") {
      return Fail(Errc::kInvalidArgument,
                  "connector.erasure." + k.substr(0, 40) + ": unknown field");
    }
  }
  if (const auto it = j.find("default"); it != j.end()) {
    auto s = ParseStrategy(*it, "connector.erasure.default");
    if (!s) return tl::unexpected(s.error());
    p.default_strategy = *s;
  }
  if (const auto it = j.find("categories"); it != j.end()) {
    if (!it->is_object()) {
      return Fail(Errc::kInvalidArgument,
                  "connector.erasure.categories: an object from data category to strategy");
    }
    for (const auto& [cat, v] : it->items()) {
      if (cat.empty() || cat.size() > 100) {
        return Fail(Errc::kInvalidArgument,
                    "connector.erasure.categories: keys are data categories (user.contact.email)");
      }
      auto s = ParseStrategy(v, "connector.erasure.categories[" + cat + "]");
      if (!s) return tl::unexpected(s.error());
      p.categories.emplace_back(cat, *s);
    }
  }
  return p;
}

core::Result<json> ParseObject(const std::string& text, const char* what) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(Errc::kInvalidArgument, std::string(what) + ": must be a JSON object");
  }
  return j;
}

}  // namespace

core::Result<ErasurePolicy> ParseErasurePolicy(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Fail(Errc::kInvalidArgument, "connector.erasure: not JSON");
  return ParsePolicy(j);
}

Registry::Registry(const core::Crypto& crypto, std::string saas_spec_dir)
    : crypto_(crypto),
      saas_(std::make_unique<SaasSources>(
          crypto, saas_spec_dir.empty() ? DefaultSaasSpecDir() : std::move(saas_spec_dir))) {}
Registry::~Registry() = default;

core::Result<std::string> Registry::Prepare(const std::string& connector,
                                            const std::string& dataset,
                                            const std::string& stored_before) const {
  if (connector.empty()) {
    return Fail(Errc::kInvalidArgument,
                "connector: required for integration sources, e.g. {\"kind\": \"sql\", \"url\": "
                "\"postgresql://user:pass@host:5432/db\"}");
  }
  auto j = ParseObject(connector, "connector");
  if (!j) return tl::unexpected(j.error());
  const auto kind = j->find("kind");
  if (kind == j->end() || !kind->is_string()) {
    return Fail(Errc::kInvalidArgument, "connector.kind: required (sql, saas or webhook)");
  }
  if (*kind == "saas") return saas_->Prepare(*j, dataset, stored_before);
  if (*kind == "webhook") return PrepareWebhook(*j, stored_before, crypto_);
  if (*kind != "sql") {
    return Fail(Errc::kInvalidArgument, "connector.kind: '" +
                                            kind->get<std::string>().substr(0, 40) +
                                            "' is not available; use sql, saas or webhook");
  }
  for (const auto& [k, v] : j->items()) {
    if (k != "kind" && k != "url" && k != "erasure") {
      return Fail(Errc::kInvalidArgument, "connector." + k.substr(0, 40) + ": unknown field");
    }
  }
  const auto url_it = j->find("url");
  if (url_it == j->end() || !url_it->is_string() || url_it->get<std::string>().size() > 2000) {
    return Fail(Errc::kInvalidArgument,
                "connector.url: required, e.g. sqlite:///abs/path.db, "
                "postgresql://user:pass@host:5432/db or mysql://user:pass@host:3306/db");
  }
  auto url = ParseConnectionUrl(url_it->get<std::string>());
  if (!url) return tl::unexpected(url.error());
  json erasure = j->value("erasure", json());
  if (auto p = ParsePolicy(erasure); !p) return tl::unexpected(p.error());
  // A source may be added before its mapping: its scan proposes one. Until then it is refused
  // where the mapping is needed (Open).
  if (!dataset.empty()) {
    if (auto ds = LoadDataset(dataset); !ds) return tl::unexpected(ds.error());
  }

  json stored = {{"kind", "sql"}, {"url", url->Redacted()}};
  if (!erasure.is_null()) stored["erasure"] = erasure;
  if (url->has_password) {
    if (url->password == "***") {
      // Sent back as read: keep the password stored before, for the same user and place.
      auto before = json::parse(stored_before.empty() ? "{}" : stored_before, nullptr, false);
      if (before.is_discarded() || !before.is_object() || !before.contains("sealed_password") ||
          before.value("url", "") != url->Redacted()) {
        return Fail(Errc::kInvalidArgument,
                    "connector.url: '***' keeps the stored password only for the same user, "
                    "host and database; give the password");
      }
      stored["sealed_password"] = before["sealed_password"];
    } else {
      stored["sealed_password"] = crypto_.SealSecret(url->password);
    }
  }
  return stored.dump();
}

std::string Registry::Redact(const std::string& stored) const {
  auto j = json::parse(stored, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "{}";
  j.erase("sealed_password");
  j.erase("sealed_params");
  j.erase("sealed_secret");
  return j.dump();
}

core::Result<ConnectionUrl> Registry::StoredUrl(const nlohmann::json& connector) const {
  if (connector.value("kind", "") != "sql") {
    return Fail(Errc::kInvalidArgument, "connector.kind: not a connector kind this build runs");
  }
  auto url = ParseConnectionUrl(connector.value("url", ""));
  if (!url) return tl::unexpected(url.error());
  if (const auto it = connector.find("sealed_password"); it != connector.end() && it->is_string()) {
    auto password = crypto_.OpenSecret(it->get<std::string>());
    if (!password) {
      return Fail(Errc::kInvalidArgument,
                  "connector.url: the stored password cannot be read with this master key; "
                  "set the password again");
    }
    url->password = std::move(*password);
  }
  return url;
}

core::Result<std::string> Registry::DatabaseUrl(const core::DataSource& ds) const {
  if (ds.process != "integration") {
    return Fail(Errc::kInvalidArgument,
                "connector: only integration sources with a SQL connector ({\"kind\": \"sql\", "
                "\"url\": ...}) have a database");
  }
  auto j = ParseObject(ds.connector, "connector");
  if (!j) return tl::unexpected(j.error());
  auto url = StoredUrl(*j);
  if (!url) return tl::unexpected(url.error());
  return url->WithPassword();
}

core::Result<std::unique_ptr<core::Connector>> Registry::Open(const core::DataSource& ds) const {
  auto j = ParseObject(ds.connector, "connector");
  if (!j) return tl::unexpected(j.error());
  if (j->value("kind", "") == "saas") return saas_->Open(ds, *j);
  if (j->value("kind", "") == "webhook") return OpenWebhook(*j, crypto_);
  SqlConnectorConfig config;
  auto url = StoredUrl(*j);
  if (!url) return tl::unexpected(url.error());
  config.url = std::move(*url);
  auto policy = ParsePolicy(j->value("erasure", json()));
  if (!policy) return tl::unexpected(policy.error());
  config.erasure = std::move(*policy);
  if (ds.dataset.empty()) {
    return Fail(Errc::kInvalidArgument,
                "dataset: this source has no dataset mapping yet; attach one (a scan of the "
                "source proposes one)");
  }
  auto dataset = LoadDataset(ds.dataset);
  if (!dataset) return tl::unexpected(dataset.error());
  auto plan = PlanTraversal(*dataset);
  if (!plan) return tl::unexpected(plan.error());
  return std::unique_ptr<core::Connector>(
      new SqlConnector(std::move(config), std::move(*dataset), std::move(*plan)));
}

core::Result<core::ConnectorCallback> Registry::ReadCallback(const core::DataSource& ds,
                                                             const core::CallbackMessage& msg,
                                                             core::UnixTime now,
                                                             core::RowSink& rows) const {
  auto j = json::parse(ds.connector.empty() ? "{}" : ds.connector, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("kind", "") != "webhook") {
    return Fail(Errc::kNotFound, "task: no task of this id waits for a callback");
  }
  return ReadWebhookCallback(j, crypto_, msg, now, rows);
}

}  // namespace rd::connectors
