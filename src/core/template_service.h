#pragma once

#include <optional>
#include <string>
#include <vector>

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

// Limits on an admin's template text, in bytes.
inline constexpr std::size_t kMaxTemplateSubjectBytes = 300;
inline constexpr std::size_t kMaxTemplateBodyBytes = 20000;

// A template key as the console lists it.
struct TemplateSummary {
  TemplateInfo info;
  bool customized = false;             // an admin's text is in force
  std::optional<UnixTime> updated_at;  // when customized
  std::string updated_by;              // actor, when customized
};

// One template: the text in force and the built-in default it replaces.
struct TemplateDetail {
  TemplateSummary summary;
  EmailTemplate current;
  EmailTemplate default_text;
};

// The email templates in force: an admin's text where one is stored, else the built-in
// default (default_templates.h), rendered with Mustache. Thread-safe (holds no mutable state).
class TemplateService {
 public:
  TemplateService(Store& store, const TemplateRenderer& renderer, const Crypto& crypto,
                  const Clock& clock, OrgInfo org);

  // The text in force for `key`. kNotFound for a key that is not a template.
  [[nodiscard]] Result<EmailTemplate> Resolve(Transaction& tx, const std::string& key) const;
  // Renders `text` (subject and body) as plain text with `data`; the subject is kept on one
  // line. Errors: the renderer's.
  [[nodiscard]] Result<EmailTemplate> RenderText(const EmailTemplate& text,
                                                 const TemplateData& data) const;
  // Resolve, then RenderText.
  [[nodiscard]] Result<EmailTemplate> Render(Transaction& tx, const std::string& key,
                                             const TemplateData& data) const;

  // The values every request email may use: org_name, reference, type, type_label,
  // received_date, due_date, status_url, subject_name (may be empty), jurisdiction.
  TemplateData RequestData(const PrivacyRequest& q) const;
  // RequestData plus what reply templates use: "note" (the rejection note, may be empty) and
  // the list "tasks", one item per task with source_name, status and note.
  TemplateData ReplyData(const PrivacyRequest& q, const std::vector<Task>& tasks) const;

  // --- administration (the templates API) ---

  // Every template key of TemplateCatalog(), in catalog order, with whether an admin's text
  // is in force. Errors: the store's.
  [[nodiscard]] Result<std::vector<TemplateSummary>> List();
  // kNotFound for a key that is not a template.
  [[nodiscard]] Result<TemplateDetail> Get(const std::string& key);
  // Stores an admin's text for `key` and audits "template.updated". Errors: kNotFound for an
  // unknown key; kInvalidArgument ("subject: ..." / "body: ...") for an empty or multi-line
  // subject, a subject over 300 bytes, an empty body or one over 20000 bytes, or text the
  // Mustache parser refuses (its message, after the field name). Nothing is stored on error.
  [[nodiscard]] Result<TemplateDetail> Put(const std::string& key, const std::string& subject,
                                           const std::string& body, const std::string& actor);
  // Removes the admin's text, so the default applies again; audits "template.reset".
  // kNotFound for an unknown key. Idempotent.
  [[nodiscard]] Result<TemplateDetail> Reset(const std::string& key, const std::string& actor);
  // Renders `subject`/`body` (each defaulting to the text in force) as the email would read:
  // with the data of `request_id` when given (kNotFound when there is no such request), else
  // of a sample request. Values a template may use beyond the request's own get sample
  // values. Errors as for Put for text that is not valid.
  [[nodiscard]] Result<EmailTemplate> Preview(const std::string& key,
                                              const std::optional<std::string>& subject,
                                              const std::optional<std::string>& body,
                                              const std::optional<std::string>& request_id);

  const OrgInfo& org() const { return org_; }
  const TemplateRenderer& renderer() const { return renderer_; }

 private:
  [[nodiscard]] Status ValidateText(const std::string& subject, const std::string& body) const;
  [[nodiscard]] Result<TemplateDetail> DetailIn(Transaction& tx, const std::string& key) const;

  Store& store_;
  const TemplateRenderer& renderer_;
  const Crypto& crypto_;
  const Clock& clock_;
  OrgInfo org_;
};

}  // namespace rd::core
