#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rd::core {

// Cryptographic primitives the domain needs, injected so that core stays free of
// third-party headers. The production implementation (crypto/sodium_crypto.h) uses
// libsodium. Implementations are thread-safe.
class Crypto {
 public:
  virtual ~Crypto() = default;

  // Argon2id hash in the self-describing "$argon2id$..." form.
  virtual std::string HashPassword(std::string_view password) const = 0;
  // Constant-time check of `password` against a hash from HashPassword.
  virtual bool VerifyPassword(std::string_view hash, std::string_view password) const = 0;
  // `bytes` random bytes from the OS CSPRNG, hex-encoded (2 * bytes characters).
  virtual std::string RandomHex(std::size_t bytes) const = 0;
  // SHA-256 of `data`, lower-case hex.
  virtual std::string Sha256Hex(std::string_view data) const = 0;
  // HMAC-SHA-256 of `data` under the installation's identity key, lower-case hex. Used as a
  // search index for identities (emails) without storing a plain index.
  virtual std::string IdentityHash(std::string_view data) const = 0;
  // Constant-time equality of two strings of any length.
  virtual bool ConstantTimeEquals(std::string_view a, std::string_view b) const = 0;
  // Encrypts a secret to store (a connector's password) under a key derived from the
  // installation's master key, with a fresh nonce: "sb1:" + hex. Only OpenSecret with the
  // same master key reads it back.
  virtual std::string SealSecret(std::string_view plain) const = 0;
  // The secret sealed by SealSecret. kInvalidArgument when it was not sealed under this master
  // key (or was changed).
  [[nodiscard]] virtual Result<std::string> OpenSecret(std::string_view sealed) const = 0;
  // Seals chunk number `seq` of the byte stream `stream` (an export spool, a copy package) to
  // store: secretbox under a key derived from the master key and `stream`, a fresh nonce, and
  // `seq` inside the box; base64 text. Only OpenChunk with the same stream and number reads it
  // back, so chunks cannot be reordered or moved to another stream.
  virtual std::string SealChunk(std::string_view stream, std::int64_t seq,
                                std::string_view plain) const = 0;
  // The plain chunk. kInvalidArgument when it was changed, or sealed for another stream or
  // number, or under another master key.
  [[nodiscard]] virtual Result<std::string> OpenChunk(std::string_view stream, std::int64_t seq,
                                                      std::string_view sealed) const = 0;
};

}  // namespace rd::core
