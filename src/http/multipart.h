#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace rd::http {

// One field of a multipart/form-data body.
struct FormField {
  std::string_view content;  // points into the body
  std::string filename;      // from Content-Disposition; "" when none
};

// Finds the field `name` in a multipart/form-data body (RFC 7578), whose boundary comes from
// `content_type`. kInvalidArgument naming what is wrong: no boundary, a malformed body, or
// "<name>: missing multipart field".
[[nodiscard]] core::Result<FormField> FindFormField(const std::string& content_type,
                                                    std::string_view body, const std::string& name);

// The media type of a Content-Type value, lower case, without parameters.
std::string MediaType(const std::string& content_type);

}  // namespace rd::http
