#include "core/discovery_service.h"

#include "core/ids.h"
#include "core/json_text.h"

namespace rd::core {
namespace {

std::string FindingDetail(const DiscoveryFinding& f) {
  std::string d = "{\"id\":" + JsonString(f.id);
  if (!f.data_source_id.empty()) d += ",\"data_source_id\":" + JsonString(f.data_source_id);
  return d + "}";
}

Status AppendAudit(Transaction& tx, const std::string& actor, const char* kind,
                   const std::string& detail, UnixTime now) {
  return tx.Audit().Append({actor, std::nullopt, kind, detail}, now).map([](const AuditEvent&) {});
}

// What a data source created from `f` looks like, before the admin's choices.
DataSourceFields SourceFieldsFor(const DiscoveryFinding& f, const CatalogEntry* entry) {
  DataSourceFields out;
  const std::string seen = std::string("Found by discovery (") + FindingSourceName(f.source) +
                           (f.domain.empty() ? "" : ": " + f.domain) + ").";
  if (entry != nullptr) {
    out.name = entry->name;
    out.catalog_id = entry->key;
    out.category = entry->category.empty() ? "other" : entry->category;
    if (!entry->privacy_email.empty()) {
      out.process = "email";
      out.contact_email = entry->privacy_email;
    } else {
      out.process = "manual";
      out.instructions = seen + " Find and handle the subject's data in " + entry->name +
                         (entry->privacy_url.empty() ? "." : ": " + entry->privacy_url);
    }
  } else {
    out.name = f.name.empty() ? f.domain : f.name;
    out.category = "other";
    out.process = "manual";
    out.instructions = seen + " Find out what this system holds and how to handle requests in it.";
  }
  return out;
}

}  // namespace

DiscoveryService::DiscoveryService(Store& store, const Crypto& crypto, const Clock& clock,
                                   SystemReader& reader, DataSourceService& sources,
                                   const Catalog& catalog)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      reader_(reader),
      sources_(sources),
      catalog_(catalog) {}

Result<DiscoveryImport> DiscoveryService::ImportMailboxUpload(std::string_view bytes,
                                                              MailboxFormat format,
                                                              const std::string& actor) {
  return Save(reader_.ReadMailboxUpload(bytes, format), actor);
}

Result<DiscoveryImport> DiscoveryService::ImportMailboxPath(const std::string& path,
                                                            const std::string& actor) {
  return Save(reader_.ReadMailboxPath(path), actor);
}

Result<DiscoveryImport> DiscoveryService::ImportSso(std::string_view csv,
                                                    const std::string& actor) {
  return Save(reader_.ReadSsoExport(csv), actor);
}

Result<DiscoveryImport> DiscoveryService::ImportDns(std::string_view text,
                                                    const std::string& actor) {
  return Save(reader_.ReadDnsRecords(text), actor);
}

Result<DiscoveryImport> DiscoveryService::Save(Result<DiscoveryReport> report,
                                               const std::string& actor) {
  if (!report) return tl::unexpected(report.error());
  const UnixTime now = clock_.Now();
  DiscoveryImport out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    out = DiscoveryImport{{}, report->read, report->skipped};
    for (const auto& seen : report->systems) {
      auto existing = tx.DiscoveryFindings().FindByKey(report->source, FindingMatchKey(seen));
      if (!existing) return tl::unexpected(existing.error());
      DiscoveryFinding f;
      if (*existing) {
        f = std::move(**existing);
        MergeInto(seen, f);
        f.updated_at = now;
        if (auto s = tx.DiscoveryFindings().Update(f, f.status); !s) return s;
      } else {
        f.id = NewId(crypto_, "fnd_");
        f.source = report->source;
        f.match_key = FindingMatchKey(seen);
        MergeInto(seen, f);
        f.created_at = f.updated_at = now;
        if (auto s = tx.DiscoveryFindings().Insert(f); !s) return s;
      }
      out.findings.push_back(std::move(f));
    }
    return AppendAudit(tx, actor, "discovery.imported",
                       std::string("{\"source\":") + JsonString(FindingSourceName(report->source)) +
                           ",\"findings\":" + std::to_string(out.findings.size()) +
                           ",\"read\":" + std::to_string(report->read) +
                           ",\"skipped\":" + std::to_string(report->skipped) + "}",
                       now);
  });
  if (!st) {
    if (st.error().code == Errc::kConflict) {
      return Fail(Errc::kConflict,
                  "another import stored the same findings at the same moment; send it again");
    }
    return tl::unexpected(st.error());
  }
  return out;
}

Result<std::vector<DiscoveryFinding>> DiscoveryService::List(std::optional<FindingStatus> status) {
  Result<std::vector<DiscoveryFinding>> out = std::vector<DiscoveryFinding>{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.DiscoveryFindings().List(status);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<DiscoveryFinding> DiscoveryService::Get(const std::string& id) {
  Result<DiscoveryFinding> out = Fail(Errc::kNotFound, "no such finding");
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = tx.DiscoveryFindings().Get(id);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<DataSource> DiscoveryService::Accept(const std::string& id, const AcceptFields& in,
                                            const std::string& actor) {
  auto f = Get(id);
  if (!f) return tl::unexpected(f.error());
  if (f->status != FindingStatus::kNew) {
    return Fail(Errc::kConflict,
                std::string("finding: it was ") + FindingStatusName(f->status) + " already");
  }
  const CatalogEntry* entry = f->catalog_id.empty() ? nullptr : catalog_.Find(f->catalog_id);
  DataSourceFields fields = SourceFieldsFor(*f, entry);
  if (in.name) fields.name = *in.name;
  if (in.category) fields.category = *in.category;
  if (in.request_handling) fields.request_handling = *in.request_handling;
  // The source is created through the inventory's own service (its validation and audit
  // event); the finding is marked in a second transaction, and if someone else decided the
  // finding in between, the new source is archived again.
  auto ds = sources_.Create(fields, actor);
  if (!ds) return tl::unexpected(ds.error());
  const UnixTime now = clock_.Now();
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto cur = tx.DiscoveryFindings().Get(id);
    if (!cur) return tl::unexpected(cur.error());
    cur->status = FindingStatus::kAccepted;
    cur->data_source_id = ds->id;
    cur->updated_at = now;
    if (auto s = tx.DiscoveryFindings().Update(*cur, FindingStatus::kNew); !s) return s;
    return AppendAudit(tx, actor, "discovery.accepted", FindingDetail(*cur), now);
  });
  if (!st) {
    (void)sources_.Archive(ds->id, "system");
    if (st.error().code == Errc::kConflict) {
      return Fail(Errc::kConflict, "finding: it was decided by someone else at the same moment");
    }
    return tl::unexpected(st.error());
  }
  return ds;
}

Result<DiscoveryFinding> DiscoveryService::Dismiss(const std::string& id,
                                                   const std::string& actor) {
  const UnixTime now = clock_.Now();
  DiscoveryFinding out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto f = tx.DiscoveryFindings().Get(id);
    if (!f) return tl::unexpected(f.error());
    if (f->status == FindingStatus::kAccepted) {
      return Fail(Errc::kConflict,
                  "finding: it was accepted already (archive its data source instead)");
    }
    if (f->status == FindingStatus::kDismissed) {
      out = std::move(*f);
      return {};
    }
    f->status = FindingStatus::kDismissed;
    f->updated_at = now;
    if (auto s = tx.DiscoveryFindings().Update(*f, FindingStatus::kNew); !s) return s;
    out = std::move(*f);
    return AppendAudit(tx, actor, "discovery.dismissed", FindingDetail(out), now);
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
