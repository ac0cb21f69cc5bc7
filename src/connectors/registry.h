#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "connectors/sql_config.h"
#include "core/connector.h"
#include "core/crypto.h"

namespace rd::connectors {

// The connector registry: one place that knows every connector kind and how its
// configuration is stored. Kinds today: "sql" ({"kind": "sql", "url": URL, "erasure": {...}}),
// "saas" (connectors/saas_source.h) and "webhook" (connectors/webhook_connector.h).
// The URL's password is stored sealed (Crypto::SealSecret) under "sealed_password", and the
// stored URL shows "***" in its place. Thread-safe.
class SaasSources;

class Registry final : public core::ConnectorRegistry {
 public:
  // `saas_spec_dir`: where "saas" connectors find their specs ("" = DefaultSaasSpecDir()).
  explicit Registry(const core::Crypto& crypto, std::string saas_spec_dir = "");
  ~Registry() override;

  core::Result<std::string> Prepare(const std::string& connector, const std::string& dataset,
                                    const std::string& stored_before) const override;
  std::string Redact(const std::string& stored) const override;
  core::Result<std::unique_ptr<core::Connector>> Open(const core::DataSource& ds) const override;
  core::Result<std::string> DatabaseUrl(const core::DataSource& ds) const override;
  // Webhook sources: the callback checked and read (connectors/webhook_connector.h).
  core::Result<core::ConnectorCallback> ReadCallback(const core::DataSource& ds,
                                                     const core::CallbackMessage& msg,
                                                     core::UnixTime now,
                                                     core::RowSink& rows) const override;

 private:
  // The stored connector's URL with its sealed password opened.
  core::Result<ConnectionUrl> StoredUrl(const nlohmann::json& connector) const;
  const core::Crypto& crypto_;
  std::unique_ptr<SaasSources> saas_;  // the "saas" kind (connectors/saas_source.h)
};

// Parses a connector's "erasure" object (null: the default policy, every personal field set
// to NULL). kInvalidArgument naming "connector.erasure...".
[[nodiscard]] core::Result<ErasurePolicy> ParseErasurePolicy(const std::string& json);

}  // namespace rd::connectors
