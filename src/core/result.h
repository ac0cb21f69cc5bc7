#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace rd::core {

// The kinds of expected failure. Each maps to exactly one HTTP status and error code in
// http/error_mapping.cc; keep the two in step.
enum class Errc {
  kInvalidArgument,   // the caller sent something malformed or out of range
  kUnauthenticated,   // no or bad credentials
  kPermissionDenied,  // authenticated, but the role does not allow it
  kNotFound,          // the thing does not exist (or is not visible to the caller)
  kConflict,          // the state does not allow it (e.g. a duplicate, a stale version)
  kRateLimited,       // too many attempts; try later
  kPayloadTooLarge,   // body over the route's limit
  kUnsupportedMedia,  // wrong Content-Type
  kUnavailable,       // a dependency (database, SMTP) is not reachable now
  kInternal,          // a bug or an unexpected third-party failure
};

// Stable machine-readable name, used as the JSON error code ("invalid_argument", ...).
const char* ErrcName(Errc code);

struct Error {
  Errc code;
  std::string message;  // for people; never contains personal data
};

template <class T>
using Result = tl::expected<T, Error>;

using Status = Result<void>;

inline tl::unexpected<Error> Fail(Errc code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace rd::core
