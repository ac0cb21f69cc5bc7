#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "http/message.h"

namespace rd::http {

// Parses a request body that must be one JSON object. kInvalidArgument with the position of
// the first error for malformed JSON, or when the top level is not an object.
[[nodiscard]] core::Result<nlohmann::json> ParseJsonObject(const std::string& body);

// Reads an optional string field. kInvalidArgument naming `field` when present but not a
// string, or longer than max_bytes. Absent or null → nullopt.
[[nodiscard]] core::Result<std::optional<std::string>> OptionalString(const nlohmann::json& obj,
                                                                      const std::string& field,
                                                                      std::size_t max_bytes);
// The same, but absence is an error too ("field: required").
[[nodiscard]] core::Result<std::string> RequiredString(const nlohmann::json& obj,
                                                       const std::string& field,
                                                       std::size_t max_bytes);
[[nodiscard]] core::Result<std::optional<bool>> OptionalBool(const nlohmann::json& obj,
                                                             const std::string& field);

// A JSON response with the right Content-Type.
HttpResponse JsonResponse(int status, const nlohmann::json& body);
// {"error":{"code","message"}} with the status that error_mapping assigns to the code.
HttpResponse ErrorResponse(const core::Error& error);
HttpResponse ErrorResponse(core::Errc code, std::string message);

// HTTP status for an error code (one table, in error_mapping.cc).
int HttpStatusFor(core::Errc code);

}  // namespace rd::http
