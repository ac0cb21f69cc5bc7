#pragma once

#include <string>

#include "core/crypto.h"

namespace rd::core {

// The secrets in the links we email, derived from the installation's key rather than stored,
// so that any later email (an extension notice, a reminder) can carry the same link and a
// database dump reveals none of them.

// The subject's status link for a request (32 hex digits).
std::string StatusToken(const Crypto& crypto, const std::string& request_id);

// The vendor's confirmation link for an email task (32 hex digits).
std::string VendorToken(const Crypto& crypto, const std::string& task_id);

// True when `token` is the status (or vendor) token of the id; constant time.
bool IsStatusToken(const Crypto& crypto, const std::string& request_id, const std::string& token);
bool IsVendorToken(const Crypto& crypto, const std::string& task_id, const std::string& token);

}  // namespace rd::core
