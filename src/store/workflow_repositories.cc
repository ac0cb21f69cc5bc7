// Data sources, tasks, templates, the suppression list and request-type settings.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {
namespace {

std::string JoinTypes(const std::vector<std::string>& types) {
  std::string out;
  for (const auto& t : types) out += (out.empty() ? "" : ",") + t;
  return out;
}

std::vector<std::string> SplitTypes(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

constexpr const char* kSourceColumns =
    "SELECT id, name, catalog_id, category, process, request_handling, contact_email, "
    "instructions, connector, dataset, request_types, archived, created_at, updated_at, "
    "owner, description, data_categories FROM data_sources";

core::DataSource SourceFromRow(const soci::row& r) {
  core::DataSource ds;
  ds.id = RowText(r, 0);
  ds.name = RowText(r, 1);
  ds.catalog_id = RowText(r, 2);
  ds.category = RowText(r, 3);
  ds.process = RowText(r, 4);
  ds.request_handling = RowInt(r, 5) != 0;
  ds.contact_email = RowText(r, 6);
  ds.instructions = RowText(r, 7);
  ds.connector = RowText(r, 8);
  ds.dataset = RowText(r, 9);
  ds.request_types = SplitTypes(RowText(r, 10));
  ds.archived = RowInt(r, 11) != 0;
  ds.created_at = RowInt(r, 12);
  ds.updated_at = RowInt(r, 13);
  ds.owner = RowText(r, 14);
  ds.description = RowText(r, 15);
  ds.data_categories = SplitTypes(RowText(r, 16));
  return ds;
}

}  // namespace

core::Status SqlDataSourceRepository::Insert(const core::DataSource& ds) {
  try {
    const int handling = ds.request_handling ? 1 : 0;
    const std::string types = JoinTypes(ds.request_types);
    const long long created = ds.created_at;
    const long long updated = ds.updated_at;
    const std::string categories = JoinTypes(ds.data_categories);
    soci::indicator catalog_ind = ds.catalog_id.empty() ? soci::i_null : soci::i_ok;
    sql_ << "INSERT INTO data_sources (id, name, catalog_id, category, process, "
            "request_handling, contact_email, instructions, connector, dataset, request_types, "
            "archived, created_at, updated_at, owner, description, data_categories) VALUES (:id, "
            ":n, :cat, :c, :p, :h, :e, :i, :con, :d, :t, 0, :ca, :ua, :o, :desc, :dc)",
        soci::use(ds.id), soci::use(ds.name), soci::use(ds.catalog_id, catalog_ind),
        soci::use(ds.category), soci::use(ds.process), soci::use(handling),
        soci::use(ds.contact_email), soci::use(ds.instructions), soci::use(ds.connector),
        soci::use(ds.dataset), soci::use(types), soci::use(created), soci::use(updated),
        soci::use(ds.owner), soci::use(ds.description), soci::use(categories);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "data source"));
  }
}

core::Result<core::DataSource> SqlDataSourceRepository::Get(const std::string& id) {
  try {
    soci::row r;
    sql_ << std::string(kSourceColumns) + " WHERE id = :id", soci::use(id), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such data source");
    return SourceFromRow(r);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get data source"));
  }
}

core::Result<std::vector<core::DataSource>> SqlDataSourceRepository::List() {
  try {
    std::vector<core::DataSource> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kSourceColumns) + " WHERE archived = 0 ORDER BY name, id");
    for (const auto& r : rows) out.push_back(SourceFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list data sources"));
  }
}

core::Status SqlDataSourceRepository::Update(const core::DataSource& ds) {
  try {
    const int handling = ds.request_handling ? 1 : 0;
    const std::string types = JoinTypes(ds.request_types);
    const long long updated = ds.updated_at;
    const std::string categories = JoinTypes(ds.data_categories);
    soci::indicator catalog_ind = ds.catalog_id.empty() ? soci::i_null : soci::i_ok;
    soci::statement st =
        (sql_.prepare << "UPDATE data_sources SET name = :n, catalog_id = :cat, category = :c, "
                         "process = :p, request_handling = :h, contact_email = :e, "
                         "instructions = :i, connector = :con, dataset = :d, request_types = :t, "
                         "owner = :o, description = :desc, data_categories = :dc, "
                         "updated_at = :ua WHERE id = :id AND archived = 0",
         soci::use(ds.name), soci::use(ds.catalog_id, catalog_ind), soci::use(ds.category),
         soci::use(ds.process), soci::use(handling), soci::use(ds.contact_email),
         soci::use(ds.instructions), soci::use(ds.connector), soci::use(ds.dataset),
         soci::use(types), soci::use(ds.owner), soci::use(ds.description), soci::use(categories),
         soci::use(updated), soci::use(ds.id));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return core::Fail(core::Errc::kNotFound, "no such data source");
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update data source"));
  }
}

core::Status SqlDataSourceRepository::Archive(const std::string& id, core::UnixTime now) {
  try {
    const long long t = now;
    soci::statement st = (sql_.prepare << "UPDATE data_sources SET archived = 1, updated_at = :t "
                                          "WHERE id = :id AND archived = 0",
                          soci::use(t), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return core::Fail(core::Errc::kNotFound, "no such data source");
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "archive data source"));
  }
}

namespace {

constexpr const char* kTaskColumns =
    "SELECT id, request_id, data_source_id, source_name, process, status, instructions, "
    "contact_email, note, result, completed_by, completed_at, reminders, created_at, updated_at "
    "FROM tasks";

core::Task TaskFromRow(const soci::row& r) {
  core::Task t;
  t.id = RowText(r, 0);
  t.request_id = RowText(r, 1);
  t.data_source_id = RowText(r, 2);
  t.source_name = RowText(r, 3);
  t.process = RowText(r, 4);
  t.status = core::ParseTaskStatus(RowText(r, 5)).value_or(core::TaskStatus::kPending);
  t.instructions = RowText(r, 6);
  t.contact_email = RowText(r, 7);
  t.note = RowText(r, 8);
  t.result = RowText(r, 9);
  t.completed_by = RowText(r, 10);
  if (!RowIsNull(r, 11)) t.completed_at = RowInt(r, 11);
  t.reminders = static_cast<int>(RowInt(r, 12));
  t.created_at = RowInt(r, 13);
  t.updated_at = RowInt(r, 14);
  return t;
}

}  // namespace

core::Status SqlTaskRepository::Insert(const core::Task& t) {
  try {
    const std::string status = core::TaskStatusName(t.status);
    const std::string result = t.result.empty() ? "{}" : t.result;
    const long long created = t.created_at;
    const long long updated = t.updated_at;
    soci::indicator source_ind = t.data_source_id.empty() ? soci::i_null : soci::i_ok;
    sql_ << "INSERT INTO tasks (id, request_id, data_source_id, source_name, process, status, "
            "instructions, contact_email, note, result, completed_by, reminders, created_at, "
            "updated_at) VALUES (:id, :r, :ds, :sn, :p, :s, :i, :e, :n, :res, :by, :rem, :c, :u)",
        soci::use(t.id), soci::use(t.request_id), soci::use(t.data_source_id, source_ind),
        soci::use(t.source_name), soci::use(t.process), soci::use(status),
        soci::use(t.instructions), soci::use(t.contact_email), soci::use(t.note), soci::use(result),
        soci::use(t.completed_by), soci::use(t.reminders), soci::use(created), soci::use(updated);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "task"));
  }
}

core::Result<core::Task> SqlTaskRepository::Get(const std::string& id) {
  try {
    soci::row r;
    sql_ << std::string(kTaskColumns) + " WHERE id = :id", soci::use(id), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such task");
    return TaskFromRow(r);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get task"));
  }
}

core::Result<std::vector<core::Task>> SqlTaskRepository::ListForRequest(
    const std::string& request_id) {
  try {
    std::vector<core::Task> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kTaskColumns) +
                             " WHERE request_id = :r ORDER BY created_at, source_name, id",
         soci::use(request_id));
    for (const auto& r : rows) out.push_back(TaskFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list tasks"));
  }
}

core::Status SqlTaskRepository::Update(const core::Task& t, core::TaskStatus expected) {
  try {
    const std::string status = core::TaskStatusName(t.status);
    const std::string from = core::TaskStatusName(expected);
    const std::string result = t.result.empty() ? "{}" : t.result;
    const long long completed = t.completed_at.value_or(0);
    soci::indicator completed_ind = t.completed_at ? soci::i_ok : soci::i_null;
    const long long updated = t.updated_at;
    soci::statement st =
        (sql_.prepare << "UPDATE tasks SET status = :s, note = :n, result = :res, "
                         "completed_by = :by, completed_at = :ca, reminders = :rem, "
                         "updated_at = :u WHERE id = :id AND status = :from",
         soci::use(status), soci::use(t.note), soci::use(result), soci::use(t.completed_by),
         soci::use(completed, completed_ind), soci::use(t.reminders), soci::use(updated),
         soci::use(t.id), soci::use(from));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return core::Fail(core::Errc::kConflict,
                        "the task is no longer " + from + "; reload the request");
    }
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update task"));
  }
}

core::Result<std::vector<core::Task>> SqlTaskRepository::ListPendingForSource(
    const std::string& data_source_id, const std::string& process, std::size_t limit) {
  try {
    std::vector<core::Task> out;
    const long long n = static_cast<long long>(limit);
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kTaskColumns) +
                             " WHERE data_source_id = :ds AND status = 'pending' AND process = :p "
                             "ORDER BY created_at, id LIMIT :n",
         soci::use(data_source_id), soci::use(process), soci::use(n));
    for (const auto& r : rows) out.push_back(TaskFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list pending tasks"));
  }
}

core::Result<std::int64_t> SqlTaskRepository::CountOpenForSource(
    const std::string& data_source_id) {
  try {
    long long n = 0;
    sql_ << "SELECT COUNT(*) FROM tasks WHERE data_source_id = :id AND status IN "
            "('pending', 'waiting', 'running')",
        soci::use(data_source_id), soci::into(n);
    return static_cast<std::int64_t>(n);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "count open tasks"));
  }
}

namespace {

core::StoredTemplate TemplateFromRow(const soci::row& r) {
  return {RowText(r, 0), RowText(r, 1), RowText(r, 2), RowInt(r, 3), RowText(r, 4)};
}

constexpr const char* kTemplateColumns =
    "SELECT template_key, subject, body, updated_at, updated_by FROM templates";

}  // namespace

core::Result<std::optional<core::StoredTemplate>> SqlTemplateRepository::Find(
    const std::string& key) {
  try {
    soci::row r;
    sql_ << std::string(kTemplateColumns) + " WHERE template_key = :k", soci::use(key),
        soci::into(r);
    if (!sql_.got_data()) return std::optional<core::StoredTemplate>();
    return std::optional<core::StoredTemplate>(TemplateFromRow(r));
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get template"));
  }
}

core::Result<std::vector<core::StoredTemplate>> SqlTemplateRepository::List() {
  try {
    std::vector<core::StoredTemplate> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kTemplateColumns) + " ORDER BY template_key");
    for (const auto& r : rows) out.push_back(TemplateFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list templates"));
  }
}

core::Status SqlTemplateRepository::Put(const core::StoredTemplate& t) {
  try {
    const long long at = t.updated_at;
    soci::indicator by_ind = t.updated_by.empty() ? soci::i_null : soci::i_ok;
    sql_ << "DELETE FROM templates WHERE template_key = :k", soci::use(t.key);
    sql_ << "INSERT INTO templates (template_key, subject, body, updated_at, updated_by) "
            "VALUES (:k, :s, :b, :t, :by)",
        soci::use(t.key), soci::use(t.subject), soci::use(t.body), soci::use(at),
        soci::use(t.updated_by, by_ind);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "template"));
  }
}

core::Status SqlTemplateRepository::Delete(const std::string& key) {
  try {
    sql_ << "DELETE FROM templates WHERE template_key = :k", soci::use(key);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "delete template"));
  }
}

namespace {

core::SuppressionEntry SuppressionFromRow(const soci::row& r) {
  return {RowText(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3), RowInt(r, 4)};
}

constexpr const char* kSuppressionColumns =
    "SELECT identity_hash, email, email_sha256, request_id, added_at FROM suppression";

}  // namespace

core::Result<bool> SqlSuppressionRepository::Add(const core::SuppressionEntry& e) {
  try {
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM suppression WHERE identity_hash = :h", soci::use(e.identity_hash),
        soci::into(n);
    if (n > 0) return false;
    const long long at = e.added_at;
    soci::indicator req_ind = e.request_id.empty() ? soci::i_null : soci::i_ok;
    sql_ << "INSERT INTO suppression (identity_hash, email, email_sha256, request_id, added_at) "
            "VALUES (:h, :e, :s, :r, :t)",
        soci::use(e.identity_hash), soci::use(e.email), soci::use(e.email_sha256),
        soci::use(e.request_id, req_ind), soci::use(at);
    return true;
  } catch (const std::exception& ex) {
    return tl::unexpected(TranslateDbError(ex, "suppression entry"));
  }
}

core::Result<std::optional<core::SuppressionEntry>> SqlSuppressionRepository::Find(
    const std::string& identity_hash) {
  try {
    soci::row r;
    sql_ << std::string(kSuppressionColumns) + " WHERE identity_hash = :h",
        soci::use(identity_hash), soci::into(r);
    if (!sql_.got_data()) return std::optional<core::SuppressionEntry>();
    return std::optional<core::SuppressionEntry>(SuppressionFromRow(r));
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "find suppression entry"));
  }
}

core::Result<core::SuppressionPage> SqlSuppressionRepository::List(int limit,
                                                                   const std::string& cursor) {
  try {
    // Cursor: "<added_at>.<identity_hash>" of the previous page's last entry.
    long long after_at = -1;
    std::string after_hash;
    if (!cursor.empty()) {
      const auto dot = cursor.find('.');
      std::size_t used = 0;
      try {
        after_at = std::stoll(cursor.substr(0, dot), &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (dot == std::string::npos || used != dot || dot + 1 >= cursor.size() ||
          cursor.find_first_not_of("0123456789abcdef", dot + 1) != std::string::npos) {
        return core::Fail(core::Errc::kInvalidArgument, "cursor: not a cursor from this list");
      }
      after_hash = cursor.substr(dot + 1);
    }
    core::SuppressionPage page;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kSuppressionColumns) +
                             " WHERE (added_at, identity_hash) > (:t, :h) "
                             "ORDER BY added_at, identity_hash LIMIT " +
                             std::to_string(limit + 1),
         soci::use(after_at), soci::use(after_hash));
    for (const auto& r : rows) page.items.push_back(SuppressionFromRow(r));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      const auto& last = page.items.back();
      page.next_cursor = std::to_string(last.added_at) + "." + last.identity_hash;
    }
    return page;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list suppression"));
  }
}

namespace {

core::RequestTypeSetting TypeFromRow(const soci::row& r) {
  core::RequestTypeSetting s;
  s.key = RowText(r, 0);
  s.name = RowText(r, 1);
  s.description = RowText(r, 2);
  s.builtin = RowInt(r, 3) != 0;
  s.enabled = RowInt(r, 4) != 0;
  s.deadline_days = static_cast<int>(RowInt(r, 5));
  s.created_at = RowInt(r, 6);
  s.updated_at = RowInt(r, 7);
  return s;
}

constexpr const char* kTypeColumns =
    "SELECT type_key, name, description, builtin, enabled, deadline_days, created_at, "
    "updated_at FROM request_types";

}  // namespace

core::Result<std::vector<core::RequestTypeSetting>> SqlRequestTypeRepository::List() {
  try {
    std::vector<core::RequestTypeSetting> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kTypeColumns) + " ORDER BY builtin DESC, type_key");
    for (const auto& r : rows) out.push_back(TypeFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list request types"));
  }
}

core::Result<std::optional<core::RequestTypeSetting>> SqlRequestTypeRepository::Find(
    const std::string& key) {
  try {
    soci::row r;
    sql_ << std::string(kTypeColumns) + " WHERE type_key = :k", soci::use(key), soci::into(r);
    if (!sql_.got_data()) return std::optional<core::RequestTypeSetting>();
    return std::optional<core::RequestTypeSetting>(TypeFromRow(r));
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get request type"));
  }
}

core::Status SqlRequestTypeRepository::Put(const core::RequestTypeSetting& s) {
  try {
    const int builtin = s.builtin ? 1 : 0;
    const int enabled = s.enabled ? 1 : 0;
    const long long created = s.created_at;
    const long long updated = s.updated_at;
    sql_ << "DELETE FROM request_types WHERE type_key = :k", soci::use(s.key);
    sql_ << "INSERT INTO request_types (type_key, name, description, builtin, enabled, "
            "deadline_days, created_at, updated_at) VALUES (:k, :n, :d, :b, :e, :dd, :c, :u)",
        soci::use(s.key), soci::use(s.name), soci::use(s.description), soci::use(builtin),
        soci::use(enabled), soci::use(s.deadline_days), soci::use(created), soci::use(updated);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "request type"));
  }
}

}  // namespace rd::store
