#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace rd::core {

// The content of one archive entry, produced piece by piece so that no entry has to fit in
// memory.
class EntryReader {
 public:
  virtual ~EntryReader() = default;
  // The next piece of the entry; "" at the end.
  [[nodiscard]] virtual Result<std::string> Next() = 0;
};

struct ArchiveEntry {
  std::string name;  // path inside the archive, '/' separated
  // Opens the entry's content when the writer reaches it.
  std::function<Result<std::unique_ptr<EntryReader>>()> open;
};

// Where an archive is written: random access, as a zip writer goes back to complete an
// entry's header once the entry is written.
class ArchiveOutput {
 public:
  virtual ~ArchiveOutput() = default;
  // Writes at `offset` (at most the size written so far).
  [[nodiscard]] virtual Status WriteAt(std::uint64_t offset, std::string_view data) = 0;
};

// Writes a zip archive (package/zip_writer.h implements it with libzip). Thread-safe.
class ArchiveWriter {
 public:
  virtual ~ArchiveWriter() = default;
  // Writes the entries, compressed, in order, dated `mtime`. Errors: the entries' and the
  // output's, or kInternal from the zip library.
  [[nodiscard]] virtual Status Write(const std::vector<ArchiveEntry>& entries, UnixTime mtime,
                                     ArchiveOutput& out) const = 0;
};

}  // namespace rd::core
