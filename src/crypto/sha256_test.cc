#include "crypto/sha256.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/sodium_crypto.h"

namespace rd::crypto {
namespace {

std::string Hex(const Digest& d) {
  return ToHex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

// FIPS 180-2 examples.
TEST(Sha256Test, MatchesTheStandardsExamples) {
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// RFC 4231 test cases 2 (short key) and 6 (a key longer than a block is hashed first).
TEST(HmacSha256Test, MatchesRfc4231) {
  EXPECT_EQ(Hex(HmacSha256("Jefe").Mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const HmacSha256 long_key(std::string(131, '\xaa'));
  EXPECT_EQ(Hex(long_key.Mac("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // The precomputed states are copied, not consumed: the same MAC twice.
  EXPECT_EQ(Hex(long_key.Mac("x")), Hex(long_key.Mac("x")));
}

}  // namespace
}  // namespace rd::crypto
