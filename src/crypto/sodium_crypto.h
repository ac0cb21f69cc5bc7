#pragma once

#include <sodium.h>

#include <memory>
#include <string>

#include "core/crypto.h"
#include "core/result.h"

namespace rd::crypto {

class HmacSha256;

// core::Crypto on libsodium (hashes through crypto/sha256.h). The identity key for IdentityHash is
// derived from the master key, so identity lookups survive restarts and are the same in every
// process that shares the master key.
class SodiumCrypto final : public core::Crypto {
 public:
  // `master_key` is 32 bytes of secret material (see LoadOrCreateMasterKey); any other size
  // is a programming error (std::invalid_argument).
  explicit SodiumCrypto(std::string master_key);
  ~SodiumCrypto() override;

  std::string HashPassword(std::string_view password) const override;
  bool VerifyPassword(std::string_view hash, std::string_view password) const override;
  std::string RandomHex(std::size_t bytes) const override;
  std::string Sha256Hex(std::string_view data) const override;
  std::string IdentityHash(std::string_view data) const override;
  bool ConstantTimeEquals(std::string_view a, std::string_view b) const override;
  std::string SealSecret(std::string_view plain) const override;
  core::Result<std::string> OpenSecret(std::string_view sealed) const override;
  std::string SealChunk(std::string_view stream, std::int64_t seq,
                        std::string_view plain) const override;
  core::Result<std::string> OpenChunk(std::string_view stream, std::int64_t seq,
                                      std::string_view sealed) const override;

 private:
  // HMAC-SHA256 keyed with the identity key (crypto/sha256.h).
  std::unique_ptr<HmacSha256> identity_mac_;
  std::string secret_key_;  // 32 bytes: secretbox key for stored secrets
  std::string chunk_key_;   // 32 bytes: keys the per-stream keys of sealed chunks
};

// Initializes libsodium; returns an error if it cannot (no entropy source).
[[nodiscard]] core::Status InitSodium();

// Reads the 32-byte master key from `path`, or creates the file (mode 0600, with its parent
// directory) with fresh random bytes when it does not exist. A file of the wrong size or one
// that cannot be read is an error naming the path.
[[nodiscard]] core::Result<std::string> LoadOrCreateMasterKey(const std::string& path);

std::string ToHex(std::string_view bytes);

}  // namespace rd::crypto
