#include "connectors/saas_source.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "connectors/saas_connector.h"

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;
using nlohmann::json;

core::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Errc::kNotFound, path + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Names(const SaasSpec& spec) {
  std::string out;
  for (const auto& p : spec.params) out += (out.empty() ? "" : ", ") + p.name;
  return out.empty() ? "none" : out;
}

}  // namespace

std::string DefaultSaasSpecDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const fs::path& candidate :
       {exe.parent_path().parent_path() / "connectors" / "saas",
        exe.parent_path().parent_path() / "share" / "rightsdesk" / "connectors" / "saas"}) {
    if (fs::is_directory(candidate, ec)) return candidate.string();
  }
  return "";
}

core::Result<SaasSpec> SaasSources::LoadSpec(const json& connector) const {
  const auto type = connector.find("type");
  const auto spec = connector.find("spec");
  if ((type == connector.end()) == (spec == connector.end())) {
    return Fail(Errc::kInvalidArgument,
                "connector.type: required (a shipped spec, e.g. mailchimp), or connector.spec "
                "(the spec's YAML text), not both");
  }
  if (spec != connector.end()) {
    if (!spec->is_string() || spec->get<std::string>().size() > 200000) {
      return Fail(Errc::kInvalidArgument, "connector.spec: the spec's YAML text (at most 200 KB)");
    }
    auto s = LoadSaasSpec(spec->get<std::string>());
    if (!s) return Fail(Errc::kInvalidArgument, "connector.spec: " + s.error().message);
    return s;
  }
  static const std::regex kType("[a-z0-9_]{1,64}");
  if (!type->is_string() || !std::regex_match(type->get<std::string>(), kType)) {
    return Fail(Errc::kInvalidArgument, "connector.type: a spec name ([a-z0-9_]+, e.g. mailchimp)");
  }
  const std::string name = type->get<std::string>();
  if (spec_dir_.empty()) {
    return Fail(Errc::kInvalidArgument,
                "connector.type: no spec directory (connectors/saas) was found for this binary; "
                "give the spec inline as connector.spec");
  }
  auto text = ReadFile(spec_dir_ + "/" + name + ".yml");
  if (!text) {
    return Fail(Errc::kInvalidArgument,
                "connector.type: no spec '" + name + "' (connectors/saas/" + name + ".yml)");
  }
  auto s = LoadSaasSpec(*text);
  if (!s)
    return Fail(Errc::kInvalidArgument, "connector.type: " + name + ".yml: " + s.error().message);
  return s;
}

core::Result<std::string> SaasSources::Prepare(const json& connector, const std::string& dataset,
                                               const std::string& stored_before) const {
  for (const auto& [k, v] : connector.items()) {
    if (k != "kind" && k != "type" && k != "spec" && k != "params" && k != "base_url" &&
        k != "timeout_seconds") {
      return Fail(Errc::kInvalidArgument, "connector." + k.substr(0, 40) + ": unknown field");
    }
  }
  if (!dataset.empty()) {
    return Fail(Errc::kInvalidArgument,
                "dataset: a saas source's collections are its spec's endpoints; leave dataset "
                "empty");
  }
  auto spec = LoadSpec(connector);
  if (!spec) return tl::unexpected(spec.error());
  json stored = {{"kind", "saas"}};
  if (connector.contains("type")) stored["type"] = connector["type"];
  if (connector.contains("spec")) stored["spec"] = connector["spec"];

  json params = connector.value("params", json::object());
  if (!params.is_object()) {
    return Fail(Errc::kInvalidArgument, "connector.params: an object of parameter values");
  }
  auto before = json::parse(stored_before.empty() ? "{}" : stored_before, nullptr, false);
  if (before.is_discarded() || !before.is_object()) before = json::object();
  const json sealed_before = before.value("sealed_params", json::object());
  json shown = json::object();
  json sealed = json::object();
  for (const auto& [k, v] : params.items()) {
    const SaasConnectorParam* p = spec->Param(k);
    if (p == nullptr) {
      return Fail(Errc::kInvalidArgument, "connector.params." + k.substr(0, 40) +
                                              ": not a parameter of the " + spec->type + " spec (" +
                                              Names(*spec) + ")");
    }
    if (!v.is_string() || v.get<std::string>().size() > 2000) {
      return Fail(Errc::kInvalidArgument,
                  "connector.params." + k + ": a string of at most 2000 characters");
    }
    const std::string value = v.get<std::string>();
    if (!p->sensitive) {
      shown[k] = value;
      continue;
    }
    shown[k] = "***";
    if (value == "***") {
      if (!sealed_before.is_object() || !sealed_before.contains(k) ||
          before.value("type", "") != stored.value("type", "")) {
        return Fail(Errc::kInvalidArgument, "connector.params." + k +
                                                ": '***' keeps the stored value only when one is "
                                                "stored for this spec; give the value");
      }
      sealed[k] = sealed_before[k];
    } else {
      sealed[k] = crypto_.SealSecret(value);
    }
  }
  for (const auto& p : spec->params) {
    if (!p.has_default && !params.contains(p.name)) {
      return Fail(Errc::kInvalidArgument,
                  "connector.params." + p.name + ": required by the " + spec->type + " spec");
    }
  }
  stored["params"] = shown;
  if (!sealed.empty()) stored["sealed_params"] = sealed;
  if (const auto it = connector.find("base_url"); it != connector.end() && !it->is_null()) {
    static const std::regex kUrl(R"(https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~\-/%]*)?)");
    if (!it->is_string() || it->get<std::string>().size() > 500 ||
        !std::regex_match(it->get<std::string>(), kUrl)) {
      return Fail(Errc::kInvalidArgument,
                  "connector.base_url: an http:// or https:// URL with host, optional port and "
                  "path, e.g. https://api.example.com");
    }
    stored["base_url"] = *it;
  }
  if (const auto it = connector.find("timeout_seconds"); it != connector.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int>() < 1 || it->get<int>() > 300) {
      return Fail(Errc::kInvalidArgument,
                  "connector.timeout_seconds: a whole number from 1 to 300");
    }
    stored["timeout_seconds"] = *it;
  }
  return stored.dump();
}

core::Result<std::unique_ptr<core::Connector>> SaasSources::Open(const core::DataSource& ds,
                                                                 const json& stored) const {
  auto spec = LoadSpec(stored);
  if (!spec) return tl::unexpected(spec.error());
  SaasSettings settings;
  for (const auto& p : spec->params) {
    if (p.has_default) settings.params[p.name] = p.default_value;
  }
  const json params = stored.value("params", json::object());
  const json sealed = stored.value("sealed_params", json::object());
  for (const auto& p : spec->params) {
    if (p.sensitive) {
      if (!sealed.is_object() || !sealed.contains(p.name) || !sealed[p.name].is_string()) continue;
      auto plain = crypto_.OpenSecret(sealed[p.name].get<std::string>());
      if (!plain) {
        return Fail(Errc::kInvalidArgument, "connector.params." + p.name +
                                                ": the stored value cannot be read with this "
                                                "master key; set it again");
      }
      settings.params[p.name] = std::move(*plain);
    } else if (params.is_object() && params.contains(p.name) && params[p.name].is_string()) {
      settings.params[p.name] = params[p.name].get<std::string>();
    }
  }
  for (const auto& p : spec->params) {
    if (settings.params.count(p.name) == 0) {
      return Fail(Errc::kInvalidArgument,
                  "connector.params." + p.name + ": required by the " + spec->type + " spec");
    }
  }
  settings.base_url = stored.value("base_url", "");
  settings.timeout_seconds = stored.value("timeout_seconds", 30);
  std::shared_ptr<RateLimiter> limiter;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = limiters_[ds.id + "/" + spec->type];
    if (!slot) slot = std::make_shared<RateLimiter>(spec->limits);
    limiter = slot;
  }
  return std::unique_ptr<core::Connector>(new SaasConnector(
      std::move(*spec), std::move(settings), std::make_shared<CurlHttpSender>(), limiter));
}

}  // namespace rd::connectors
