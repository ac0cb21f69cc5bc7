#include "core/template_service.h"

#include "core/settings_version.h"

#include "core/json_text.h"
#include "core/links.h"

namespace rd::core {
namespace {

TemplateSummary SummaryOf(const TemplateInfo& info, const std::optional<StoredTemplate>& stored) {
  TemplateSummary s{info, stored.has_value(), std::nullopt, ""};
  if (stored) {
    s.updated_at = stored->updated_at;
    s.updated_by = stored->updated_by;
  }
  return s;
}

const TemplateInfo* FindInfo(const std::string& key) {
  for (const auto& info : TemplateCatalog()) {
    if (info.key == key) return &info;
  }
  return nullptr;
}

// A request that exists only to show what a template looks like. For a reply template its
// type is the template's, so that {{type_label}} reads right.
PrivacyRequest SampleRequest(const std::string& key, UnixTime now) {
  PrivacyRequest q;
  q.id = "req_000000000000000000000000";
  q.reference = "RD-0000-0000";
  q.type = RequestType::kDeletion;
  if (key.rfind("reply.", 0) == 0) {
    const std::string rest = key.substr(6);
    const std::string type = rest.substr(0, rest.find('.'));
    if (auto t = ParseRequestType(type)) {
      q.type = *t;
    } else if (type == "custom") {
      q.type = RequestType::kCustom;
      q.custom_type = "limit_sensitive_data";
    }
  }
  q.status = RequestStatus::kReply;
  q.channel = Channel::kPrivacyCenter;
  q.jurisdiction = "gdpr";
  q.subject = Subject{"sam.example@example.org", "Sam Example", ""};
  q.received_at = now;
  q.due_at = now + 30 * 86400;
  q.updated_at = now;
  if (key.rfind("reply.rejected.", 0) == 0) {
    q.outcome = Outcome::kRejected;
    q.rejection_reason = key.substr(15);
    q.rejection_note = "(the agent's note on the rejection)";
  }
  return q;
}

std::vector<Task> SampleTasks() {
  Task crm;
  crm.source_name = "Example CRM";
  crm.status = TaskStatus::kDone;
  Task archive;
  archive.source_name = "Paper archive";
  archive.status = TaskStatus::kSkipped;
  archive.note = "(the agent's reason for skipping it)";
  return {crm, archive};
}

// Sample values for what a template may use beyond the request's own, added where the data do
// not already hold them.
void AddSampleExtras(TemplateData& data, const OrgInfo& org, UnixTime now) {
  const std::map<std::string, std::string> samples = {
      {"code", "123456"},
      {"expires_minutes", "30"},
      {"verify_url", org.public_url + "/privacy/requests/req_000000000000000000000000/verify"
                                      "?token=0123456789abcdef"},
      {"reason", "(the reason the agent gives)"},
      {"previous_due_date", FormatDate(now)},
      {"message", "(the agent's message)"},
      {"source_name", "Example CRM"},
      {"action", "delete the personal data you hold"},
      {"confirm_url", org.public_url + "/vendor/tasks/task_000000000000/confirm?token=0123"},
      {"sent_date", FormatDate(now)},
      {"note", "(the agent's note)"},
      {"package_url", org.public_url + "/api/v1/packages/0123456789abcdef0123456789abcdef"},
      {"package_expires", FormatDate(now + 7 * 86400)},
  };
  for (const auto& [name, value] : samples) data.values.emplace(name, value);
  if (data.lists.count("identities") == 0) {
    data.lists["identities"] = {{{"label", "Email"}, {"value", "sam.example@example.org"}}};
  }
}

// A subject line is one line, whatever the template or the values say.
std::string OneLine(const std::string& text) {
  std::string line;
  for (char c : text) line.push_back(c == '\r' || c == '\n' ? ' ' : c);
  return line;
}

}  // namespace

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
  return RenderText(*tmpl, data);
}

Result<EmailTemplate> TemplateService::RenderText(const EmailTemplate& text,
                                                  const TemplateData& data) const {
  auto subject = renderer_.Render(text.subject, data, false);
  if (!subject) return tl::unexpected(subject.error());
  auto body = renderer_.Render(text.body, data, false);
  if (!body) return tl::unexpected(body.error());
  return EmailTemplate{OneLine(*subject), std::move(*body)};
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

TemplateData TemplateService::ReplyData(const PrivacyRequest& q,
                                        const std::vector<Task>& tasks) const {
  TemplateData data = RequestData(q);
  data.values["note"] = q.rejection_note;
  auto& list = data.lists["tasks"];
  for (const Task& t : tasks) {
    list.push_back(
        {{"source_name", t.source_name}, {"status", TaskStatusName(t.status)}, {"note", t.note}});
  }
  return data;
}

Status TemplateService::ValidateText(const std::string& subject, const std::string& body) const {
  if (subject.empty()) return Fail(Errc::kInvalidArgument, "subject: required");
  if (subject.size() > kMaxTemplateSubjectBytes) {
    return Fail(Errc::kInvalidArgument, "subject: at most 300 bytes");
  }
  if (subject.find_first_of("\r\n") != std::string::npos) {
    return Fail(Errc::kInvalidArgument, "subject: one line, no line breaks");
  }
  if (body.empty()) return Fail(Errc::kInvalidArgument, "body: required");
  if (body.size() > kMaxTemplateBodyBytes) {
    return Fail(Errc::kInvalidArgument, "body: at most 20000 bytes");
  }
  for (const auto& [field, text] : {std::pair{"subject", &subject}, std::pair{"body", &body}}) {
    if (auto st = renderer_.Validate(*text); !st) {
      return Fail(st.error().code, std::string(field) + ": " + st.error().message);
    }
  }
  return {};
}

Result<TemplateDetail> TemplateService::DetailIn(Transaction& tx, const std::string& key) const {
  const TemplateInfo* info = FindInfo(key);
  if (info == nullptr) return Fail(Errc::kNotFound, "no template " + key);
  auto stored = tx.Templates().Find(key);
  if (!stored) return tl::unexpected(stored.error());
  TemplateDetail d{SummaryOf(*info, *stored), *DefaultTemplate(key), *DefaultTemplate(key)};
  if (*stored) d.current = EmailTemplate{(*stored)->subject, (*stored)->body};
  return d;
}

Result<std::vector<TemplateSummary>> TemplateService::List() {
  std::vector<TemplateSummary> out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto stored = tx.Templates().List();
    if (!stored) return tl::unexpected(stored.error());
    std::map<std::string, StoredTemplate> by_key;
    for (auto& t : *stored) by_key.emplace(t.key, std::move(t));
    for (const auto& info : TemplateCatalog()) {
      const auto it = by_key.find(info.key);
      out.push_back(SummaryOf(
          info, it == by_key.end() ? std::nullopt : std::optional<StoredTemplate>(it->second)));
    }
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<TemplateDetail> TemplateService::Get(const std::string& key) {
  Result<TemplateDetail> out = Fail(Errc::kInternal, "");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = DetailIn(tx, key);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<TemplateDetail> TemplateService::Put(const std::string& key, const std::string& subject,
                                            const std::string& body, const std::string& actor) {
  if (FindInfo(key) == nullptr) return Fail(Errc::kNotFound, "no template " + key);
  if (auto st = ValidateText(subject, body); !st) return tl::unexpected(st.error());
  const UnixTime now = clock_.Now();
  Result<TemplateDetail> out = Fail(Errc::kInternal, "");
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.Templates().Put({key, subject, body, now, actor}); !s) return s;
    NewAuditEvent ev{actor, std::nullopt, "template.updated", "{\"key\":" + JsonString(key) + "}"};
    if (auto e = tx.Audit().Append(ev, now); !e) return tl::unexpected(e.error());
    out = DetailIn(tx, key);
    if (!out) return tl::unexpected(out.error());
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  SettingsChanged();
  return out;
}

Result<TemplateDetail> TemplateService::Reset(const std::string& key, const std::string& actor) {
  if (FindInfo(key) == nullptr) return Fail(Errc::kNotFound, "no template " + key);
  const UnixTime now = clock_.Now();
  Result<TemplateDetail> out = Fail(Errc::kInternal, "");
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.Templates().Delete(key); !s) return s;
    NewAuditEvent ev{actor, std::nullopt, "template.reset", "{\"key\":" + JsonString(key) + "}"};
    if (auto e = tx.Audit().Append(ev, now); !e) return tl::unexpected(e.error());
    out = DetailIn(tx, key);
    if (!out) return tl::unexpected(out.error());
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  SettingsChanged();
  return out;
}

Result<EmailTemplate> TemplateService::Preview(const std::string& key,
                                               const std::optional<std::string>& subject,
                                               const std::optional<std::string>& body,
                                               const std::optional<std::string>& request_id) {
  if (FindInfo(key) == nullptr) return Fail(Errc::kNotFound, "no template " + key);
  const UnixTime now = clock_.Now();
  Result<EmailTemplate> out = Fail(Errc::kInternal, "");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto current = Resolve(tx, key);
    if (!current) return tl::unexpected(current.error());
    EmailTemplate text{subject.value_or(current->subject), body.value_or(current->body)};
    if (auto v = ValidateText(text.subject, text.body); !v) return v;
    TemplateData data;
    if (request_id) {
      auto q = tx.Requests().Get(*request_id);
      if (!q) {
        return q.error().code == Errc::kNotFound
                   ? Fail(Errc::kNotFound, "request_id: no such request")
                   : tl::unexpected(q.error());
      }
      auto tasks = tx.Tasks().ListForRequest(*request_id);
      if (!tasks) return tl::unexpected(tasks.error());
      data = ReplyData(*q, *tasks);
    } else {
      data = ReplyData(SampleRequest(key, now), SampleTasks());
    }
    AddSampleExtras(data, org_, now);
    auto s = renderer_.Render(text.subject, data, false);
    if (!s) return Fail(s.error().code, "subject: " + s.error().message);
    auto b = renderer_.Render(text.body, data, false);
    if (!b) return Fail(b.error().code, "body: " + b.error().message);
    out = EmailTemplate{OneLine(*s), std::move(*b)};
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
