#include "crypto/sodium_crypto.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace rd::crypto {

namespace {
constexpr std::size_t kMasterKeyBytes = 32;

// Argon2id parameters: OWASP's "interactive" level is 2 passes over 19 MiB; libsodium's
// INTERACTIVE (2 passes, 64 MiB) is stronger and still ~50 ms here.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}  // namespace

std::string ToHex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

core::Status InitSodium() {
  if (sodium_init() < 0) return core::Fail(core::Errc::kInternal, "libsodium failed to start");
  return {};
}

SodiumCrypto::SodiumCrypto(std::string master_key) {
  if (master_key.size() != kMasterKeyBytes) {
    throw std::invalid_argument("SodiumCrypto: the master key must be 32 bytes");
  }
  // Derive a sub-key so the master key itself is never used for two purposes.
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  crypto_kdf_derive_from_key(key, sizeof key, 1, "rdidhash",
                             reinterpret_cast<const unsigned char*>(master_key.data()));
  crypto_auth_hmacsha256_init(&identity_state_, key, sizeof key);
  sodium_memzero(key, sizeof key);
  sodium_memzero(master_key.data(), master_key.size());
}

std::string SodiumCrypto::HashPassword(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

bool SodiumCrypto::VerifyPassword(std::string_view hash, std::string_view password) const {
  const std::string h(hash);  // needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string SodiumCrypto::RandomHex(std::size_t bytes) const {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return ToHex(raw);
}

std::string SodiumCrypto::Sha256Hex(std::string_view data) const {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return ToHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string SodiumCrypto::IdentityHash(std::string_view data) const {
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  // The keyed state is computed once (constructor): each hash then costs two compressions
  // fewer.
  crypto_auth_hmacsha256_state st = identity_state_;
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  crypto_auth_hmacsha256_final(&st, out);
  return ToHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

bool SodiumCrypto::ConstantTimeEquals(std::string_view a, std::string_view b) const {
  // Compare fixed-size digests so that the time depends on neither content nor length.
  unsigned char da[crypto_hash_sha256_BYTES];
  unsigned char db[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(da, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256(db, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  return sodium_memcmp(da, db, sizeof da) == 0;
}

core::Result<std::string> LoadOrCreateMasterKey(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    std::string key(kMasterKeyBytes, '\0');
    randombytes_buf(key.data(), key.size());
    const mode_t old = umask(077);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    out.close();
    umask(old);
    if (!out) {
      return core::Fail(core::Errc::kUnavailable,
                        "security.master_key_file: cannot create " + path);
    }
    return key;
  }
  std::ifstream in(path, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return core::Fail(core::Errc::kUnavailable, "security.master_key_file: cannot read " + path);
  }
  if (key.size() != kMasterKeyBytes) {
    return core::Fail(core::Errc::kInvalidArgument, "security.master_key_file: " + path +
                                                        " must hold exactly 32 bytes, has " +
                                                        std::to_string(key.size()));
  }
  return key;
}

}  // namespace rd::crypto
