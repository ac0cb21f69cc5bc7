#pragma once

// Repositories of what integrations, scans and subjects leave behind as evidence: pre-scan
// counts, personal-data scans, proofs of authority, webhook callbacks and copy packages with
// their sealed chunks. Part of the ports of core/store.h (same contract: kNotFound,
// kConflict, kUnavailable; they never throw), apart only to keep that file readable.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/privacy_request.h"
#include "core/result.h"

namespace rd::core {

// What the pre-scan found in one integration source for a request in review (counts only).
struct PrescanEntry {
  std::string request_id;
  std::string data_source_id;
  std::int64_t found = 0;   // rows in all collections
  std::string collections;  // JSON text {collection: rows}
  std::string error;        // why the source could not be searched, or ""
  UnixTime scanned_at = 0;
};

class PrescanRepository {
 public:
  virtual ~PrescanRepository() = default;
  // Inserts or replaces the entry of (request_id, data_source_id).
  [[nodiscard]] virtual Status Put(const PrescanEntry& e) = 0;
  // The request's entries, by data source id.
  [[nodiscard]] virtual Result<std::vector<PrescanEntry>> ListForRequest(
      const std::string& request_id) = 0;
};

// The latest personal-data scan of a data source: queued, running (with progress), done (with
// the classified columns and the proposed dataset) or failed (with a message naming no
// personal data).
struct SourceScan {
  std::string data_source_id;
  std::string job_id;
  std::string status;  // "queued", "running", "done" or "failed"
  int progress_done = 0;
  int progress_total = 0;
  std::string columns_json = "[]";  // [{collection, field, category, confidence, share}]
  std::string dataset;              // proposed Fides dataset YAML
  std::string error;
  std::string requested_by;  // actor
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
};

class SourceScanRepository {
 public:
  virtual ~SourceScanRepository() = default;
  // Inserts or replaces the source's scan.
  [[nodiscard]] virtual Status Put(const SourceScan& scan) = 0;
  // kNotFound when the source was never scanned.
  [[nodiscard]] virtual Result<SourceScan> Get(const std::string& data_source_id) = 0;
};

// An authorized agent's proof of authority for a request (PRODUCT.md §5): at most one per
// request, replaced on re-upload. The file name and the content are stored sealed
// (Crypto::SealSecret): they may name the subject.
struct StoredProof {
  std::string request_id;
  std::string media_type;      // "application/pdf", "image/png" or "image/jpeg" (sniffed)
  std::int64_t size = 0;       // bytes of the plain content
  std::string sha256;          // of the plain content, hex
  std::string sealed_name;     // the uploaded file name, sealed
  std::string sealed_content;  // empty when read by FindInfo
  UnixTime uploaded_at = 0;
};

class ProofRepository {
 public:
  virtual ~ProofRepository() = default;
  // Inserts or replaces the proof of `p.request_id`.
  [[nodiscard]] virtual Status Put(const StoredProof& p) = 0;
  // The proof without its content; nullopt when none was uploaded.
  [[nodiscard]] virtual Result<std::optional<StoredProof>> FindInfo(
      const std::string& request_id) = 0;
  // The proof with its sealed content; nullopt when none was uploaded.
  [[nodiscard]] virtual Result<std::optional<StoredProof>> Find(const std::string& request_id) = 0;
};

// The signatures of the webhook callbacks accepted, so that each is accepted once (a replayed
// callback is refused). Kept for a while past the callbacks' 5-minute timestamp window.
class WebhookCallbackRepository {
 public:
  virtual ~WebhookCallbackRepository() = default;
  // Remembers `signature` (of a callback for `task_id`, received at `now`), first forgetting
  // those received before `forget_before`. False when it was remembered already.
  [[nodiscard]] virtual Result<bool> Remember(const std::string& signature,
                                              const std::string& task_id, UnixTime now,
                                              UnixTime forget_before) = 0;
};

// A copy request's download package (PRODUCT.md section 4): its zip is kept as sealed chunks
// of `stream` (ChunkRepository). No personal data in this row: counts and column names only.
struct Package {
  std::string id;
  std::string request_id;
  std::string status;        // "building", "ready", "failed" or "expired" (purged)
  std::string stream;        // the sealed chunks of the zip, "" until built
  std::string token_hash;    // keyed hash of the download token
  std::string token_sealed;  // the token, sealed (SealSecret), for the reply's link
  std::string redactions;    // JSON [{"data_source_id","collection","column"}]
  std::string summary;       // JSON: sources, collections, columns, row counts
  std::int64_t bytes = 0;    // size of the zip
  std::int64_t chunks = 0;   // sealed chunks of the zip
  std::int64_t downloads = 0;
  std::string error;  // why the build failed (no personal data)
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
  UnixTime expires_at = 0;
};

class PackageRepository {
 public:
  virtual ~PackageRepository() = default;
  // Inserts or replaces the package of its request (by id).
  [[nodiscard]] virtual Status Put(const Package& p) = 0;
  // kNotFound when the request has no package.
  [[nodiscard]] virtual Result<Package> FindByRequest(const std::string& request_id) = 0;
  // kNotFound for an unknown token hash.
  [[nodiscard]] virtual Result<Package> FindByTokenHash(const std::string& token_hash) = 0;
  // Ready packages whose expires_at is at or before `now`, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<Package>> ListExpired(UnixTime now, int limit) = 0;
  // Adds one to the package's download count.
  [[nodiscard]] virtual Status CountDownload(const std::string& id) = 0;
};

// Sealed chunks of a byte stream (an export spool, a package's zip), by stream and number.
class ChunkRepository {
 public:
  virtual ~ChunkRepository() = default;
  // Inserts or replaces chunk `seq` of `stream`.
  [[nodiscard]] virtual Status Put(const std::string& stream, std::int64_t seq,
                                   const std::string& data) = 0;
  // The chunk, or nullopt when there is none.
  [[nodiscard]] virtual Result<std::optional<std::string>> Get(const std::string& stream,
                                                               std::int64_t seq) = 0;
  [[nodiscard]] virtual Status DeleteStream(const std::string& stream) = 0;
};

}  // namespace rd::core
