#include "http/json_body.h"

namespace rd::http {

int HttpStatusFor(core::Errc code) {
  switch (code) {
    case core::Errc::kInvalidArgument:
      return 400;
    case core::Errc::kUnauthenticated:
      return 401;
    case core::Errc::kPermissionDenied:
      return 403;
    case core::Errc::kNotFound:
      return 404;
    case core::Errc::kConflict:
      return 409;
    case core::Errc::kPayloadTooLarge:
      return 413;
    case core::Errc::kUnsupportedMedia:
      return 415;
    case core::Errc::kRateLimited:
      return 429;
    case core::Errc::kUnavailable:
      return 503;
    case core::Errc::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const core::Error& error) {
  return JsonResponse(
      HttpStatusFor(error.code),
      {{"error", {{"code", core::ErrcName(error.code)}, {"message", error.message}}}});
}

HttpResponse ErrorResponse(core::Errc code, std::string message) {
  return ErrorResponse(core::Error{code, std::move(message)});
}

}  // namespace rd::http
