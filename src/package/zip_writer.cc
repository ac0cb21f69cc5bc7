#include "package/zip_writer.h"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace rd::package {
namespace {

// The archive's side: libzip writes the new archive through these commands.
struct OutputContext {
  core::ArchiveOutput* out = nullptr;
  std::uint64_t pos = 0;
  std::uint64_t end = 0;
  zip_error_t error{};
  std::optional<core::Error> failure;
};

zip_int64_t OutputCallback(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* c = static_cast<OutputContext*>(state);
  switch (cmd) {
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(
          ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
          ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_BEGIN_WRITE,
          ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE, ZIP_SOURCE_WRITE,
          ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, ZIP_SOURCE_SUPPORTS, -1);
    case ZIP_SOURCE_STAT: {
      // An empty archive: a new one is created.
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = 0;
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_OPEN:
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
    case ZIP_SOURCE_REMOVE:
    case ZIP_SOURCE_ROLLBACK_WRITE:
    case ZIP_SOURCE_COMMIT_WRITE:
      return 0;
    case ZIP_SOURCE_READ:
      return 0;  // nothing to read: the archive starts empty
    case ZIP_SOURCE_SEEK:
      return 0;
    case ZIP_SOURCE_TELL:
      return 0;
    case ZIP_SOURCE_BEGIN_WRITE:
      c->pos = 0;
      c->end = 0;
      return 0;
    case ZIP_SOURCE_WRITE: {
      auto st = c->out->WriteAt(c->pos, std::string_view(static_cast<const char*>(data), len));
      if (!st) {
        c->failure = st.error();
        zip_error_set(&c->error, ZIP_ER_WRITE, 0);
        return -1;
      }
      c->pos += len;
      c->end = std::max(c->end, c->pos);
      return static_cast<zip_int64_t>(len);
    }
    case ZIP_SOURCE_SEEK_WRITE: {
      const zip_int64_t at = zip_source_seek_compute_offset(c->pos, c->end, data, len, &c->error);
      if (at < 0) return -1;
      c->pos = static_cast<std::uint64_t>(at);
      return 0;
    }
    case ZIP_SOURCE_TELL_WRITE:
      return static_cast<zip_int64_t>(c->pos);
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&c->error, data, len);
    default:
      zip_error_set(&c->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

// One entry's side: libzip reads the entry's content through these commands.
struct EntryContext {
  const core::ArchiveEntry* entry = nullptr;
  core::UnixTime mtime = 0;
  std::unique_ptr<core::EntryReader> reader;
  std::string piece;
  std::size_t at = 0;
  bool ended = false;
  zip_error_t error{};
  std::optional<core::Error>* failure = nullptr;
};

zip_int64_t EntryCallback(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* c = static_cast<EntryContext*>(state);
  switch (cmd) {
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                            ZIP_SOURCE_SUPPORTS, -1);
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->mtime = static_cast<time_t>(c->mtime);
      st->valid |= ZIP_STAT_MTIME;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_OPEN: {
      auto r = c->entry->open();
      if (!r) {
        *c->failure = r.error();
        zip_error_set(&c->error, ZIP_ER_READ, 0);
        return -1;
      }
      c->reader = std::move(*r);
      c->piece.clear();
      c->at = 0;
      c->ended = false;
      return 0;
    }
    case ZIP_SOURCE_READ: {
      auto* buf = static_cast<char*>(data);
      zip_uint64_t n = 0;
      while (n < len && !c->ended) {
        if (c->at == c->piece.size()) {
          auto next = c->reader->Next();
          if (!next) {
            *c->failure = next.error();
            zip_error_set(&c->error, ZIP_ER_READ, 0);
            return -1;
          }
          c->piece = std::move(*next);
          c->at = 0;
          if (c->piece.empty()) {
            c->ended = true;
            break;
          }
        }
        const std::size_t take = std::min<std::size_t>(len - n, c->piece.size() - c->at);
        std::memcpy(buf + n, c->piece.data() + c->at, take);
        c->at += take;
        n += take;
      }
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      c->reader.reset();
      c->piece.clear();
      c->piece.shrink_to_fit();
      return 0;
    case ZIP_SOURCE_FREE:
      delete c;
      return 0;
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&c->error, data, len);
    default:
      zip_error_set(&c->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

}  // namespace

core::Status ZipWriter::Write(const std::vector<core::ArchiveEntry>& entries, core::UnixTime mtime,
                              core::ArchiveOutput& out) const {
  OutputContext oc;
  oc.out = &out;
  zip_error_init(&oc.error);
  zip_error_t error;
  zip_error_init(&error);
  auto fail = [&](const std::string& what) -> core::Status {
    if (oc.failure) return tl::unexpected(*oc.failure);
    return core::Fail(core::Errc::kInternal, "zip: " + what);
  };
  zip_source_t* src = zip_source_function_create(OutputCallback, &oc, &error);
  if (src == nullptr) return fail("cannot create the output");
  zip_t* za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (za == nullptr) {
    std::string msg = zip_error_strerror(&error);
    zip_source_free(src);
    zip_error_fini(&error);
    return fail("cannot open the archive: " + msg);
  }
  for (const auto& e : entries) {
    auto* ec = new EntryContext;
    ec->entry = &e;
    ec->mtime = mtime;
    ec->failure = &oc.failure;
    zip_error_init(&ec->error);
    zip_source_t* es = zip_source_function_create(EntryCallback, ec, &error);
    if (es == nullptr) {
      delete ec;
      zip_discard(za);
      return fail("cannot create an entry");
    }
    const zip_int64_t idx = zip_file_add(za, e.name.c_str(), es, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(es);
      std::string msg = zip_strerror(za);
      zip_discard(za);
      return fail("cannot add " + e.name + ": " + msg);
    }
    zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 6);
    zip_file_set_mtime(za, static_cast<zip_uint64_t>(idx), static_cast<time_t>(mtime), 0);
  }
  if (zip_close(za) != 0) {
    std::string msg = zip_strerror(za);
    zip_discard(za);
    return fail("cannot write the archive: " + msg);
  }
  zip_error_fini(&error);
  return {};
}

}  // namespace rd::package
