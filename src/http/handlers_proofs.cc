// An authorized agent's proof of authority: the public upload (with the status token) and the
// console's download (agents and admins, audited).
#include <cctype>

#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/multipart.h"

namespace rd::http {
namespace {

// The file plus the multipart framing and the token field; a larger body gets the
// dispatcher's JSON 413, a file just over 5 MiB the service's.
constexpr std::size_t kMaxProofBody = core::kMaxProofBytes + std::size_t{64} * 1024;

HttpResponse NoProofService() {
  return ErrorResponse(core::Errc::kUnavailable, "proof uploads are not configured");
}

// RFC 6266: an ASCII fallback plus the UTF-8 name percent-encoded (RFC 8187).
std::string ContentDisposition(const std::string& name) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    ascii += (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') ? c : '_';
    if (std::isalnum(u) || c == '.' || c == '-' || c == '_') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

nlohmann::json ProofJson(const core::ProofInfo& p) {
  return {{"file_name", p.file_name},
          {"media_type", p.media_type},
          {"size", p.size},
          {"sha256", p.sha256},
          {"uploaded_at", core::FormatRfc3339(p.uploaded_at)}};
}

void AddProofRoutes(Router& router, ApiServices& s) {
  router.Add({"POST",
              "/api/v1/privacy-center/requests/{id}/proof",
              true,
              {},
              kMaxProofBody,
              false,
              [&s](HttpRequest& req, const core::Principal*) {
                if (s.proofs == nullptr) return NoProofService();
                const std::string& content_type = req.Header("content-type");
                if (MediaType(content_type) != "multipart/form-data") {
                  return ErrorResponse(core::Errc::kUnsupportedMedia,
                                       "Content-Type: send multipart/form-data with the fields "
                                       "token and file");
                }
                auto token = FindFormField(content_type, req.body, "token");
                if (!token) return ErrorResponse(token.error());
                auto file = FindFormField(content_type, req.body, "file");
                if (!file) return ErrorResponse(file.error());
                auto info = s.proofs->Upload(req.params["id"], std::string(token->content),
                                             file->filename, file->content, req.remote_address);
                if (!info) return ErrorResponse(info.error());
                return JsonResponse(201, ProofJson(*info));
              }});
  router.Add({"GET", "/api/v1/requests/{id}/proof", false, core::RoleSet::AgentsAndAdmins(), 0,
              false, [&s](HttpRequest& req, const core::Principal* p) {
                if (s.proofs == nullptr) return NoProofService();
                auto file = s.proofs->Download(req.params["id"], core::AuthService::ActorOf(*p));
                if (!file) return ErrorResponse(file.error());
                HttpResponse r;
                r.body = std::move(file->content);
                r.Header("Content-Type", file->info.media_type);
                r.Header("Content-Disposition", ContentDisposition(file->info.file_name));
                r.Header("Cache-Control", "no-store");
                // A PDF or image from the public must never run as the console's origin.
                r.Header("Content-Security-Policy", "sandbox; default-src 'none'");
                return r;
              }});
}

}  // namespace rd::http
