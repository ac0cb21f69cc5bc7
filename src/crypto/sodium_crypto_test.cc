#include "crypto/sodium_crypto.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace rd::crypto {
namespace {

namespace fs = std::filesystem;

class SodiumCryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitSodium()); }
  SodiumCrypto crypto_{std::string(32, 'k')};
};

bool IsLowerHex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_F(SodiumCryptoTest, PasswordVerifiesOnlyWithTheRightPassword) {
  const std::string hash = crypto_.HashPassword("correct horse battery");
  EXPECT_TRUE(crypto_.VerifyPassword(hash, "correct horse battery"));
  EXPECT_FALSE(crypto_.VerifyPassword(hash, "correct horse batterY"));
  EXPECT_FALSE(crypto_.VerifyPassword(hash, ""));
}

TEST_F(SodiumCryptoTest, PasswordHashIsArgon2idAndSalted) {
  const std::string a = crypto_.HashPassword("correct horse battery");
  const std::string b = crypto_.HashPassword("correct horse battery");
  EXPECT_EQ(a.rfind("$argon2id$", 0), 0u) << a;
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find("correct horse battery"), std::string::npos);
  EXPECT_TRUE(crypto_.VerifyPassword(b, "correct horse battery"));
}

TEST_F(SodiumCryptoTest, HashFromAnotherInstanceVerifies) {
  const std::string hash = crypto_.HashPassword("correct horse battery");
  const SodiumCrypto other(std::string(32, 'x'));
  EXPECT_TRUE(other.VerifyPassword(hash, "correct horse battery"));
}

TEST_F(SodiumCryptoTest, GarbageHashNeverVerifies) {
  EXPECT_FALSE(crypto_.VerifyPassword("", ""));
  EXPECT_FALSE(crypto_.VerifyPassword("not a hash", "not a hash"));
  EXPECT_FALSE(crypto_.VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$", "x"));
}

TEST_F(SodiumCryptoTest, RandomHexHasTwoDigitsPerByte) {
  EXPECT_EQ(crypto_.RandomHex(0), "");
  for (std::size_t bytes : {1u, 8u, 16u, 32u}) {
    const std::string hex = crypto_.RandomHex(bytes);
    EXPECT_EQ(hex.size(), bytes * 2);
    EXPECT_TRUE(IsLowerHex(hex)) << hex;
  }
}

TEST_F(SodiumCryptoTest, RandomHexDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(crypto_.RandomHex(16));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST_F(SodiumCryptoTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(crypto_.Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(crypto_.Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(SodiumCryptoTest, IdentityHashIsStableForTheSameKey) {
  const SodiumCrypto same_key(std::string(32, 'k'));
  const std::string h = crypto_.IdentityHash("ana@example.com");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_TRUE(IsLowerHex(h)) << h;
  EXPECT_EQ(crypto_.IdentityHash("ana@example.com"), h);
  EXPECT_EQ(same_key.IdentityHash("ana@example.com"), h);
  EXPECT_NE(crypto_.IdentityHash("bob@example.com"), h);
}

TEST_F(SodiumCryptoTest, IdentityHashDiffersForAnotherKey) {
  const SodiumCrypto other_key(std::string(32, 'j'));
  EXPECT_NE(other_key.IdentityHash("ana@example.com"), crypto_.IdentityHash("ana@example.com"));
}

// Stored identity hashes must never change: HMAC-SHA256 under the key derived from the master
// key (libsodium KDF, id 1, context "rdidhash"), computed independently.
TEST_F(SodiumCryptoTest, IdentityHashIsTheKnownHmacOfTheDerivedKey) {
  const SodiumCrypto k(std::string(32, 'k'));
  EXPECT_EQ(k.IdentityHash("a@example.com"),
            "c2db2d83da6e4306961bfbe422badf3a91ddaec369ccdc537ab264089ce11873");
  EXPECT_EQ(k.IdentityHash("a@example.com"), k.IdentityHash("a@example.com"));
}

TEST_F(SodiumCryptoTest, IdentityHashIsNotAPlainHash) {
  EXPECT_NE(crypto_.IdentityHash("ana@example.com"), crypto_.Sha256Hex("ana@example.com"));
}

TEST_F(SodiumCryptoTest, ConstantTimeEqualsComparesContent) {
  EXPECT_TRUE(crypto_.ConstantTimeEquals("", ""));
  EXPECT_TRUE(crypto_.ConstantTimeEquals("csrf-token-123", "csrf-token-123"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("csrf-token-123", "csrf-token-124"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("csrf-token-123", "csrf-token-12"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("", "x"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_F(SodiumCryptoTest, ChunkRoundTripsOnlyAtItsStreamAndNumber) {
  const std::string plain = std::string(70000, 'x') + "\n{\"email\":\"a@example.com\"}";
  const std::string sealed = crypto_.SealChunk("package:p1", 3, plain);
  EXPECT_EQ(sealed.find("example.com"), std::string::npos);
  EXPECT_EQ(*crypto_.OpenChunk("package:p1", 3, sealed), plain);
  EXPECT_NE(crypto_.SealChunk("package:p1", 3, plain), sealed);  // a fresh nonce each time
  // Reordered, moved to another stream, or under another master key: refused.
  EXPECT_FALSE(crypto_.OpenChunk("package:p1", 2, sealed));
  EXPECT_FALSE(crypto_.OpenChunk("package:p2", 3, sealed));
  EXPECT_FALSE(SodiumCrypto(std::string(32, 'j')).OpenChunk("package:p1", 3, sealed));
  EXPECT_EQ(*crypto_.OpenChunk("s", 0, crypto_.SealChunk("s", 0, "")), "");
}

TEST_F(SodiumCryptoTest, ChangedChunkIsRefused) {
  std::string sealed = crypto_.SealChunk("spool:t1", 0, "row one\nrow two\n");
  for (std::size_t at : {std::size_t{0}, sealed.size() / 2, sealed.size() - 2}) {
    std::string bad = sealed;
    bad[at] = bad[at] == 'A' ? 'B' : 'A';
    auto opened = crypto_.OpenChunk("spool:t1", 0, bad);
    ASSERT_FALSE(opened) << at;
    EXPECT_EQ(opened.error().code, core::Errc::kInvalidArgument);
  }
  EXPECT_FALSE(crypto_.OpenChunk("spool:t1", 0, sealed.substr(0, sealed.size() - 4)));
  EXPECT_FALSE(crypto_.OpenChunk("spool:t1", 0, "not base64 at all!"));
}

TEST(SodiumCryptoKey, AKeyOfTheWrongSizeIsRefused) {
  ASSERT_TRUE(InitSodium());
  EXPECT_THROW(SodiumCrypto(std::string(16, 'k')), std::invalid_argument);
}

TEST(HexEncoding, EncodesBytesInLowerCase) {
  EXPECT_EQ(ToHex(""), "");
  EXPECT_EQ(ToHex(std::string("\x00\x01\xab\xff", 4)), "0001abff");
}

// --- master key -------------------------------------------------------------------------

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitSodium());
    std::string tmpl = ::testing::TempDir() + "/rd_key_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string dir_;
};

TEST_F(MasterKeyTest, CreatesPrivateThirtyTwoByteFile) {
  const std::string path = dir_ + "/nested/dir/master.key";
  auto key = LoadOrCreateMasterKey(path);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->size(), 32u);
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(fs::file_size(path), 32u);
  const fs::perms perms = fs::status(path).permissions() & fs::perms::all;
  EXPECT_EQ(perms, fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(MasterKeyTest, ReadsBackTheSameKey) {
  const std::string path = dir_ + "/master.key";
  auto created = LoadOrCreateMasterKey(path);
  ASSERT_TRUE(created) << created.error().message;
  auto loaded = LoadOrCreateMasterKey(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, *created);
}

TEST_F(MasterKeyTest, DifferentInstallationsGetDifferentKeys) {
  auto a = LoadOrCreateMasterKey(dir_ + "/a.key");
  auto b = LoadOrCreateMasterKey(dir_ + "/b.key");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST_F(MasterKeyTest, RejectsFileOfWrongSizeNamingThePath) {
  for (std::size_t size : {0u, 31u, 33u, 64u}) {
    const std::string path = dir_ + "/bad" + std::to_string(size) + ".key";
    {
      std::ofstream out(path, std::ios::binary);
      out << std::string(size, 'x');
    }
    auto key = LoadOrCreateMasterKey(path);
    ASSERT_FALSE(key) << size;
    EXPECT_EQ(key.error().code, core::Errc::kInvalidArgument);
    EXPECT_NE(key.error().message.find(path), std::string::npos) << key.error().message;
    // The bad file is left alone for the operator to look at.
    EXPECT_EQ(fs::file_size(path), size);
  }
}

}  // namespace
}  // namespace rd::crypto

TEST(SodiumCryptoSecrets, ASealedSecretOpensOnlyWithTheSameMasterKey) {
  ASSERT_TRUE(rd::crypto::InitSodium());
  rd::crypto::SodiumCrypto crypto(std::string(32, 'k'));
  const std::string sealed = crypto.SealSecret("s3cret pass");
  EXPECT_EQ(sealed.rfind("sb1:", 0), 0u);
  EXPECT_EQ(sealed.find("s3cret"), std::string::npos);
  EXPECT_NE(crypto.SealSecret("s3cret pass"), sealed);  // a fresh nonce each time
  auto opened = crypto.OpenSecret(sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "s3cret pass");
  rd::crypto::SodiumCrypto other(std::string(32, 'x'));
  EXPECT_FALSE(other.OpenSecret(sealed));
  std::string changed = sealed;
  changed.back() = changed.back() == '0' ? '1' : '0';
  EXPECT_FALSE(crypto.OpenSecret(changed));
  EXPECT_FALSE(crypto.OpenSecret("plain"));
}
