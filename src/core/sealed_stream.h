#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// Bytes of plain text per sealed chunk.
inline constexpr std::size_t kSealedChunkBytes = 64 * 1024;

// Writes a byte stream (an export spool, a copy package's zip) into the store as sealed
// chunks (Crypto::SealChunk, ChunkRepository) of 64 KiB, each stored in its own write
// transaction, so that memory stays at one chunk whatever the stream's size and any worker
// process can read it back. Each chunk's plain text starts with a flag byte, 'e' on the last
// chunk and 'm' on the others, so that a reader notices a stream cut short.
class SealedStreamWriter {
 public:
  // Drops any chunks already stored under `stream` (an earlier, interrupted attempt).
  SealedStreamWriter(Store& store, const Crypto& crypto, std::string stream);
  [[nodiscard]] Status Start();
  // Appends at the end.
  [[nodiscard]] Status Append(std::string_view data);
  // Writes at `offset` (at most the size so far), overwriting and extending: an earlier chunk
  // is read, changed and sealed again (the zip writer patches headers so).
  [[nodiscard]] Status WriteAt(std::uint64_t offset, std::string_view data);
  // Stores the last chunk, marked as the end. Nothing may be written after.
  [[nodiscard]] Status Finish();

  std::uint64_t size() const { return size_; }
  std::int64_t chunks() const { return static_cast<std::int64_t>(tail_index_) + 1; }
  const std::string& stream() const { return stream_; }

 private:
  [[nodiscard]] Status SaveChunk(std::int64_t seq, char flag, std::string_view data);
  [[nodiscard]] Status Patch(std::int64_t seq, std::size_t within, std::string_view data);

  Store& store_;
  const Crypto& crypto_;
  std::string stream_;
  std::uint64_t size_ = 0;
  std::uint64_t tail_index_ = 0;  // the chunk in tail_, not yet stored
  std::string tail_;
  bool finished_ = false;
};

// Reads a sealed stream back, one chunk at a time. Errors: kInvalidArgument when a chunk was
// changed, moved, or the stream ends without its last chunk.
class SealedStreamReader {
 public:
  SealedStreamReader(Store& store, const Crypto& crypto, std::string stream);
  // The next chunk's bytes, or nullopt after the last one.
  [[nodiscard]] Result<std::optional<std::string>> Next();

 private:
  Store& store_;
  const Crypto& crypto_;
  std::string stream_;
  std::int64_t next_ = 0;
  bool ended_ = false;
};

// Reads a sealed stream line by line ('\n' ends a line; it is not returned).
class SealedLineReader {
 public:
  SealedLineReader(Store& store, const Crypto& crypto, std::string stream)
      : chunks_(store, crypto, std::move(stream)) {}
  // The next line, or nullopt at the end.
  [[nodiscard]] Result<std::optional<std::string>> Next();

 private:
  SealedStreamReader chunks_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool done_ = false;
};

}  // namespace rd::core
