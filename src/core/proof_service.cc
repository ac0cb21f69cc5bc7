#include "core/proof_service.h"

#include "core/json_text.h"
#include "core/links.h"
#include "core/status_machine.h"

namespace rd::core {
namespace {

constexpr const char* kNoSuchRequest = "no such request, or the link is not valid";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

const char* ExtensionOf(const std::string& media_type) {
  if (media_type == "application/pdf") return ".pdf";
  if (media_type == "image/png") return ".png";
  return ".jpg";
}

}  // namespace

std::optional<std::string> SniffProofType(std::string_view content) {
  if (StartsWith(content, "%PDF-")) return "application/pdf";
  if (StartsWith(content, std::string_view("\x89PNG\r\n\x1a\n", 8))) return "image/png";
  if (StartsWith(content, "\xFF\xD8\xFF")) return "image/jpeg";
  return std::nullopt;
}

std::string ProofFileName(std::string_view uploaded, const std::string& media_type) {
  const auto slash = uploaded.find_last_of("/\\");
  if (slash != std::string_view::npos) uploaded.remove_prefix(slash + 1);
  std::string out;
  for (char c : uploaded) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\\') continue;
    out += c;
  }
  if (out.size() > kMaxProofNameBytes) {
    std::size_t cut = kMaxProofNameBytes;
    // Never split a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  const auto first = out.find_first_not_of(" .");
  if (first == std::string::npos) return std::string("proof") + ExtensionOf(media_type);
  return out.substr(first);
}

ProofService::ProofService(Store& store, const Crypto& crypto, const Clock& clock,
                           ProofPolicy policy)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      policy_(policy),
      per_address_(policy.per_address_per_hour, 3600) {}

Result<ProofInfo> ProofService::Upload(const std::string& request_id,
                                       const std::string& status_token, std::string_view file_name,
                                       std::string_view content,
                                       const std::string& client_address) {
  const UnixTime now = clock_.Now();
  if (per_address_.Blocked(client_address, now)) {
    return Fail(Errc::kRateLimited, "too many uploads from this address; try again later");
  }
  per_address_.RecordFailure(client_address, now);
  if (status_token.empty() || !IsStatusToken(crypto_, request_id, status_token)) {
    return Fail(Errc::kNotFound, kNoSuchRequest);
  }
  if (content.size() > kMaxProofBytes) {
    return Fail(Errc::kPayloadTooLarge, "file: larger than 5 MiB");
  }
  if (content.empty()) return Fail(Errc::kInvalidArgument, "file: the file is empty");
  auto media_type = SniffProofType(content);
  if (!media_type) {
    return Fail(Errc::kUnsupportedMedia, "file: send a PDF, PNG or JPEG document");
  }
  ProofInfo info;
  info.request_id = request_id;
  info.file_name = ProofFileName(file_name, *media_type);
  info.media_type = *media_type;
  info.size = static_cast<std::int64_t>(content.size());
  info.sha256 = crypto_.Sha256Hex(content);
  info.uploaded_at = now;
  // Sealing 5 MiB takes a while: done before the write transaction, which only inserts.
  StoredProof row;
  row.request_id = request_id;
  row.media_type = info.media_type;
  row.size = info.size;
  row.sha256 = info.sha256;
  row.sealed_name = crypto_.SealSecret(info.file_name);
  row.sealed_content = crypto_.SealSecret(content);
  row.uploaded_at = now;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) {
      if (q.error().code == Errc::kNotFound) return Fail(Errc::kNotFound, kNoSuchRequest);
      return tl::unexpected(q.error());
    }
    if (q->requester_type != RequesterType::kAuthorizedAgent) {
      return Fail(Errc::kConflict,
                  "requester_type: a proof of authority is only for requests by an authorized "
                  "agent");
    }
    if (!IsOpen(q->status)) return Fail(Errc::kConflict, "the request is closed");
    auto earlier = tx.Proofs().FindInfo(request_id);
    if (!earlier) return tl::unexpected(earlier.error());
    if (Status put = tx.Proofs().Put(row); !put) return put;
    auto ev = tx.Audit().Append({"subject", request_id, "proof.uploaded",
                                 "{\"media_type\":" + JsonString(info.media_type) +
                                     ",\"bytes\":" + std::to_string(info.size) + ",\"replaced\":" +
                                     (earlier->has_value() ? "true" : "false") + "}"},
                                now);
    if (!ev) return tl::unexpected(ev.error());
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return info;
}

Result<ProofInfo> ProofService::Open(const StoredProof& p) const {
  auto name = crypto_.OpenSecret(p.sealed_name);
  if (!name) return Fail(Errc::kInternal, "the proof cannot be opened with this master key");
  ProofInfo info;
  info.request_id = p.request_id;
  info.file_name = std::move(*name);
  info.media_type = p.media_type;
  info.size = p.size;
  info.sha256 = p.sha256;
  info.uploaded_at = p.uploaded_at;
  return info;
}

Result<std::optional<ProofInfo>> ProofService::Info(const std::string& request_id) {
  std::optional<StoredProof> found;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto p = tx.Proofs().FindInfo(request_id);
    if (!p) return tl::unexpected(p.error());
    found = std::move(*p);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  if (!found) return std::optional<ProofInfo>();
  auto info = Open(*found);
  if (!info) return tl::unexpected(info.error());
  return std::optional<ProofInfo>(std::move(*info));
}

Result<ProofFile> ProofService::Download(const std::string& request_id, const std::string& actor) {
  const UnixTime now = clock_.Now();
  std::optional<StoredProof> found;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto p = tx.Proofs().Find(request_id);
    if (!p) return tl::unexpected(p.error());
    if (!p->has_value()) return Fail(Errc::kNotFound, "the request has no proof of authority");
    auto ev = tx.Audit().Append(
        {actor, request_id, "proof.downloaded", "{\"bytes\":" + std::to_string((*p)->size) + "}"},
        now);
    if (!ev) return tl::unexpected(ev.error());
    found = std::move(*p);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  auto info = Open(*found);
  if (!info) return tl::unexpected(info.error());
  auto content = crypto_.OpenSecret(found->sealed_content);
  if (!content) return Fail(Errc::kInternal, "the proof cannot be opened with this master key");
  return ProofFile{std::move(*info), std::move(*content)};
}

}  // namespace rd::core
