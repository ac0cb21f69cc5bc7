#include "core/ids.h"

#include <chrono>
#include <cstdio>

namespace rd::core {

std::string NewId(const Crypto& crypto, std::string_view prefix) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  char time_hex[16];
  std::snprintf(time_hex, sizeof time_hex, "%011llx",
                static_cast<unsigned long long>(ms) & 0xfffffffffffULL);
  return std::string(prefix) + time_hex + crypto.RandomHex(7).substr(0, 13);
}

}  // namespace rd::core
