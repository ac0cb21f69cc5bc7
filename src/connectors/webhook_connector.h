#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/connector.h"
#include "core/crypto.h"

namespace rd::connectors {

// The custom webhook connector (docs/connectors.md): each call POSTs a signed JSON job to the
// company's own system, which answers 200 with the result, or 202 and calls back later.
//
// Stored as {"kind": "webhook", "url": URL, "secret": "***", "sealed_secret": "sb1:...",
// "timeout_seconds": n}: the secret sealed (Crypto::SealSecret), never shown.

// How long a callback's timestamp may be from now, either way.
inline constexpr long kWebhookTolerance = 300;

// "v1=" + the hex HMAC-SHA-256 of timestamp + "." + body under `secret`: the
// Rightsdesk-Signature header of a job or a callback.
std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body);

// Checks a signed message: the timestamp header is a Unix time within kWebhookTolerance of
// `now`, and one "v1=" entry of the (comma-separated) signature header is its signature.
// Returns the hex of the matching signature; kUnauthenticated naming the header otherwise.
[[nodiscard]] core::Result<std::string> VerifyWebhookSignature(const std::string& secret,
                                                               const core::CallbackMessage& msg,
                                                               core::UnixTime now);

// Reads a result: a 200 answer (`callback` false: status completed or not_found) or a
// callback's body (`callback` true: failed too, with "error"). Counts per collection go into
// result.collections, rows (export) to `rows`. kInvalidArgument naming the field, prefixed by
// `place` ("body" for a callback, "connector: the system's answer" for a 200).
[[nodiscard]] core::Result<core::ConnectorCallback> ParseWebhookResult(const std::string& body,
                                                                       bool callback,
                                                                       core::RowSink& rows,
                                                                       const std::string& place);

// One HTTP POST, as the connector sends it (injected in tests).
struct WebhookReply {
  long status = 0;
  std::string body;
};
using WebhookPost = std::function<core::Result<WebhookReply>(
    const std::string& url, const std::map<std::string, std::string>& headers,
    const std::string& body, long timeout_seconds)>;
// The libcurl POST: kUnavailable when the system cannot be reached or does not answer in time.
core::Result<WebhookReply> CurlPost(const std::string& url,
                                    const std::map<std::string, std::string>& headers,
                                    const std::string& body, long timeout_seconds);

struct WebhookConfig {
  std::string url;
  std::string secret;
  long timeout_seconds = 30;
};

class WebhookConnector final : public core::Connector {
 public:
  WebhookConnector(WebhookConfig config, WebhookPost post = CurlPost,
                   std::function<core::UnixTime()> now = nullptr);

  core::Status Test() override;
  core::Result<core::ConnectorResult> Find(const core::Identities& ids) override;
  core::Result<core::ConnectorResult> Export(const core::Identities& ids,
                                             core::RowSink& sink) override;
  core::Result<core::ConnectorResult> Erase(const core::Identities& ids,
                                            const std::string& secret) override;
  core::Result<core::ConnectorResult> OptOut(const core::Identities& ids) override;
  void ForJob(const core::ConnectorJob& job) override { job_ = job; }

  // The job's JSON text for `action` (what Call posts).
  std::string JobBody(const std::string& action, const core::Identities& ids) const;

 private:
  core::Result<core::ConnectorResult> Call(const std::string& action, const core::Identities& ids,
                                           core::RowSink* rows);
  core::UnixTime Now() const;

  WebhookConfig config_;
  WebhookPost post_;
  std::function<core::UnixTime()> now_;
  core::ConnectorJob job_;
};

// The registry's part for kind "webhook". `j` is the connector object sent (Prepare) or
// stored (Open, ReadCallback).
[[nodiscard]] core::Result<std::string> PrepareWebhook(const nlohmann::json& j,
                                                       const std::string& stored_before,
                                                       const core::Crypto& crypto);
[[nodiscard]] core::Result<std::unique_ptr<core::Connector>> OpenWebhook(
    const nlohmann::json& j, const core::Crypto& crypto);
[[nodiscard]] core::Result<core::ConnectorCallback> ReadWebhookCallback(
    const nlohmann::json& j, const core::Crypto& crypto, const core::CallbackMessage& msg,
    core::UnixTime now, core::RowSink& rows);

}  // namespace rd::connectors
