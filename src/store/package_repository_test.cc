// Copy packages and sealed chunks on both databases.
#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace rd::store {
namespace {

TEST_F(StoreTest, PackagesRoundTripByRequestAndTokenAndExpire) {
  const auto q = MakeRequest("req_pkg", 5000);
  Insert(q);
  core::Package p;
  p.id = "pkg_req_pkg";
  p.request_id = q.id;
  p.status = "ready";
  p.stream = "package:pkg_req_pkg:1";
  p.token_hash = "hash1";
  p.token_sealed = "sb1:00";
  p.redactions = "{}";
  p.summary = R"({"sources":[]})";
  p.bytes = 5000000000;  // past 32 bits
  p.chunks = 3;
  p.created_at = 100;
  p.updated_at = 101;
  p.expires_at = 1000;
  auto st = store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Packages().Put(p); !s) return s;
    p.status = "ready";
    return tx.Packages().Put(p);  // replaces
  });
  ASSERT_TRUE(st) << st.error().message;
  st = store_->Write([&](core::Transaction& tx) -> core::Status {
    auto by_request = tx.Packages().FindByRequest(q.id);
    EXPECT_TRUE(by_request);
    if (!by_request) return {};
    EXPECT_EQ(by_request->bytes, 5000000000);
    EXPECT_EQ(by_request->stream, p.stream);
    EXPECT_EQ(by_request->expires_at, 1000);
    auto by_token = tx.Packages().FindByTokenHash("hash1");
    EXPECT_TRUE(by_token);
    EXPECT_EQ(tx.Packages().FindByTokenHash("").error().code, core::Errc::kNotFound);
    EXPECT_EQ(tx.Packages().FindByTokenHash("other").error().code, core::Errc::kNotFound);
    EXPECT_EQ(tx.Packages().FindByRequest("req_none").error().code, core::Errc::kNotFound);
    EXPECT_TRUE(tx.Packages().CountDownload(p.id));
    EXPECT_EQ(tx.Packages().FindByRequest(q.id)->downloads, 1);
    EXPECT_TRUE(tx.Packages().ListExpired(999, 10)->empty());
    EXPECT_EQ(tx.Packages().ListExpired(1000, 10)->size(), 1u);
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
}

TEST_F(StoreTest, SealedChunksAreStoredPerStreamAndNumber) {
  const std::string big(90000, 'Q');
  auto st = store_->Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Chunks().Put("s1", 0, big); !s) return s;
    if (auto s = tx.Chunks().Put("s1", 1, "b"); !s) return s;
    if (auto s = tx.Chunks().Put("s1", 1, "B"); !s) return s;  // replaces
    return tx.Chunks().Put("s2", 0, "other");
  });
  ASSERT_TRUE(st) << st.error().message;
  st = store_->Write([&](core::Transaction& tx) -> core::Status {
    EXPECT_EQ(**tx.Chunks().Get("s1", 0), big);
    EXPECT_EQ(**tx.Chunks().Get("s1", 1), "B");
    EXPECT_FALSE(*tx.Chunks().Get("s1", 2));
    EXPECT_TRUE(tx.Chunks().DeleteStream("s1"));
    EXPECT_FALSE(*tx.Chunks().Get("s1", 0));
    EXPECT_EQ(**tx.Chunks().Get("s2", 0), "other");
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
}

}  // namespace
}  // namespace rd::store
