#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/attempt_limiter.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// The largest proof of authority accepted (PRODUCT.md §5), in bytes.
inline constexpr std::size_t kMaxProofBytes = std::size_t{5} * 1024 * 1024;
// The longest file name kept, in bytes; longer names are cut.
inline constexpr std::size_t kMaxProofNameBytes = 200;

struct ProofPolicy {
  int per_address_per_hour = 20;  // uploads from one client address (0: no limit)
};

// What the console shows of a proof: never its content.
struct ProofInfo {
  std::string request_id;
  std::string file_name;
  std::string media_type;
  std::int64_t size = 0;
  std::string sha256;
  UnixTime uploaded_at = 0;
};

struct ProofFile {
  ProofInfo info;
  std::string content;
};

// The media type of a proof from its first bytes: "application/pdf", "image/png" or
// "image/jpeg"; nullopt for anything else. The type the browser claims is never trusted.
std::optional<std::string> SniffProofType(std::string_view content);

// A file name safe to store and to send back in Content-Disposition: the last path segment,
// control characters, quotes and backslashes dropped, cut to kMaxProofNameBytes (on a UTF-8
// boundary); "proof" plus the type's extension when nothing is left.
std::string ProofFileName(std::string_view uploaded, const std::string& media_type);

// An authorized agent's proof of authority (PRODUCT.md §5): uploaded on the public side with
// the request's status token, stored sealed under a key derived from the master key, one per
// request (a re-upload replaces it), shown to agents and admins in review and downloaded by
// them. Every upload and download is audited with the media type and size only. Thread-safe.
class ProofService {
 public:
  ProofService(Store& store, const Crypto& crypto, const Clock& clock, ProofPolicy policy);

  // Stores `content` as the proof of `request_id`, replacing an earlier one, with a
  // "proof.uploaded" event (actor "subject"). Errors: kRateLimited past the per-address limit
  // (every attempt counts); kNotFound for an unknown request or a wrong token (the same
  // answer); kPayloadTooLarge over kMaxProofBytes; kInvalidArgument "file: ..." when empty;
  // kUnsupportedMedia "file: ..." when it is not a PDF, PNG or JPEG; kConflict when the
  // request is not from an authorized agent or is closed. Nothing is stored on error.
  [[nodiscard]] Result<ProofInfo> Upload(const std::string& request_id,
                                         const std::string& status_token,
                                         std::string_view file_name, std::string_view content,
                                         const std::string& client_address);

  // The proof of `request_id` without its content; nullopt when none was uploaded.
  [[nodiscard]] Result<std::optional<ProofInfo>> Info(const std::string& request_id);

  // The proof with its content, recording a "proof.downloaded" event by `actor`. kNotFound
  // when the request has none.
  [[nodiscard]] Result<ProofFile> Download(const std::string& request_id, const std::string& actor);

 private:
  [[nodiscard]] Result<ProofInfo> Open(const StoredProof& p) const;

  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  ProofPolicy policy_;
  AttemptLimiter per_address_;
};

}  // namespace rd::core
