// The Process stage: continue onto data sources, task actions, the vendor's confirmation (JSON)
// and the suppression list.
#include "core/clock.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/json_writer.h"
#include "http/task_json.h"

namespace rd::http {
namespace {

HttpResponse JsonText(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.Header("Content-Type", "application/json");
  return r;
}

// Task actions take an optional body: none at all counts as {}.
core::Result<nlohmann::json> OptionalObject(const std::string& body) {
  if (body.empty()) return nlohmann::json::object();
  return ParseJsonObject(body);
}

core::Result<std::optional<std::vector<std::string>>> SourceIds(const nlohmann::json& body) {
  const auto it = body.find("data_source_ids");
  if (it == body.end() || it->is_null()) return std::optional<std::vector<std::string>>{};
  if (!it->is_array()) {
    return core::Fail(core::Errc::kInvalidArgument, "data_source_ids: an array of data source ids");
  }
  std::vector<std::string> ids;
  for (const auto& v : *it) {
    if (!v.is_string()) {
      return core::Fail(core::Errc::kInvalidArgument,
                        "data_source_ids: every entry is a data source id (a string)");
    }
    ids.push_back(v.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(ids));
}

HttpResponse TaskChangeResponse(const core::Result<core::TaskChange>& change) {
  if (!change) return ErrorResponse(change.error());
  JsonWriter w;
  w.BeginObject().Key("task");
  WriteTask(w, change->task);
  w.Key("request_status").String(core::RequestStatusName(change->request_status));
  w.EndObject();
  return JsonText(200, w.Take());
}

nlohmann::json VendorViewJson(const core::VendorTaskView& v) {
  return {{"task_id", v.task_id},
          {"reference", v.reference},
          {"org_name", v.org_name},
          {"type", v.type},
          {"source_name", v.source_name},
          {"status", core::TaskStatusName(v.status)},
          {"action_needed", v.action_needed},
          {"due_at", core::FormatRfc3339(v.due_at)}};
}

// RFC 4180: quoted when it holds a comma, a quote or a line break.
std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

HttpResponse SuppressionCsv(core::WorkflowService& workflow) {
  std::string csv = "email,email_sha256,added_at\r\n";
  std::string cursor;
  do {
    auto page = workflow.Suppressed(1000, cursor);
    if (!page) return ErrorResponse(page.error());
    for (const auto& e : page->items) {
      csv +=
          CsvField(e.email) + "," + e.email_sha256 + "," + core::FormatRfc3339(e.added_at) + "\r\n";
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  HttpResponse r;
  r.body = std::move(csv);
  r.Header("Content-Type", "text/csv; charset=utf-8");
  r.Header("Content-Disposition", "attachment; filename=\"suppression.csv\"");
  r.Header("Cache-Control", "no-store");
  return r;
}

HttpResponse SuppressionList(const HttpRequest& req, core::WorkflowService& workflow) {
  const std::string& format = req.Query("format");
  if (format == "csv") return SuppressionCsv(workflow);
  if (!format.empty() && format != "json") {
    return ErrorResponse(core::Errc::kInvalidArgument, "format: json or csv");
  }
  int limit = 100;
  if (const auto& v = req.Query("limit"); !v.empty()) {
    char* end = nullptr;
    const long n = std::strtol(v.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 1000) {
      return ErrorResponse(core::Errc::kInvalidArgument, "limit: a whole number from 1 to 1000");
    }
    limit = static_cast<int>(n);
  }
  auto page = workflow.Suppressed(limit, req.Query("cursor"));
  if (!page) return ErrorResponse(page.error());
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& e : page->items) {
    w.BeginObject();
    w.Key("email").String(e.email);
    w.Key("email_sha256").String(e.email_sha256);
    w.Key("request_id").StringOrNull(e.request_id);
    w.Key("added_at").String(core::FormatRfc3339(e.added_at));
    w.EndObject();
  }
  w.EndArray().Key("next_cursor").StringOrNull(page->next_cursor).EndObject();
  return JsonText(200, w.Take());
}

HttpResponse ContinueRequest(HttpRequest& req, const core::Principal& p,
                             core::WorkflowService& workflow) {
  auto body = OptionalObject(req.body);
  if (!body) return ErrorResponse(body.error());
  auto ids = SourceIds(*body);
  if (!ids) return ErrorResponse(ids.error());
  auto done = workflow.Continue(req.params["id"], *ids, core::AuthService::ActorOf(p));
  if (!done) return ErrorResponse(done.error());
  JsonWriter w;
  w.BeginObject();
  w.Key("id").String(done->request.id);
  w.Key("status").String(core::RequestStatusName(done->request.status));
  w.Key("tasks").BeginArray();
  for (const auto& t : done->tasks) WriteTask(w, t);
  w.EndArray().EndObject();
  return JsonText(200, w.Take());
}

}  // namespace

void AddTaskRoutes(Router& router, ApiServices& s) {
  router.Add({"POST", "/api/v1/requests/{id}/continue", false, core::RoleSet::AgentsAndAdmins(),
              std::size_t{16} * 1024, true, [&s](HttpRequest& req, const core::Principal* p) {
                return ContinueRequest(req, *p, s.workflow);
              }});
  router.Add({"POST", "/api/v1/requests/{id}/tasks/{task_id}/complete", false,
              core::RoleSet::AgentsAndAdmins(), std::size_t{16} * 1024, true,
              [&s](HttpRequest& req, const core::Principal* p) {
                auto body = OptionalObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto note = OptionalString(*body, "note", core::kMaxNoteBytes);
                if (!note) return ErrorResponse(note.error());
                return TaskChangeResponse(
                    s.workflow.CompleteTask(req.params["id"], req.params["task_id"],
                                            note->value_or(""), core::AuthService::ActorOf(*p)));
              }});
  router.Add({"POST", "/api/v1/requests/{id}/tasks/{task_id}/skip", false,
              core::RoleSet::AgentsAndAdmins(), std::size_t{16} * 1024, true,
              [&s](HttpRequest& req, const core::Principal* p) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto reason = RequiredString(*body, "reason", core::kMaxNoteBytes);
                if (!reason) return ErrorResponse(reason.error());
                return TaskChangeResponse(s.workflow.SkipTask(req.params["id"],
                                                              req.params["task_id"], *reason,
                                                              core::AuthService::ActorOf(*p)));
              }});
  router.Add({"POST", "/api/v1/requests/{id}/tasks/{task_id}/retry", false,
              core::RoleSet::AgentsAndAdmins(), 4096, true,
              [&s](HttpRequest& req, const core::Principal* p) {
                if (auto body = OptionalObject(req.body); !body) return ErrorResponse(body.error());
                return TaskChangeResponse(s.workflow.RetryTask(
                    req.params["id"], req.params["task_id"], core::AuthService::ActorOf(*p)));
              }});
  router.Add({"GET", "/api/v1/suppression", false, core::RoleSet::All(), 0, false,
              [&s](HttpRequest& req, const core::Principal*) {
                return SuppressionList(req, s.workflow);
              }});
  // The vendor's side, authenticated by the signed token of the link in their email.
  router.Add({"GET",
              "/api/v1/vendor/tasks/{task_id}",
              true,
              {},
              0,
              false,
              [&s](HttpRequest& req, const core::Principal*) {
                auto view = s.workflow.VendorView(req.params["task_id"], req.Query("token"));
                if (!view) return ErrorResponse(view.error());
                HttpResponse r = JsonResponse(200, VendorViewJson(*view));
                r.Header("Cache-Control", "no-store");
                return r;
              }});
  router.Add({"POST",
              "/api/v1/vendor/tasks/{task_id}/confirm",
              true,
              {},
              std::size_t{16} * 1024,
              true,
              [&s](HttpRequest& req, const core::Principal*) {
                auto body = ParseJsonObject(req.body);
                if (!body) return ErrorResponse(body.error());
                auto token = RequiredString(*body, "token", 128);
                if (!token) return ErrorResponse(token.error());
                auto note = OptionalString(*body, "note", core::kMaxNoteBytes);
                if (!note) return ErrorResponse(note.error());
                auto view =
                    s.workflow.VendorConfirm(req.params["task_id"], *token, note->value_or(""));
                if (!view) return ErrorResponse(view.error());
                HttpResponse r = JsonResponse(200, VendorViewJson(*view));
                r.Header("Cache-Control", "no-store");
                return r;
              }});
}

}  // namespace rd::http
