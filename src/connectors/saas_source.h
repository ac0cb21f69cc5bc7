#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "connectors/saas_client.h"
#include "connectors/saas_spec.h"
#include "core/connector.h"
#include "core/crypto.h"

namespace rd::connectors {

// The "saas" connector kind (docs/saas-connectors.md): {"kind": "saas", "type": "mailchimp"
// | "spec": YAML, "params": {...}, "base_url": URL, "timeout_seconds": n}. Stored with the
// values of sensitive parameters sealed under "sealed_params" and shown as "***" in
// "params". Specs named by type are read from `spec_dir`/<type>.yml. Thread-safe.
class SaasSources {
 public:
  SaasSources(const core::Crypto& crypto, std::string spec_dir)
      : crypto_(crypto), spec_dir_(std::move(spec_dir)) {}

  // The connector as stored, or kInvalidArgument naming the field ("connector.params.api_key:
  // required by the mailchimp spec", "connector.spec: endpoints[0].name: required").
  [[nodiscard]] core::Result<std::string> Prepare(const nlohmann::json& connector,
                                                  const std::string& dataset,
                                                  const std::string& stored_before) const;
  // A connector for a stored saas source, its secrets opened. Sources share a rate limiter
  // per source id in this process.
  [[nodiscard]] core::Result<std::unique_ptr<core::Connector>> Open(
      const core::DataSource& ds, const nlohmann::json& stored) const;

 private:
  [[nodiscard]] core::Result<SaasSpec> LoadSpec(const nlohmann::json& connector) const;

  const core::Crypto& crypto_;
  std::string spec_dir_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<RateLimiter>> limiters_;
};

// connectors/saas beside the binary's checkout (build/rightsdesk → connectors/saas) or beside
// the installed binary (bin/rightsdesk → share/rightsdesk/connectors/saas); "" when neither
// exists.
std::string DefaultSaasSpecDir();

}  // namespace rd::connectors
