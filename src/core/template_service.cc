#include "core/template_service.h"

#include "core/links.h"

namespace rd::core {

TemplateService::TemplateService(Store& store, const TemplateRenderer& renderer,
                                 const Crypto& crypto, const Clock& clock, OrgInfo org)
    : store_(store), renderer_(renderer), crypto_(crypto), clock_(clock), org_(std::move(org)) {}

Result<EmailTemplate> TemplateService::Resolve(Transaction& tx, const std::string& key) const {
  auto fallback = DefaultTemplate(key);
  if (!fallback) return Fail(Errc::kNotFound, "no template " + key);
  auto stored = tx.Templates().Find(key);
  if (!stored) return tl::unexpected(stored.error());
  if (*stored) return EmailTemplate{(*stored)->subject, (*stored)->body};
  return *fallback;
}

Result<EmailTemplate> TemplateService::Render(Transaction& tx, const std::string& key,
                                              const TemplateData& data) const {
  auto tmpl = Resolve(tx, key);
  if (!tmpl) return tmpl;
  auto subject = renderer_.Render(tmpl->subject, data, false);
  if (!subject) return tl::unexpected(subject.error());
  auto body = renderer_.Render(tmpl->body, data, false);
  if (!body) return tl::unexpected(body.error());
  // A subject line is one line, whatever the template or the values say.
  std::string line;
  for (char c : *subject) line.push_back(c == '\r' || c == '\n' ? ' ' : c);
  return EmailTemplate{std::move(line), std::move(*body)};
}

TemplateData TemplateService::RequestData(const PrivacyRequest& q) const {
  TemplateData data;
  data.values = {
      {"org_name", org_.org_name},
      {"reference", q.reference},
      {"type", TypeKey(q)},
      {"type_label", TypeLabel(q)},
      {"received_date", FormatDate(q.received_at)},
      {"due_date", FormatDate(q.due_at)},
      {"status_url",
       org_.public_url + "/privacy/requests/" + q.id + "?token=" + StatusToken(crypto_, q.id)},
      {"subject_name", q.subject.name},
      {"jurisdiction", q.jurisdiction},
  };
  return data;
}

}  // namespace rd::core
