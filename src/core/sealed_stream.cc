#include "core/sealed_stream.h"

#include <algorithm>

namespace rd::core {

SealedStreamWriter::SealedStreamWriter(Store& store, const Crypto& crypto, std::string stream)
    : store_(store), crypto_(crypto), stream_(std::move(stream)) {}

Status SealedStreamWriter::Start() {
  return store_.Write([&](Transaction& tx) { return tx.Chunks().DeleteStream(stream_); });
}

Status SealedStreamWriter::SaveChunk(std::int64_t seq, char flag, std::string_view data) {
  std::string plain;
  plain.reserve(data.size() + 1);
  plain.push_back(flag);
  plain.append(data);
  const std::string sealed = crypto_.SealChunk(stream_, seq, plain);
  return store_.Write([&](Transaction& tx) { return tx.Chunks().Put(stream_, seq, sealed); });
}

Status SealedStreamWriter::Patch(std::int64_t seq, std::size_t within, std::string_view data) {
  Result<std::optional<std::string>> sealed = std::optional<std::string>{};
  if (auto st = store_.Read([&](Transaction& tx) -> Status {
        sealed = tx.Chunks().Get(stream_, seq);
        return {};
      });
      !st) {
    return st;
  }
  if (!sealed) return tl::unexpected(sealed.error());
  if (!*sealed) return Fail(Errc::kInternal, "sealed stream: a chunk is missing");
  auto plain = crypto_.OpenChunk(stream_, seq, **sealed);
  if (!plain) return tl::unexpected(plain.error());
  if (plain->size() < 1 + within + data.size()) {
    return Fail(Errc::kInternal, "sealed stream: a patch past a stored chunk's end");
  }
  std::copy(data.begin(), data.end(), plain->begin() + 1 + static_cast<std::ptrdiff_t>(within));
  return SaveChunk(seq, (*plain)[0], std::string_view(*plain).substr(1));
}

Status SealedStreamWriter::Append(std::string_view data) { return WriteAt(size_, data); }

Status SealedStreamWriter::WriteAt(std::uint64_t offset, std::string_view data) {
  if (finished_) return Fail(Errc::kInternal, "sealed stream: written after Finish");
  if (offset > size_) return Fail(Errc::kInternal, "sealed stream: a write past the end");
  while (!data.empty()) {
    const std::uint64_t index = offset / kSealedChunkBytes;
    const std::size_t within = offset % kSealedChunkBytes;
    if (index < tail_index_) {
      // A stored chunk, full: patch what falls inside it.
      const std::size_t n = std::min(data.size(), kSealedChunkBytes - within);
      if (auto s = Patch(static_cast<std::int64_t>(index), within, data.substr(0, n)); !s) {
        return s;
      }
      offset += n;
      data.remove_prefix(n);
      continue;
    }
    if (index > tail_index_) {
      // The tail is full: store it and start the next chunk.
      if (auto s = SaveChunk(static_cast<std::int64_t>(tail_index_), 'm', tail_); !s) return s;
      ++tail_index_;
      tail_.clear();
      continue;
    }
    const std::size_t n = std::min(data.size(), kSealedChunkBytes - within);
    if (tail_.size() < within + n) tail_.resize(within + n);
    std::copy(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n),
              tail_.begin() + static_cast<std::ptrdiff_t>(within));
    offset += n;
    data.remove_prefix(n);
    size_ = std::max(size_, offset);
  }
  return {};
}

Status SealedStreamWriter::Finish() {
  if (finished_) return {};
  finished_ = true;
  return SaveChunk(static_cast<std::int64_t>(tail_index_), 'e', tail_);
}

SealedStreamReader::SealedStreamReader(Store& store, const Crypto& crypto, std::string stream)
    : store_(store), crypto_(crypto), stream_(std::move(stream)) {}

Result<std::optional<std::string>> SealedStreamReader::Next() {
  if (ended_) return std::optional<std::string>{};
  Result<std::optional<std::string>> sealed = std::optional<std::string>{};
  if (auto st = store_.Read([&](Transaction& tx) -> Status {
        sealed = tx.Chunks().Get(stream_, next_);
        return {};
      });
      !st) {
    return tl::unexpected(st.error());
  }
  if (!sealed) return tl::unexpected(sealed.error());
  if (!*sealed) {
    return Fail(Errc::kInvalidArgument, "sealed stream: cut short before its last chunk");
  }
  auto plain = crypto_.OpenChunk(stream_, next_, **sealed);
  if (!plain) return tl::unexpected(plain.error());
  if (plain->empty() || ((*plain)[0] != 'e' && (*plain)[0] != 'm')) {
    return Fail(Errc::kInvalidArgument, "sealed stream: a chunk without its flag");
  }
  ++next_;
  ended_ = (*plain)[0] == 'e';
  plain->erase(0, 1);
  return std::optional<std::string>(std::move(*plain));
}

Result<std::optional<std::string>> SealedLineReader::Next() {
  while (true) {
    const auto nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      std::string line = buf_.substr(pos_, nl - pos_);
      pos_ = nl + 1;
      return std::optional<std::string>(std::move(line));
    }
    if (done_) {
      if (pos_ >= buf_.size()) return std::optional<std::string>{};
      std::string line = buf_.substr(pos_);
      pos_ = buf_.size();
      return std::optional<std::string>(std::move(line));
    }
    auto chunk = chunks_.Next();
    if (!chunk) return tl::unexpected(chunk.error());
    buf_.erase(0, pos_);
    pos_ = 0;
    if (!*chunk) {
      done_ = true;
    } else {
      buf_ += **chunk;
    }
  }
}

}  // namespace rd::core
