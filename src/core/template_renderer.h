#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rd::core {

// What a template sees: {{name}} values (an empty value is false in {{#name}} sections) and
// lists for {{#tasks}}...{{/tasks}}, each item a set of values.
struct TemplateData {
  std::map<std::string, std::string> values;
  std::map<std::string, std::vector<std::map<std::string, std::string>>> lists;
};

// Mustache templates (reply, verification, vendor emails). Implementations are thread-safe.
class TemplateRenderer {
 public:
  virtual ~TemplateRenderer() = default;
  // kInvalidArgument with the parser's message (and where) when `text` is not a valid template.
  [[nodiscard]] virtual Status Validate(std::string_view text) const = 0;
  // Renders `text` with `data`. `escape_html` escapes {{values}} for HTML; plain-text emails
  // pass false, so that "&" stays "&". {{{triple}}} never escapes.
  [[nodiscard]] virtual Result<std::string> Render(std::string_view text, const TemplateData& data,
                                                   bool escape_html) const = 0;
};

}  // namespace rd::core
