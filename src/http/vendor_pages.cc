// The small public page a vendor opens from the link in a vendor_request email: what is asked
// (no identities), and a plain HTML form to confirm it is done. Self-contained: no script, no
// external assets; every value is HTML-escaped; the Content-Security-Policy allows nothing but
// the inline style and a form posting back here. Outside /api, so errors are pages too.
#include "core/clock.h"
#include "core/package_format.h"
#include "core/request_service.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/server.h"

namespace rd::http {
namespace {

constexpr const char* kCsp =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

HttpResponse Page(int status, const std::string& title, const std::string& body_html) {
  HttpResponse r;
  r.status = status;
  r.body =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\">"
      "<title>" +
      core::HtmlEscape(title) +
      "</title><style>"
      "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
      "color:#1f2328;line-height:1.5}h1{font-size:1.4rem}dt{font-weight:600}dd{margin:0 0 .5rem}"
      "textarea{width:100%;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem;"
      "font-size:1rem}.done{color:#1a7f37}"
      "</style></head><body>\n" +
      body_html + "\n</body></html>\n";
  r.Header("Content-Type", "text/html; charset=utf-8");
  r.Header("Content-Security-Policy", kCsp);
  r.Header("Cache-Control", "no-store");
  return r;
}

HttpResponse ErrorPage(const core::Error& e) {
  const int status = HttpStatusFor(e.code);
  if (e.code == core::Errc::kNotFound) {
    return Page(status, "Link not valid",
                "<h1>This link is not valid</h1><p>Please use the complete link from the "
                "email you received. If it still does not work, reply to that email.</p>");
  }
  return Page(status, "Something went wrong",
              "<h1>Something went wrong</h1><p>" + core::HtmlEscape(e.message) + "</p>");
}

std::string Summary(const core::VendorTaskView& v) {
  return "<dl><dt>Organisation</dt><dd>" + core::HtmlEscape(v.org_name) +
         "</dd><dt>Reference</dt><dd>" + core::HtmlEscape(v.reference) +
         "</dd><dt>Request</dt><dd>" + core::HtmlEscape(v.type_label) + "</dd><dt>System</dt><dd>" +
         core::HtmlEscape(v.source_name) + "</dd><dt>Answer due by</dt><dd>" +
         core::HtmlEscape(core::FormatDate(v.due_at)) + "</dd></dl>";
}

std::string Outcome(const core::VendorTaskView& v) {
  if (v.status == core::TaskStatus::kDone) {
    return "<p class=\"done\">Thank you: this request is confirmed as done. Nothing more is "
           "needed from you.</p>";
  }
  return "<p>Nothing more is needed from you for this request.</p>";
}

HttpResponse TaskPage(const core::VendorTaskView& v, const std::string& token) {
  std::string html = "<h1>" + core::HtmlEscape(v.org_name) + ": privacy request " +
                     core::HtmlEscape(v.reference) + "</h1>" + Summary(v);
  if (v.action_needed) {
    html += "<p>When the request is done in " + core::HtmlEscape(v.source_name) +
            ", confirm it here. No account is needed.</p>"
            "<form method=\"post\" action=\"/vendor/tasks/" +
            core::HtmlEscape(v.task_id) +
            "/confirm\">"
            "<input type=\"hidden\" name=\"token\" value=\"" +
            core::HtmlEscape(token) +
            "\">"
            "<label for=\"note\">Note for the privacy team (optional)</label>"
            "<textarea id=\"note\" name=\"note\" rows=\"5\" maxlength=\"5000\"></textarea>"
            "<button type=\"submit\">Confirm it is done</button></form>";
  } else {
    html += Outcome(v);
  }
  return Page(200, "Privacy request " + v.reference, html);
}

bool IsFormContentType(const std::string& value) {
  std::string type;
  for (char c : value.substr(0, value.find(';'))) {
    if (c != ' ') type.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return type == "application/x-www-form-urlencoded";
}

// application/x-www-form-urlencoded: name=value pairs joined by '&', '+' for space. False for
// a malformed escape.
bool ParseForm(std::string_view body, std::map<std::string, std::string>* out) {
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(pos, amp - pos);
    const std::size_t eq = pair.find('=');
    std::string key;
    std::string value;
    if (!PercentDecode(pair.substr(0, eq), true, &key)) return false;
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value)) {
      return false;
    }
    if (!key.empty()) out->emplace(std::move(key), std::move(value));
    pos = amp + 1;
  }
  return true;
}

}  // namespace

void AddVendorPageRoutes(Router& router, ApiServices& s) {
  router.Add({"GET",
              "/vendor/tasks/{task_id}",
              true,
              {},
              0,
              false,
              [&s](HttpRequest& req, const core::Principal*) {
                const std::string& token = req.Query("token");
                auto view = s.workflow.VendorView(req.params["task_id"], token);
                if (!view) return ErrorPage(view.error());
                return TaskPage(*view, token);
              }});
  // A form post, not JSON: the route declares no JSON body and checks its own content type.
  router.Add({"POST",
              "/vendor/tasks/{task_id}/confirm",
              true,
              {},
              std::size_t{32} * 1024,
              false,
              [&s](HttpRequest& req, const core::Principal*) {
                if (!IsFormContentType(req.Header("content-type"))) {
                  return ErrorPage({core::Errc::kUnsupportedMedia,
                                    "Send the form as application/x-www-form-urlencoded."});
                }
                std::map<std::string, std::string> form;
                if (!ParseForm(req.body, &form)) {
                  return ErrorPage({core::Errc::kInvalidArgument, "The form data is malformed."});
                }
                const std::string note = form.count("note") ? form["note"] : "";
                if (note.size() > core::kMaxNoteBytes) {
                  return ErrorPage({core::Errc::kInvalidArgument,
                                    "note: at most 5000 characters. Please shorten it."});
                }
                auto view = s.workflow.VendorConfirm(req.params["task_id"], form["token"], note);
                if (!view) return ErrorPage(view.error());
                std::string html = "<h1>" + core::HtmlEscape(view->org_name) +
                                   ": privacy request " + core::HtmlEscape(view->reference) +
                                   "</h1>" + Summary(*view) + Outcome(*view);
                return Page(200, "Thank you", html);
              }});
}

}  // namespace rd::http
