#include "core/data_source_service.h"

#include <set>

#include "core/free_text.h"
#include "core/json_text.h"
#include "core/privacy_request.h"

namespace rd::core {
namespace {

bool IsLowerKey(std::string_view s, std::string_view extra) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra.find(c) != extra.npos)) {
      return false;
    }
  }
  return true;
}

std::string SourceDetail(const DataSource& ds) {
  return "{\"id\":" + JsonString(ds.id) + ",\"process\":" + JsonString(ds.process) + "}";
}

void Merge(const DataSourceFields& in, DataSource& ds) {
  if (in.name) ds.name = *in.name;
  if (in.catalog_id) ds.catalog_id = *in.catalog_id;
  if (in.category) ds.category = *in.category;
  if (in.process) ds.process = *in.process;
  if (in.request_handling) ds.request_handling = *in.request_handling;
  if (in.contact_email) ds.contact_email = *in.contact_email;
  if (in.instructions) ds.instructions = *in.instructions;
  if (in.connector) ds.connector = *in.connector;
  if (in.dataset) ds.dataset = *in.dataset;
  if (in.request_types) ds.request_types = *in.request_types;
}

}  // namespace

bool IsSqlConnector(std::string_view connector) {
  // The HTTP layer stores the connector object as compact JSON (no blanks between tokens), and
  // core takes no JSON library: the two members are recognised as text.
  if (connector.find("\"kind\":\"sql\"") == std::string_view::npos) return false;
  const auto url = connector.find("\"url\":\"");
  if (url == std::string_view::npos) return false;
  const std::string_view value = connector.substr(url + 7);
  for (std::string_view scheme : {"sqlite:///", "postgresql://", "postgres://", "mysql://"}) {
    if (value.substr(0, scheme.size()) == scheme) return true;
  }
  return false;
}

bool IsTypeKey(std::string_view key) {
  return key.size() >= 2 && key.size() <= 40 && key.front() >= 'a' && key.front() <= 'z' &&
         IsLowerKey(key, "_");
}

Status ValidateDataSource(DataSource& ds) {
  if (ds.name.empty() || ds.name.size() > kMaxSourceNameBytes ||
      HasControlCharacters(ds.name, false)) {
    return Fail(Errc::kInvalidArgument,
                "name: required, 1 to 200 characters without control characters");
  }
  if (!ds.catalog_id.empty() && (ds.catalog_id.size() > 100 || !IsLowerKey(ds.catalog_id, "_-."))) {
    return Fail(Errc::kInvalidArgument,
                "catalog_id: a catalog entry's id (lower-case letters, digits, '_', '-', '.')");
  }
  if (ds.category.empty() || ds.category.size() > kMaxCategoryBytes ||
      !IsLowerKey(ds.category, "_-")) {
    return Fail(Errc::kInvalidArgument,
                "category: required, 1 to 64 lower-case letters, digits, '_' or '-' (e.g. crm)");
  }
  const bool integration = ds.process == "integration";
  if (integration) {
    // Until the connectors land, an integration source is a SQL database (which the
    // personal-data scan reads).
    if (!IsSqlConnector(ds.connector)) {
      return Fail(Errc::kInvalidArgument,
                  "connector: integration sources need {\"kind\": \"sql\", \"url\": "
                  "\"sqlite:///path.db | postgresql://... | mysql://...\"}");
    }
  } else if (ds.process != "manual" && ds.process != "email") {
    return Fail(Errc::kInvalidArgument, "process: must be integration, manual or email");
  }
  if (!integration && !ds.connector.empty()) {
    return Fail(Errc::kInvalidArgument, "connector: only integration sources have a connector");
  }
  if (!integration && !ds.dataset.empty()) {
    return Fail(Errc::kInvalidArgument, "dataset: only integration sources have a dataset");
  }
  if (ds.process == "email" || !ds.contact_email.empty()) {
    const auto email = NormalizeEmail(ds.contact_email);
    if (!email) {
      return Fail(Errc::kInvalidArgument,
                  ds.contact_email.empty()
                      ? "contact_email: required for email sources (the vendor's privacy contact)"
                      : "contact_email: not a valid email address");
    }
    ds.contact_email = *email;
  }
  if (ds.instructions.size() > kMaxInstructionsBytes ||
      HasControlCharacters(ds.instructions, true)) {
    return Fail(Errc::kInvalidArgument,
                "instructions: at most 20000 characters, no control characters");
  }
  if (ds.request_types.size() > kMaxRequestTypes) {
    return Fail(Errc::kInvalidArgument, "request_types: at most 50 type keys");
  }
  std::set<std::string> seen;
  for (const auto& key : ds.request_types) {
    if (!IsTypeKey(key)) {
      return Fail(Errc::kInvalidArgument,
                  "request_types: '" + key.substr(0, 40) +
                      "' is not a type key (deletion, copy, do_not_sell, do_not_mail, "
                      "right_to_edit or a custom right's key)");
    }
    if (!seen.insert(key).second) {
      return Fail(Errc::kInvalidArgument, "request_types: " + key + " is listed twice");
    }
  }
  return {};
}

DataSourceService::DataSourceService(Store& store, const Crypto& crypto, const Clock& clock)
    : store_(store), crypto_(crypto), clock_(clock) {}

Result<DataSource> DataSourceService::Create(const DataSourceFields& in, const std::string& actor) {
  DataSource ds;
  ds.request_handling = true;
  Merge(in, ds);
  if (auto s = ValidateDataSource(ds); !s) return tl::unexpected(s.error());
  ds.id = "ds_" + crypto_.RandomHex(12);
  ds.created_at = ds.updated_at = clock_.Now();
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.DataSources().Insert(ds); !s) return s;
    return tx.Audit()
        .Append({actor, std::nullopt, "data_source.created", SourceDetail(ds)}, ds.created_at)
        .map([](const AuditEvent&) {});
  });
  if (!st) return tl::unexpected(st.error());
  return ds;
}

Result<DataSource> DataSourceService::Get(const std::string& id) {
  Result<DataSource> out = Fail(Errc::kNotFound, "no such data source");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.DataSources().Get(id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<std::vector<DataSource>> DataSourceService::List() {
  Result<std::vector<DataSource>> out = std::vector<DataSource>{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.DataSources().List();
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<DataSource> DataSourceService::Update(const std::string& id, const DataSourceFields& in,
                                             const std::string& actor) {
  const UnixTime now = clock_.Now();
  DataSource out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto ds = tx.DataSources().Get(id);
    if (!ds) return tl::unexpected(ds.error());
    if (ds->archived) return Fail(Errc::kNotFound, "no such data source (it was archived)");
    Merge(in, *ds);
    if (auto s = ValidateDataSource(*ds); !s) return s;
    ds->updated_at = now;
    if (auto s = tx.DataSources().Update(*ds); !s) return s;
    if (auto e =
            tx.Audit().Append({actor, std::nullopt, "data_source.updated", SourceDetail(*ds)}, now);
        !e) {
      return tl::unexpected(e.error());
    }
    out = std::move(*ds);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Status DataSourceService::Archive(const std::string& id, const std::string& actor) {
  const UnixTime now = clock_.Now();
  return store_.Write([&](Transaction& tx) -> Status {
    auto ds = tx.DataSources().Get(id);
    if (!ds) return tl::unexpected(ds.error());
    if (auto s = tx.DataSources().Archive(id, now); !s) return s;
    return tx.Audit()
        .Append({actor, std::nullopt, "data_source.archived", SourceDetail(*ds)}, now)
        .map([](const AuditEvent&) {});
  });
}

}  // namespace rd::core
