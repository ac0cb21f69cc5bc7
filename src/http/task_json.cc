#include "http/task_json.h"

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace rd::http {

void WriteTask(JsonWriter& w, const core::Task& t) {
  w.BeginObject();
  w.Key("id").String(t.id);
  w.Key("data_source_id").StringOrNull(t.data_source_id);
  w.Key("source_name").String(t.source_name);
  w.Key("process").String(t.process);
  w.Key("status").String(core::TaskStatusName(t.status));
  w.Key("instructions").StringOrNull(t.instructions);
  w.Key("contact_email").StringOrNull(t.contact_email);
  w.Key("note").StringOrNull(t.note);
  w.Key("result");
  // Written by us as JSON; anything else is shown as text.
  if (!t.result.empty() && nlohmann::json::accept(t.result)) {
    w.Raw(t.result);
  } else if (t.result.empty()) {
    w.BeginObject().EndObject();
  } else {
    w.String(t.result);
  }
  w.Key("completed_by").StringOrNull(t.completed_by);
  w.Key("completed_at");
  if (t.completed_at) {
    w.String(core::FormatRfc3339(*t.completed_at));
  } else {
    w.Null();
  }
  w.Key("reminders").Int(t.reminders);
  w.Key("created_at").String(core::FormatRfc3339(t.created_at));
  w.Key("updated_at").String(core::FormatRfc3339(t.updated_at));
  w.EndObject();
}

void WriteProcessDetail(JsonWriter& w, const std::vector<core::Task>& tasks,
                        const std::vector<core::PrescanEntry>& prescan) {
  w.Key("tasks").BeginArray();
  for (const auto& t : tasks) WriteTask(w, t);
  w.EndArray();
  w.Key("prescan").BeginArray();
  for (const auto& e : prescan) {
    w.BeginObject();
    w.Key("data_source_id").String(e.data_source_id);
    w.Key("found").Int(e.found);
    w.Key("collections");
    if (nlohmann::json::accept(e.collections)) {
      w.Raw(e.collections);
    } else {
      w.BeginObject().EndObject();
    }
    w.Key("error").StringOrNull(e.error);
    w.Key("scanned_at").String(core::FormatRfc3339(e.scanned_at));
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace rd::http
