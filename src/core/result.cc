#include "core/result.h"

namespace rd::core {

const char* ErrcName(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
      return "invalid_argument";
    case Errc::kUnauthenticated:
      return "unauthenticated";
    case Errc::kPermissionDenied:
      return "permission_denied";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kConflict:
      return "conflict";
    case Errc::kRateLimited:
      return "rate_limited";
    case Errc::kPayloadTooLarge:
      return "payload_too_large";
    case Errc::kUnsupportedMedia:
      return "unsupported_media_type";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace rd::core
