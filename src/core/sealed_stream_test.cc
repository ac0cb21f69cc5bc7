#include "core/sealed_stream.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "store/temp_store.h"

namespace rd::core {
namespace {

class SealedStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
  }

  std::string ReadAll(const std::string& stream) {
    SealedStreamReader r(temp_->store(), temp_->crypto(), stream);
    std::string out;
    for (;;) {
      auto c = r.Next();
      EXPECT_TRUE(c) << (c ? "" : c.error().message);
      if (!c || !*c) return out;
      out += **c;
    }
  }

  std::optional<std::string> RawChunk(const std::string& stream, std::int64_t seq) {
    std::optional<std::string> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      auto c = tx.Chunks().Get(stream, seq);
      if (!c) return tl::unexpected(c.error());
      out = *c;
      return {};
    }));
    return out;
  }

  void PutRaw(const std::string& stream, std::int64_t seq, const std::string& data) {
    ASSERT_TRUE(
        temp_->store().Write([&](Transaction& tx) { return tx.Chunks().Put(stream, seq, data); }));
  }

  std::unique_ptr<store::TempSqliteStore> temp_;
};

TEST_F(SealedStreamTest, RoundTripsAcrossChunksWithPatchesBehindTheEnd) {
  SealedStreamWriter w(temp_->store(), temp_->crypto(), "package:t");
  ASSERT_TRUE(w.Start());
  std::string expect;
  for (int i = 0; i < 30000; ++i) {
    const std::string line = "row " + std::to_string(i) + " ana@example.com\n";
    ASSERT_TRUE(w.Append(line));
    expect += line;
  }
  // Patch bytes in the first (stored) chunk, across a chunk boundary, and in the tail, as a
  // zip writer completes its headers.
  const std::uint64_t boundary = kSealedChunkBytes - 2;
  for (std::uint64_t at : {std::uint64_t{3}, boundary, expect.size() - 5}) {
    ASSERT_TRUE(w.WriteAt(at, "PATCH"));
    expect.replace(at, 5, "PATCH");
  }
  EXPECT_FALSE(w.WriteAt(expect.size() + 1, "gap"));
  ASSERT_TRUE(w.Finish());
  EXPECT_EQ(w.size(), expect.size());
  EXPECT_EQ(w.chunks(), static_cast<std::int64_t>(expect.size() / kSealedChunkBytes + 1));
  EXPECT_EQ(ReadAll("package:t"), expect);
  // Nothing readable at rest.
  EXPECT_EQ(RawChunk("package:t", 0)->find("example.com"), std::string::npos);

  SealedLineReader lines(temp_->store(), temp_->crypto(), "package:t");
  auto first = lines.Next();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ(**first, "rowPATCHa@example.com");
  int n = 1;
  while (true) {
    auto l = lines.Next();
    ASSERT_TRUE(l);
    if (!*l) break;
    ++n;
  }
  const auto breaks = std::count(expect.begin(), expect.end(), '\n');
  EXPECT_EQ(n, breaks + (expect.back() == '\n' ? 0 : 1));
}

TEST_F(SealedStreamTest, ReorderedChangedOrTruncatedChunksAreRefused) {
  SealedStreamWriter w(temp_->store(), temp_->crypto(), "spool:t");
  ASSERT_TRUE(w.Start());
  ASSERT_TRUE(w.Append(std::string(3 * kSealedChunkBytes + 10, 'x')));
  ASSERT_TRUE(w.Finish());
  ASSERT_EQ(w.chunks(), 4);
  const std::string c0 = *RawChunk("spool:t", 0);
  const std::string c1 = *RawChunk("spool:t", 1);
  const std::string c3 = *RawChunk("spool:t", 3);
  auto read_fails = [&] {
    SealedStreamReader r(temp_->store(), temp_->crypto(), "spool:t");
    for (;;) {
      auto c = r.Next();
      if (!c) return true;
      if (!*c) return false;
    }
  };
  EXPECT_FALSE(read_fails());
  // Swapped.
  PutRaw("spool:t", 0, c1);
  PutRaw("spool:t", 1, c0);
  EXPECT_TRUE(read_fails());
  PutRaw("spool:t", 0, c0);
  PutRaw("spool:t", 1, c1);
  // Changed.
  std::string bad = c1;
  bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
  PutRaw("spool:t", 1, bad);
  EXPECT_TRUE(read_fails());
  PutRaw("spool:t", 1, c1);
  // Cut short: the last chunk gone.
  ASSERT_TRUE(temp_->store().Write(
      [&](Transaction& tx) -> Status { return tx.Chunks().DeleteStream("spool:t"); }));
  PutRaw("spool:t", 0, c0);
  PutRaw("spool:t", 1, c1);
  EXPECT_TRUE(read_fails());
  // From another stream.
  PutRaw("spool:u", 0, c3);
  SealedStreamReader other(temp_->store(), temp_->crypto(), "spool:u");
  EXPECT_FALSE(other.Next());
}

}  // namespace
}  // namespace rd::core
