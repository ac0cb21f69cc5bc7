// The low-level SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, whose
// per-call provider lookups cost more than the hash of a short string. They remain supported
// and dispatch to the same assembly.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/sha256.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>

namespace rd::crypto {

Digest Sha256(std::string_view data) {
  // Not the one-shot SHA256(), which goes through EVP's provider lookup on every call.
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  Digest out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

struct HmacSha256::States {
  SHA256_CTX inner;
  SHA256_CTX outer;
};

HmacSha256::HmacSha256(std::string_view key) : states_(new States) {
  unsigned char block[SHA256_CBLOCK] = {};
  if (key.size() > sizeof block) {
    const Digest k = Sha256(key);
    std::memcpy(block, k.data(), k.size());
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[SHA256_CBLOCK];
  for (std::size_t i = 0; i < sizeof block; ++i) pad[i] = block[i] ^ 0x36;
  SHA256_Init(&states_->inner);
  SHA256_Update(&states_->inner, pad, sizeof pad);
  for (std::size_t i = 0; i < sizeof block; ++i) pad[i] = block[i] ^ 0x5c;
  SHA256_Init(&states_->outer);
  SHA256_Update(&states_->outer, pad, sizeof pad);
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
}

HmacSha256::~HmacSha256() {
  OPENSSL_cleanse(states_, sizeof *states_);
  delete states_;
}

Digest HmacSha256::Mac(std::string_view data) const {
  Digest inner;
  SHA256_CTX ctx = states_->inner;
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(inner.data(), &ctx);
  Digest out;
  ctx = states_->outer;
  SHA256_Update(&ctx, inner.data(), inner.size());
  SHA256_Final(out.data(), &ctx);
  OPENSSL_cleanse(&ctx, sizeof ctx);
  return out;
}

}  // namespace rd::crypto
