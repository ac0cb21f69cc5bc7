#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/archive.h"
#include "core/clock.h"
#include "core/connector.h"
#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

struct PackagePolicy {
  std::int64_t ttl_seconds = 7 * 86400;  // packages.ttl: how long the download link works
  std::size_t preview_rows = 5;          // rows per collection an agent's preview shows
  std::string org_name = "Rightsdesk";   // named in the package's index.html
};

// The sealed stream a copy task's export is spooled to.
std::string SpoolStream(const std::string& task_id);

// A RowSink that spools a copy task's export as sealed chunks (SealedStreamWriter): one line
// per row, the collection's name as a JSON string, a tab, the row's JSON text. Memory: one
// chunk, whatever the row count.
class SpoolSink final : public RowSink {
 public:
  SpoolSink(Store& store, const Crypto& crypto, const std::string& task_id);
  ~SpoolSink() override;
  [[nodiscard]] Status Start();
  [[nodiscard]] Status Row(const std::string& collection, std::string row) override;
  [[nodiscard]] Status Finish();
  std::int64_t rows() const { return rows_; }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t rows_ = 0;
};

// A column to leave out of a package.
struct PackageField {
  std::string data_source_id;
  std::string collection;
  std::string column;
};

struct PackageCollection {
  std::string name;
  std::int64_t rows = 0;
  std::vector<std::string> columns;   // every column seen, in order, redacted ones too
  std::vector<std::string> redacted;  // columns left out of the package
  std::vector<std::string> sample;    // the first rows, redacted, JSON object texts (preview)
};

struct PackageSource {
  std::string data_source_id;
  std::string name;
  std::string task_id;
  std::vector<PackageCollection> collections;
};

// What an agent sees before sending the reply.
struct PackagePreview {
  Package package;  // status, dates, size, downloads (token fields cleared)
  std::vector<PackageSource> sources;
};

struct PackageDownload {
  bool expired = false;     // the link has expired (and the package is purged or soon will be)
  std::string filename;     // "data-<reference>.zip"
  std::uint64_t bytes = 0;  // the zip's size
  // The zip, one sealed chunk (64 KiB) at a time, each checked as it is opened: the next
  // piece, nullopt after the last, or kInvalidArgument for a chunk changed, moved or missing.
  std::function<Result<std::optional<std::string>>()> read;
};

// Queues the build of a copy request's package (inside the transaction that moves the request
// to reply): a package row in status "building" and a "package.build" job. Does nothing for
// other request types, or when no integration task of the request is done.
[[nodiscard]] Status QueuePackageBuild(Transaction& tx, const PrivacyRequest& q, UnixTime now);

// Copy packages (PRODUCT.md section 4): a zip with one JSON file per source, one CSV per
// collection and an index.html, built from the sealed export spools with bounded memory,
// stored sealed, downloadable with a random token (stored hashed and sealed) until it expires,
// then purged. Thread-safe.
class PackageService {
 public:
  PackageService(Store& store, const Crypto& crypto, const Clock& clock,
                 const ArchiveWriter& archive, PackagePolicy policy);

  // A "package.build" job: builds the package of a request whose package is "building" and
  // marks it ready ("package.built": counts only). Does nothing otherwise.
  [[nodiscard]] Status Build(const std::string& request_id);

  // The zip for a download token, to be read piece by piece (its first chunk already opened,
  // so that a broken package fails here); counts the download ("package.downloaded").
  // kNotFound for an unknown token; `expired` set once the link has expired; kConflict while
  // the package is being (re)built.
  [[nodiscard]] Result<PackageDownload> Download(const std::string& token);

  // The package of a request: sources, collections, columns, row counts and first rows.
  // kNotFound when the request has no package.
  [[nodiscard]] Result<PackagePreview> Preview(const std::string& request_id);

  // Leaves `fields` out of the package from now on and rebuilds it ("package.redacted":
  // sources, collections and columns named, no values). kInvalidArgument naming the field
  // ("fields[0].column: ...") for a source, collection or column the package does not hold;
  // kConflict once the request is closed. Nothing changes on error.
  [[nodiscard]] Result<PackagePreview> Redact(const std::string& request_id,
                                              const std::vector<PackageField>& fields,
                                              const std::string& actor);

  // A "package.purge" job: deletes the zip and the export spools of every package whose link
  // has expired, keeping the row (status "expired") so that the link answers 410.
  [[nodiscard]] Status Purge();

  // The download token of a package, for the reply's link ("" when it has none yet).
  static std::string DownloadToken(const Crypto& crypto, const Package& p);

 private:
  [[nodiscard]] Result<std::vector<PackageSource>> Scan(const std::vector<Task>& tasks,
                                                        const std::set<std::string>& redactions,
                                                        std::size_t sample_rows);

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  const ArchiveWriter& archive_;
  PackagePolicy policy_;
};

// The redactions of a package (its `redactions` column) as keys "source\x1fcollection\x1fcolumn".
std::set<std::string> ParseRedactions(const std::string& json);

}  // namespace rd::core
