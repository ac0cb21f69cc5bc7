#pragma once

#include "core/archive.h"

namespace rd::package {

// core::ArchiveWriter on libzip: the archive goes to the output through a zip_source_function
// that takes libzip's write commands (libzip seeks back to complete each local header), and
// each entry is read from its EntryReader through another, so neither the archive nor an
// entry is ever held whole. Entries are deflated; libzip adds ZIP64 records when sizes need
// them.
class ZipWriter final : public core::ArchiveWriter {
 public:
  [[nodiscard]] core::Status Write(const std::vector<core::ArchiveEntry>& entries,
                                   core::UnixTime mtime, core::ArchiveOutput& out) const override;
};

}  // namespace rd::package
