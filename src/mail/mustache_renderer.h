#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/template_renderer.h"

namespace rd::mail {

// core::TemplateRenderer on kainjow mustache. Stateless and thread-safe: every call parses its
// template afresh (templates are short; a cache can come when a profile asks for one).
//
// Data mapping: each TemplateData value is a string, except that an empty value is false, so
// that {{#name}}...{{/name}} is skipped and {{^name}}...{{/name}} shown for it (and {{name}}
// prints nothing either way). Each list is a list of objects of string values (empty ones
// false too); an empty list skips its section. A list hides a value of the same name.
// Partials ({{>name}}) render nothing: TemplateData has none.
//
// Errors: kInvalidArgument with kainjow's message, which says what is wrong and at which byte
// offset ("Unclosed section \"tasks\" at 12"), for a template that does not parse, from both
// Validate and Render.
class MustacheRenderer final : public core::TemplateRenderer {
 public:
  [[nodiscard]] core::Status Validate(std::string_view text) const override;
  [[nodiscard]] core::Result<std::string> Render(std::string_view text,
                                                 const core::TemplateData& data,
                                                 bool escape_html) const override;
};

}  // namespace rd::mail
