#include "core/data_source_service.h"

#include <chrono>
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
  if (in.owner) ds.owner = *in.owner;
  if (in.description) ds.description = *in.description;
  if (in.data_categories) ds.data_categories = *in.data_categories;
}

// A fideslang key's shape: dotted lower-case words.
bool IsDataCategoryKey(std::string_view key) {
  return !key.empty() && key.size() <= 200 && key.front() != '.' && key.back() != '.' &&
         key.find("..") == std::string_view::npos && IsLowerKey(key, "_.");
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
  if (ds.process != "manual" && ds.process != "email" && ds.process != "integration") {
    return Fail(Errc::kInvalidArgument, "process: must be integration, email or manual");
  }
  if (ds.process == "integration") {
    // The connector and dataset themselves are checked by the ConnectorRegistry.
    if (ds.connector.empty()) {
      return Fail(Errc::kInvalidArgument,
                  "connector: required for integration sources, e.g. {\"kind\": \"sql\", "
                  "\"url\": \"postgresql://user:pass@host:5432/db\"}");
    }
  } else {
    if (!ds.connector.empty()) {
      return Fail(Errc::kInvalidArgument, "connector: only integration sources have a connector");
    }
    if (!ds.dataset.empty()) {
      return Fail(Errc::kInvalidArgument, "dataset: only integration sources have a dataset");
    }
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
  if (ds.owner.size() > kMaxOwnerBytes || HasControlCharacters(ds.owner, false)) {
    return Fail(Errc::kInvalidArgument, "owner: at most 200 characters, one line");
  }
  if (ds.description.size() > kMaxDescriptionBytes || HasControlCharacters(ds.description, true)) {
    return Fail(Errc::kInvalidArgument,
                "description: at most 4000 characters, no control characters");
  }
  if (ds.data_categories.size() > kMaxDataCategories) {
    return Fail(Errc::kInvalidArgument, "data_categories: at most 200 keys");
  }
  seen.clear();
  for (const auto& key : ds.data_categories) {
    if (!IsDataCategoryKey(key)) {
      return Fail(Errc::kInvalidArgument,
                  "data_categories: '" + key.substr(0, 100) +
                      "' is not a data category key (e.g. user.contact.email)");
    }
    if (!seen.insert(key).second) {
      return Fail(Errc::kInvalidArgument, "data_categories: " + key + " is listed twice");
    }
  }
  return {};
}

DataSourceService::DataSourceService(Store& store, const Crypto& crypto, const Clock& clock,
                                     const ConnectorRegistry* connectors, const Catalog* catalog,
                                     const DataCategoryTaxonomy* taxonomy)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      connectors_(connectors),
      catalog_(catalog),
      taxonomy_(taxonomy) {}

Status DataSourceService::PrepareConnector(DataSource& ds, const std::string& stored_before,
                                           bool connector_given) const {
  if (ds.process != "integration") return {};
  if (connectors_ == nullptr) {
    return Fail(Errc::kInvalidArgument, "process: integration sources are not available here");
  }
  // Unchanged, the stored connector goes through as the API shows it: its sealed secrets are
  // kept because it names them "***".
  const std::string given = connector_given ? ds.connector : connectors_->Redact(ds.connector);
  auto stored = connectors_->Prepare(given, ds.dataset, stored_before);
  if (!stored) return tl::unexpected(stored.error());
  ds.connector = std::move(*stored);
  return {};
}

DataSource DataSourceService::Shown(DataSource ds) const {
  if (!ds.connector.empty() && connectors_ != nullptr)
    ds.connector = connectors_->Redact(ds.connector);
  return ds;
}

Result<ConnectionCheck> DataSourceService::TestConnection(const std::string& id) {
  auto ds = Get(id);
  if (!ds) return tl::unexpected(ds.error());
  if (ds->archived) return Fail(Errc::kNotFound, "no such data source (it was archived)");
  if (ds->process != "integration" || connectors_ == nullptr) {
    return Fail(Errc::kConflict, "process: only integration sources have a connection to test");
  }
  Result<DataSource> stored = Fail(Errc::kNotFound, "no such data source");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    stored = tx.DataSources().Get(id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  if (!stored) return tl::unexpected(stored.error());
  const auto start = std::chrono::steady_clock::now();
  ConnectionCheck out;
  auto connector = connectors_->Open(*stored);
  Status tested = connector ? (*connector)->Test() : Status(tl::unexpected(connector.error()));
  out.millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count();
  out.ok = tested.has_value();
  if (!tested) out.error = tested.error().message;
  return out;
}

Status DataSourceService::CheckReferences(const DataSource& ds) const {
  if (catalog_ != nullptr && !ds.catalog_id.empty() && catalog_->Find(ds.catalog_id) == nullptr) {
    return Fail(Errc::kInvalidArgument,
                "catalog_id: '" + ds.catalog_id + "' is not in the catalog (see /api/v1/catalog)");
  }
  if (taxonomy_ != nullptr && !taxonomy_->empty()) {
    for (const auto& key : ds.data_categories) {
      if (taxonomy_->Find(key) == nullptr) {
        return Fail(Errc::kInvalidArgument,
                    "data_categories: '" + key +
                        "' is not in the data category taxonomy (see /api/v1/data-categories)");
      }
    }
  }
  return {};
}

Result<DataSource> DataSourceService::Create(const DataSourceFields& in, const std::string& actor) {
  DataSource ds;
  ds.request_handling = true;
  // Fill from the catalog entry first; the caller's fields then win.
  if (catalog_ != nullptr && in.catalog_id && !in.catalog_id->empty()) {
    const CatalogEntry* entry = catalog_->Find(*in.catalog_id);
    if (entry == nullptr) {
      return Fail(Errc::kInvalidArgument, "catalog_id: '" + in.catalog_id->substr(0, 100) +
                                              "' is not in the catalog (see /api/v1/catalog)");
    }
    ds.name = entry->name;
    ds.category = entry->category;
    ds.contact_email = entry->privacy_email;
    ds.process = entry->privacy_email.empty() ? "manual" : "email";
    if (ds.process == "manual" && !entry->privacy_url.empty()) {
      ds.instructions =
          "Submit the request through the vendor's privacy page: " + entry->privacy_url;
    }
  }
  Merge(in, ds);
  if (auto s = ValidateDataSource(ds); !s) return tl::unexpected(s.error());
  if (auto s = CheckReferences(ds); !s) return tl::unexpected(s.error());
  if (auto s = PrepareConnector(ds, "", true); !s) return tl::unexpected(s.error());
  ds.id = "ds_" + crypto_.RandomHex(12);
  ds.created_at = ds.updated_at = clock_.Now();
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.DataSources().Insert(ds); !s) return s;
    return tx.Audit()
        .Append({actor, std::nullopt, "data_source.created", SourceDetail(ds)}, ds.created_at)
        .map([](const AuditEvent&) {});
  });
  if (!st) return tl::unexpected(st.error());
  return Shown(std::move(ds));
}

Result<DataSource> DataSourceService::Get(const std::string& id) {
  Result<DataSource> out = Fail(Errc::kNotFound, "no such data source");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.DataSources().Get(id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  if (!out) return out;
  return Shown(std::move(*out));
}

Result<std::vector<DataSource>> DataSourceService::List() {
  Result<std::vector<DataSource>> out = std::vector<DataSource>{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.DataSources().List();
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  if (out) {
    for (auto& ds : *out) ds = Shown(std::move(ds));
  }
  return out;
}

Result<std::vector<DataSource>> DataSourceService::List(const DataSourceFilter& filter) {
  auto all = List();
  if (!all) return all;
  std::vector<DataSource> out;
  for (auto& ds : *all) {
    if (!filter.category.empty() && ds.category != filter.category) continue;
    if (filter.request_handling && ds.request_handling != *filter.request_handling) continue;
    out.push_back(std::move(ds));
  }
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
    const std::string stored_before = ds->connector;
    Merge(in, *ds);
    if (auto s = ValidateDataSource(*ds); !s) return s;
    if (auto s = CheckReferences(*ds); !s) return s;
    if (auto s = PrepareConnector(*ds, stored_before, in.connector.has_value()); !s) return s;
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
  return Shown(std::move(out));
}

Status DataSourceService::Archive(const std::string& id, const std::string& actor) {
  const UnixTime now = clock_.Now();
  return store_.Write([&](Transaction& tx) -> Status {
    auto ds = tx.DataSources().Get(id);
    if (!ds) return tl::unexpected(ds.error());
    if (ds->archived) return Fail(Errc::kNotFound, "no such data source (it was archived)");
    auto open = tx.Tasks().CountOpenForSource(id);
    if (!open) return tl::unexpected(open.error());
    if (*open > 0) {
      return Fail(Errc::kConflict,
                  "data source: used by " + std::to_string(*open) +
                      " open task(s) (pending, waiting or running); complete or skip them first");
    }
    if (auto s = tx.DataSources().Archive(id, now); !s) return s;
    return tx.Audit()
        .Append({actor, std::nullopt, "data_source.archived", SourceDetail(*ds)}, now)
        .map([](const AuditEvent&) {});
  });
}

}  // namespace rd::core
