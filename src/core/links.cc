#include "core/links.h"

namespace rd::core {

std::string StatusToken(const Crypto& crypto, const std::string& request_id) {
  return crypto.IdentityHash("status-link:" + request_id).substr(0, 32);
}

std::string VendorToken(const Crypto& crypto, const std::string& task_id) {
  return crypto.IdentityHash("vendor-link:" + task_id).substr(0, 32);
}

bool IsStatusToken(const Crypto& crypto, const std::string& request_id, const std::string& token) {
  return !token.empty() && crypto.ConstantTimeEquals(StatusToken(crypto, request_id), token);
}

bool IsVendorToken(const Crypto& crypto, const std::string& task_id, const std::string& token) {
  return !token.empty() && crypto.ConstantTimeEquals(VendorToken(crypto, task_id), token);
}

}  // namespace rd::core
