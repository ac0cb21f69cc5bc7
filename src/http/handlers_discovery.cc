// System discovery: mailbox, SSO and DNS imports (admins), findings (every role reads) and the
// admin's accept / dismiss.
#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/multipart.h"

namespace rd::http {
namespace {

// Uploads stay below the server's 8 MiB body limit, so that a larger one still gets a JSON 413.
// The CLI (`rightsdesk discover mailbox PATH`) streams mailboxes of any size from disk.
constexpr std::size_t kMaxMailboxBody = std::size_t{4} * 1024 * 1024;
constexpr std::size_t kMaxSsoBody = std::size_t{1024} * 1024;
constexpr std::size_t kMaxDnsBody = std::size_t{256} * 1024;

nlohmann::json TimeOrNull(const std::optional<core::UnixTime>& t) {
  return t ? nlohmann::json(core::FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

nlohmann::json FindingJson(const core::DiscoveryFinding& f) {
  auto text_or_null = [](const std::string& v) {
    return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
  };
  return {{"id", f.id},
          {"source", core::FindingSourceName(f.source)},
          {"domain", text_or_null(f.domain)},
          {"catalog_id", text_or_null(f.catalog_id)},
          {"name", f.name},
          {"messages", f.messages},
          {"first_seen", TimeOrNull(f.first_seen)},
          {"last_seen", TimeOrNull(f.last_seen)},
          {"recipients", f.recipients},
          {"signals", f.signals},
          {"status", core::FindingStatusName(f.status)},
          {"data_source_id", text_or_null(f.data_source_id)},
          {"created_at", core::FormatRfc3339(f.created_at)},
          {"updated_at", core::FormatRfc3339(f.updated_at)}};
}

HttpResponse ImportResponse(const core::Result<core::DiscoveryImport>& imp) {
  if (!imp) return ErrorResponse(imp.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& f : imp->findings) items.push_back(FindingJson(f));
  return JsonResponse(200, {{"findings", items}, {"read", imp->read}, {"skipped", imp->skipped}});
}

core::MailboxFormat FormatOfFilename(const std::string& filename) {
  auto ends = [&](const char* ext) {
    const std::string e(ext);
    return filename.size() > e.size() &&
           filename.compare(filename.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".zip")) return core::MailboxFormat::kZip;
  if (ends(".mbox") || ends(".mbx")) return core::MailboxFormat::kMbox;
  if (ends(".eml")) return core::MailboxFormat::kEml;
  return core::MailboxFormat::kDetect;
}

HttpResponse UnsupportedMedia(const std::string& what) {
  return ErrorResponse(core::Errc::kUnsupportedMedia, "Content-Type: send " + what);
}

// The text of an SSO or DNS import: the body as `media`, or the multipart field "file".
core::Result<std::string_view> TextBody(const HttpRequest& req, const std::string& media) {
  const std::string type = MediaType(req.Header("content-type"));
  if (type == "multipart/form-data") {
    auto field = FindFormField(req.Header("content-type"), req.body, "file");
    if (!field) return tl::unexpected(field.error());
    return field->content;
  }
  if (type != media) {
    return core::Fail(core::Errc::kUnsupportedMedia,
                      "Content-Type: send " + media + " or multipart/form-data with a field file");
  }
  return std::string_view(req.body);
}

}  // namespace

void AddDiscoveryRoutes(Router& router, ApiServices& s) {
  router.Add({"POST", "/api/v1/discovery/mailbox", false, core::RoleSet::AdminsOnly(),
              kMaxMailboxBody, false, [&s](HttpRequest& req, const core::Principal* p) {
                const std::string type = MediaType(req.Header("content-type"));
                const std::string actor = core::AuthService::ActorOf(*p);
                std::string_view bytes = req.body;
                core::MailboxFormat format;
                if (type == "application/mbox") {
                  format = core::MailboxFormat::kMbox;
                } else if (type == "message/rfc822") {
                  format = core::MailboxFormat::kEml;
                } else if (type == "application/zip" || type == "application/x-zip-compressed") {
                  format = core::MailboxFormat::kZip;
                } else if (type == "multipart/form-data") {
                  auto field = FindFormField(req.Header("content-type"), req.body, "file");
                  if (!field) return ErrorResponse(field.error());
                  bytes = field->content;
                  format = FormatOfFilename(field->filename);
                } else {
                  return UnsupportedMedia(
                      "the mailbox as application/mbox, one message as message/rfc822, a zipped "
                      "Maildir as application/zip, or multipart/form-data with a field file");
                }
                return ImportResponse(s.discovery.ImportMailboxUpload(bytes, format, actor));
              }});
  router.Add({"POST", "/api/v1/discovery/sso", false, core::RoleSet::AdminsOnly(), kMaxSsoBody,
              false, [&s](HttpRequest& req, const core::Principal* p) {
                auto text = TextBody(req, "text/csv");
                if (!text) return ErrorResponse(text.error());
                return ImportResponse(s.discovery.ImportSso(*text, core::AuthService::ActorOf(*p)));
              }});
  router.Add({"POST", "/api/v1/discovery/dns", false, core::RoleSet::AdminsOnly(), kMaxDnsBody,
              false, [&s](HttpRequest& req, const core::Principal* p) {
                auto text = TextBody(req, "text/plain");
                if (!text) return ErrorResponse(text.error());
                return ImportResponse(s.discovery.ImportDns(*text, core::AuthService::ActorOf(*p)));
              }});
  router.Add({"GET", "/api/v1/discovery/findings", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                std::optional<core::FindingStatus> status;
                if (const std::string& q = req.Query("status"); !q.empty()) {
                  status = core::ParseFindingStatus(q);
                  if (!status) {
                    return ErrorResponse(core::Errc::kInvalidArgument,
                                         "status: one of new, accepted, dismissed");
                  }
                }
                auto list = s.discovery.List(status);
                if (!list) return ErrorResponse(list.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& f : *list) items.push_back(FindingJson(f));
                return JsonResponse(200, {{"items", items}});
              }});
  router.Add({"POST", "/api/v1/discovery/findings/{id}/accept", false, core::RoleSet::AdminsOnly(),
              kDefaultMaxBody, true, [&s](HttpRequest& req, const core::Principal* p) {
                core::AcceptFields in;
                if (!req.body.empty()) {
                  auto body = ParseJsonObject(req.body);
                  if (!body) return ErrorResponse(body.error());
                  for (const auto& [key, _] : body->items()) {
                    if (key != "name" && key != "category" && key != "request_handling") {
                      return ErrorResponse(core::Errc::kInvalidArgument,
                                           key.substr(0, 64) + ": unknown field");
                    }
                  }
                  auto name = OptionalString(*body, "name", core::kMaxSourceNameBytes);
                  if (!name) return ErrorResponse(name.error());
                  auto category = OptionalString(*body, "category", core::kMaxCategoryBytes);
                  if (!category) return ErrorResponse(category.error());
                  auto handling = OptionalBool(*body, "request_handling");
                  if (!handling) return ErrorResponse(handling.error());
                  in.name = *name;
                  in.category = *category;
                  in.request_handling = *handling;
                }
                auto ds = s.discovery.Accept(req.params["id"], in, core::AuthService::ActorOf(*p));
                if (!ds) return ErrorResponse(ds.error());
                return JsonResponse(201, DataSourceJson(*ds));
              }});
  router.Add({"POST", "/api/v1/discovery/findings/{id}/dismiss", false, core::RoleSet::AdminsOnly(),
              0, false, [&s](HttpRequest& req, const core::Principal* p) {
                auto f = s.discovery.Dismiss(req.params["id"], core::AuthService::ActorOf(*p));
                if (!f) return ErrorResponse(f.error());
                return JsonResponse(200, FindingJson(*f));
              }});
}

}  // namespace rd::http
