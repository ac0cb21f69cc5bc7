#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rd::core {

// A template's subject line and body, both Mustache.
struct EmailTemplate {
  std::string subject;
  std::string body;
};

// Every template key, with what it is for and the values it may use beyond the request's own
// (TemplateService::RequestData: org_name, reference, type, type_label, received_date,
// due_date, status_url, subject_name, jurisdiction).
//
// Keys: verification, acknowledgement, extension, withdrawal, agent_message, vendor_request,
// vendor_reminder, reply.<type>.fulfilled and reply.<type>.partially_fulfilled for each
// built-in type and "custom", and reply.rejected.<reason> for each rejection reason.
struct TemplateInfo {
  std::string key;
  std::string description;
  std::vector<std::string> variables;  // extra values beyond the request's own
};
const std::vector<TemplateInfo>& TemplateCatalog();

// The built-in text of a template key, or nullopt for an unknown key. Admins override them
// through the templates API; these are the defaults.
std::optional<EmailTemplate> DefaultTemplate(std::string_view key);

// The reply template for a request: reply.rejected.<reason> when rejected, else
// reply.<type or "custom">.<fulfilled|partially_fulfilled>.
std::string ReplyTemplateKey(std::string_view type_key, bool custom, std::string_view outcome,
                             std::string_view rejection_reason);

}  // namespace rd::core
