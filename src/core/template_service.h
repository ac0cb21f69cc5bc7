#pragma once

#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/default_templates.h"
#include "core/privacy_request.h"
#include "core/result.h"
#include "core/store.h"
#include "core/template_renderer.h"

namespace rd::core {

// Who is writing, as every email shows it.
struct OrgInfo {
  std::string org_name = "Rightsdesk";
  std::string public_url = "http://127.0.0.1:8080";  // where links in emails point
};

// The email templates in force: an admin's text where one is stored, else the built-in
// default (default_templates.h), rendered with Mustache.
class TemplateService {
 public:
  TemplateService(Store& store, const TemplateRenderer& renderer, const Crypto& crypto,
                  const Clock& clock, OrgInfo org);

  // The text in force for `key`. kNotFound for a key that is not a template.
  [[nodiscard]] Result<EmailTemplate> Resolve(Transaction& tx, const std::string& key) const;
  // Resolve, then render subject and body as plain text with `data`.
  [[nodiscard]] Result<EmailTemplate> Render(Transaction& tx, const std::string& key,
                                             const TemplateData& data) const;

  // The values every request email may use: org_name, reference, type, type_label,
  // received_date, due_date, status_url, subject_name (may be empty), jurisdiction.
  TemplateData RequestData(const PrivacyRequest& q) const;

  const OrgInfo& org() const { return org_; }
  const TemplateRenderer& renderer() const { return renderer_; }

 private:
  Store& store_;
  const TemplateRenderer& renderer_;
  const Crypto& crypto_;
  const Clock& clock_;
  OrgInfo org_;
};

}  // namespace rd::core
