#include "core/default_templates.h"

namespace rd::core {

std::optional<EmailTemplate> DefaultTemplate(std::string_view key) {
  if (key == "verification") {
    return EmailTemplate{
        "{{org_name}}: confirm your privacy request {{reference}}",
        "Hello,\n\n"
        "We received a {{type_label}} request for this email address at {{org_name}}\n"
        "(reference {{reference}}).\n\n"
        "To confirm that it was you, enter this code on the request page:\n\n"
        "    {{code}}\n\n"
        "or open this link:\n\n"
        "    {{verify_url}}\n\n"
        "The code expires in {{expires_minutes}} minutes. If you did not make this request,\n"
        "ignore this email: nothing happens until it is confirmed.\n\n"
        "You can follow the request here:\n{{status_url}}\n\n"
        "{{org_name}} privacy team\n"};
  }
  return std::nullopt;
}

}  // namespace rd::core
