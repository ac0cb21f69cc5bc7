#include "crypto/sodium_crypto.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "crypto/sha256.h"

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
  identity_mac_ = std::make_unique<HmacSha256>(
      std::string_view(reinterpret_cast<const char*>(key), sizeof key));
  sodium_memzero(key, sizeof key);
  unsigned char box_key[crypto_secretbox_KEYBYTES];
  crypto_kdf_derive_from_key(box_key, sizeof box_key, 2, "rdsecret",
                             reinterpret_cast<const unsigned char*>(master_key.data()));
  secret_key_.assign(reinterpret_cast<const char*>(box_key), sizeof box_key);
  crypto_kdf_derive_from_key(box_key, sizeof box_key, 3, "rdchunks",
                             reinterpret_cast<const unsigned char*>(master_key.data()));
  chunk_key_.assign(reinterpret_cast<const char*>(box_key), sizeof box_key);
  sodium_memzero(box_key, sizeof box_key);
  sodium_memzero(master_key.data(), master_key.size());
}

SodiumCrypto::~SodiumCrypto() = default;

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
  const Digest out = Sha256(data);
  return ToHex(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
}

std::string SodiumCrypto::IdentityHash(std::string_view data) const {
  const Digest out = identity_mac_->Mac(data);
  return ToHex(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
}

bool SodiumCrypto::ConstantTimeEquals(std::string_view a, std::string_view b) const {
  // Compare fixed-size digests so that the time depends on neither content nor length.
  const Digest da = Sha256(a);
  const Digest db = Sha256(b);
  return sodium_memcmp(da.data(), db.data(), da.size()) == 0;
}

std::string SodiumCrypto::SealSecret(std::string_view plain) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                        reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return "sb1:" + ToHex(out);
}

core::Result<std::string> SodiumCrypto::OpenSecret(std::string_view sealed) const {
  const auto bad = [] {
    return core::Fail(core::Errc::kInvalidArgument,
                      "a stored secret cannot be read with this master key");
  };
  if (sealed.substr(0, 4) != "sb1:") return bad();
  sealed.remove_prefix(4);
  std::string raw(sealed.size() / 2, '\0');
  std::size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), sealed.data(),
                     sealed.size(), nullptr, &len, nullptr) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return bad();
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw.data());
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(secret_key_.data())) != 0) {
    return bad();
  }
  return plain;
}

namespace {

// The secretbox key of one stream: BLAKE2b of the stream's name keyed by the chunk key.
void StreamKey(const std::string& chunk_key, std::string_view stream,
               unsigned char (&key)[crypto_secretbox_KEYBYTES]) {
  crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(stream.data()),
                     stream.size(), reinterpret_cast<const unsigned char*>(chunk_key.data()),
                     chunk_key.size());
}

void PutSeq(unsigned char* out, std::int64_t seq) {
  const auto v = static_cast<std::uint64_t>(seq);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}

}  // namespace

std::string SodiumCrypto::SealChunk(std::string_view stream, std::int64_t seq,
                                    std::string_view plain) const {
  unsigned char key[crypto_secretbox_KEYBYTES];
  StreamKey(chunk_key_, stream, key);
  // The box holds the chunk's number, then the chunk.
  std::string inner(8 + plain.size(), '\0');
  PutSeq(reinterpret_cast<unsigned char*>(inner.data()), seq);
  std::copy(plain.begin(), plain.end(), inner.begin() + 8);
  std::string raw(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + inner.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(raw.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(inner.data()), inner.size(), nonce,
                        key);
  sodium_memzero(key, sizeof key);
  sodium_memzero(inner.data(), inner.size());
  const std::size_t b64 =
      sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  std::string out(b64, '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  out.pop_back();  // the terminating NUL
  return out;
}

core::Result<std::string> SodiumCrypto::OpenChunk(std::string_view stream, std::int64_t seq,
                                                  std::string_view sealed) const {
  const auto bad = [] {
    return core::Fail(core::Errc::kInvalidArgument,
                      "a sealed chunk was changed, moved or sealed under another master key");
  };
  std::string raw(sealed.size() * 3 / 4 + 3, '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), sealed.data(),
                        sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 8) {
    return bad();
  }
  unsigned char key[crypto_secretbox_KEYBYTES];
  StreamKey(chunk_key_, stream, key);
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw.data());
  std::string inner(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  const int rc = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(inner.data()),
                                            nonce + crypto_secretbox_NONCEBYTES,
                                            len - crypto_secretbox_NONCEBYTES, nonce, key);
  sodium_memzero(key, sizeof key);
  if (rc != 0) return bad();
  unsigned char want[8];
  PutSeq(want, seq);
  if (sodium_memcmp(want, inner.data(), 8) != 0) return bad();
  return inner.substr(8);
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
