#pragma once

#include <array>
#include <string_view>

namespace rd::crypto {

// SHA-256 and HMAC-SHA-256 through OpenSSL, whose implementation uses the processor's SHA
// extensions where it has them: several times fewer cycles than portable code for the hashes
// that sit on hot paths (the audit chain, identity lookups). Results are the standard ones.
using Digest = std::array<unsigned char, 32>;

Digest Sha256(std::string_view data);

// HMAC-SHA-256 with a fixed key, its inner and outer states computed once so that each MAC
// costs two compressions fewer. Thread-safe: Mac() copies the states.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  Digest Mac(std::string_view data) const;

 private:
  struct States;
  States* states_;
};

}  // namespace rd::crypto
