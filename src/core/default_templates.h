#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rd::core {

// A template's subject line and body, both Mustache.
struct EmailTemplate {
  std::string subject;
  std::string body;
};

// The built-in text of a template key ("verification", ...), or nullopt for an unknown key.
// Admins override them through the templates API; these are the defaults.
std::optional<EmailTemplate> DefaultTemplate(std::string_view key);

}  // namespace rd::core
