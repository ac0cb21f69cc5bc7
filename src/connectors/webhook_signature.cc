// The signatures of webhook jobs and callbacks: HMAC-SHA-256 over "timestamp.body" under the
// source's secret, as "v1=<hex>", checked in constant time within a 5-minute window.
#include <sodium.h>

#include <cctype>
#include <string>

#include "connectors/webhook_connector.h"

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;

std::string Hex(const unsigned char* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  const std::string head = timestamp + ".";
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(head.data()),
                                head.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return "v1=" + Hex(mac, sizeof mac);
}

core::Result<std::string> VerifyWebhookSignature(const std::string& secret,
                                                 const core::CallbackMessage& msg,
                                                 core::UnixTime now) {
  const std::string ts = Trim(msg.timestamp);
  if (ts.empty() || ts.size() > 12 || ts.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(Errc::kUnauthenticated,
                "Rightsdesk-Timestamp: required, the Unix time (seconds) the callback was signed");
  }
  const core::UnixTime at = std::stoll(ts);
  if (at < now - kWebhookTolerance || at > now + kWebhookTolerance) {
    return Fail(Errc::kUnauthenticated,
                "Rightsdesk-Timestamp: more than 5 minutes from now; sign each callback when "
                "sending it");
  }
  const std::string expected = WebhookSignature(secret, ts, msg.body);
  std::size_t start = 0;
  while (start <= msg.signature.size()) {
    const auto comma = msg.signature.find(',', start);
    const std::string entry = Trim(msg.signature.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start));
    if (entry.rfind("v1=", 0) == 0 && ConstantTimeEquals(entry, expected)) {
      return expected.substr(3);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Fail(Errc::kUnauthenticated,
              "Rightsdesk-Signature: missing or wrong; expected v1=<hex HMAC-SHA-256 of "
              "timestamp + \".\" + body under the source's secret>");
}

}  // namespace rd::connectors
