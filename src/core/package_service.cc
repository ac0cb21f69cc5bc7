#include "core/package_service.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "core/audit_trail.h"
#include "core/json_text.h"
#include "core/package_entries.h"
#include "core/package_format.h"
#include "core/sealed_stream.h"

namespace rd::core {
namespace {

constexpr char kSep = '\x1f';

std::string FieldKey(const std::string& ds, const std::string& collection,
                     const std::string& column) {
  return ds + kSep + collection + kSep + column;
}

std::string TokenHash(const Crypto& crypto, const std::string& token) {
  return crypto.IdentityHash("package-token:" + token);
}

// The sealed stream behind libzip's writes.
class StreamOutput final : public ArchiveOutput {
 public:
  explicit StreamOutput(SealedStreamWriter& w) : w_(w) {}
  Status WriteAt(std::uint64_t offset, std::string_view data) override {
    return w_.WriteAt(offset, data);
  }

 private:
  SealedStreamWriter& w_;
};

std::string SourcesJson(const std::vector<PackageSource>& sources) {
  std::string out = "{\"sources\":[";
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& s = sources[i];
    out += (i ? "," : "") + std::string("{\"data_source_id\":") + JsonString(s.data_source_id) +
           ",\"name\":" + JsonString(s.name) + ",\"collections\":[";
    for (std::size_t j = 0; j < s.collections.size(); ++j) {
      const auto& c = s.collections[j];
      out += (j ? "," : "") + std::string("{\"name\":") + JsonString(c.name) +
             ",\"rows\":" + std::to_string(c.rows) + ",\"columns\":[";
      for (std::size_t k = 0; k < c.columns.size(); ++k) {
        out += (k ? "," : "") + JsonString(c.columns[k]);
      }
      out += "],\"redacted\":[";
      for (std::size_t k = 0; k < c.redacted.size(); ++k) {
        out += (k ? "," : "") + JsonString(c.redacted[k]);
      }
      out += "]}";
    }
    out += "]}";
  }
  return out + "]}";
}

std::string RedactionsJson(const std::set<std::string>& keys) {
  std::string out = "{";
  for (const auto& k : keys) out += (out.size() > 1 ? "," : "") + JsonString(k) + ":true";
  return out + "}";
}

std::string UniqueName(std::set<std::string>& used, const std::string& base,
                       const std::string& ext) {
  std::string name = base + ext;
  for (int n = 2; used.count(name); ++n) name = base + "-" + std::to_string(n) + ext;
  used.insert(name);
  return name;
}

}  // namespace

std::string SpoolStream(const std::string& task_id) { return "spool:" + task_id; }

std::set<std::string> ParseRedactions(const std::string& json) {
  std::set<std::string> out;
  auto members = ParseFlatObject(json.empty() ? "{}" : json);
  if (!members) return out;
  for (auto& m : *members) out.insert(std::move(m.key));
  return out;
}

class SpoolSink::Impl {
 public:
  Impl(Store& store, const Crypto& crypto, const std::string& task_id)
      : writer(store, crypto, SpoolStream(task_id)) {}
  SealedStreamWriter writer;
  std::string buf;
};

SpoolSink::SpoolSink(Store& store, const Crypto& crypto, const std::string& task_id)
    : impl_(std::make_unique<Impl>(store, crypto, task_id)) {}
SpoolSink::~SpoolSink() = default;

Status SpoolSink::Start() { return impl_->writer.Start(); }

Status SpoolSink::Row(const std::string& collection, std::string row) {
  // A row's JSON text holds no raw line break: JSON escapes them.
  std::replace(row.begin(), row.end(), '\n', ' ');
  impl_->buf += JsonString(collection);
  impl_->buf += '\t';
  impl_->buf += row;
  impl_->buf += '\n';
  ++rows_;
  if (impl_->buf.size() >= kSealedChunkBytes) {
    if (auto s = impl_->writer.Append(impl_->buf); !s) return s;
    impl_->buf.clear();
  }
  return {};
}

Status SpoolSink::Finish() {
  if (!impl_->buf.empty()) {
    if (auto s = impl_->writer.Append(impl_->buf); !s) return s;
    impl_->buf.clear();
  }
  return impl_->writer.Finish();
}

Status QueuePackageBuild(Transaction& tx, const PrivacyRequest& q, UnixTime now) {
  if (q.type != RequestType::kCopy) return {};
  auto tasks = tx.Tasks().ListForRequest(q.id);
  if (!tasks) return tl::unexpected(tasks.error());
  if (std::none_of(tasks->begin(), tasks->end(), [](const Task& t) {
        return t.process == "integration" && t.status == TaskStatus::kDone;
      })) {
    return {};  // nothing was exported: no package
  }
  Package p;
  auto existing = tx.Packages().FindByRequest(q.id);
  if (existing) {
    p = *existing;
  } else if (existing.error().code != Errc::kNotFound) {
    return tl::unexpected(existing.error());
  } else {
    p.id = "pkg_" + q.id;
    p.request_id = q.id;
    p.redactions = "{}";
    p.created_at = now;
  }
  p.status = "building";
  p.updated_at = now;
  if (auto s = tx.Packages().Put(p); !s) return s;
  return tx.Jobs().Enqueue({"", "package.build", "{\"request_id\":" + JsonString(q.id) + "}", now});
}

PackageService::PackageService(Store& store, const Crypto& crypto, const Clock& clock,
                               const ArchiveWriter& archive, PackagePolicy policy)
    : store_(store), crypto_(crypto), clock_(clock), archive_(archive), policy_(policy) {}

std::string PackageService::DownloadToken(const Crypto& crypto, const Package& p) {
  if (p.token_sealed.empty()) return "";
  auto t = crypto.OpenSecret(p.token_sealed);
  return t ? *t : "";
}

Result<std::vector<PackageSource>> PackageService::Scan(const std::vector<Task>& tasks,
                                                        const std::set<std::string>& redactions,
                                                        std::size_t sample_rows) {
  std::vector<PackageSource> out;
  for (const Task& t : tasks) {
    if (t.process != "integration" || t.status != TaskStatus::kDone) continue;
    PackageSource s{t.data_source_id, t.source_name, t.id, {}};
    SealedLineReader lines(store_, crypto_, SpoolStream(t.id));
    while (true) {
      auto line = lines.Next();
      if (!line) return tl::unexpected(line.error());
      if (!*line) break;
      if ((*line)->empty()) continue;
      auto l = SplitLine(**line);
      if (!l) return tl::unexpected(l.error());
      auto it = std::find_if(s.collections.begin(), s.collections.end(),
                             [&](const PackageCollection& c) { return c.name == l->collection; });
      if (it == s.collections.end()) {
        s.collections.push_back({l->collection, 0, {}, {}, {}});
        it = s.collections.end() - 1;
      }
      ++it->rows;
      auto members = ParseFlatObject(l->row);
      if (!members) return tl::unexpected(members.error());
      for (const auto& m : *members) {
        if (std::find(it->columns.begin(), it->columns.end(), m.key) == it->columns.end()) {
          it->columns.push_back(m.key);
          if (redactions.count(FieldKey(t.data_source_id, it->name, m.key))) {
            it->redacted.push_back(m.key);
          }
        }
      }
      if (it->sample.size() < sample_rows) it->sample.push_back(l->row);
    }
    for (auto& c : s.collections) {
      for (auto& row : c.sample) row = RedactRow(row, c.redacted);
    }
    out.push_back(std::move(s));
  }
  return out;
}

Status PackageService::Build(const std::string& request_id) {
  PrivacyRequest request;
  Package package;
  std::vector<Task> tasks;
  bool build = false;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return q.error().code == Errc::kNotFound ? Status{} : tl::unexpected(q.error());
    auto p = tx.Packages().FindByRequest(request_id);
    if (!p) return p.error().code == Errc::kNotFound ? Status{} : tl::unexpected(p.error());
    if (p->status != "building") return {};
    auto ts = tx.Tasks().ListForRequest(request_id);
    if (!ts) return tl::unexpected(ts.error());
    request = *q;
    package = *p;
    tasks = std::move(*ts);
    build = true;
    return {};
  });
  if (!st || !build) return st;

  const std::set<std::string> redactions = ParseRedactions(package.redactions);
  auto sources = Scan(tasks, redactions, 0);
  if (!sources) return tl::unexpected(sources.error());
  const UnixTime now = clock_.Now();

  // File names, unique inside the zip.
  std::set<std::string> used{"index.html"};
  std::map<const PackageSource*, std::string> json_names;
  std::map<const PackageCollection*, std::string> csv_names;
  for (const auto& s : *sources) {
    const std::string base = FileSlug(s.name);
    json_names[&s] = UniqueName(used, base, ".json");
    for (const auto& c : s.collections) {
      csv_names[&c] = UniqueName(used, base + "/" + FileSlug(c.name), ".csv");
    }
  }
  std::vector<ArchiveEntry> entries;
  const std::string index =
      IndexHtml(policy_.org_name, request, *sources, csv_names, json_names, now);
  entries.push_back(
      {"index.html", [&]() -> Result<std::unique_ptr<EntryReader>> { return TextEntry(index); }});
  const std::string exported_at = FormatDate(now);
  for (const auto& s : *sources) {
    entries.push_back({json_names[&s], [&, src = &s]() -> Result<std::unique_ptr<EntryReader>> {
                         return SourceJsonEntry(store_, crypto_, *src, exported_at);
                       }});
    for (const auto& c : s.collections) {
      entries.push_back(
          {csv_names[&c], [&, src = &s, col = &c]() -> Result<std::unique_ptr<EntryReader>> {
             return CollectionCsvEntry(store_, crypto_, *src, *col);
           }});
    }
  }
  SealedStreamWriter zip(store_, crypto_, "package:" + package.id + ":" + crypto_.RandomHex(8));
  if (auto s = zip.Start(); !s) return s;
  StreamOutput out(zip);
  if (auto s = archive_.Write(entries, now, out); !s) return s;
  if (auto s = zip.Finish(); !s) return s;

  std::int64_t rows = 0;
  std::int64_t collections = 0;
  for (const auto& s : *sources) {
    for (const auto& c : s.collections) {
      rows += c.rows;
      ++collections;
    }
  }
  bool stale = false;
  st = store_.Write([&](Transaction& tx) -> Status {
    auto p = tx.Packages().FindByRequest(request_id);
    if (!p) return tl::unexpected(p.error());
    if (p->status != "building" || p->redactions != package.redactions) {
      stale = true;  // purged, or redacted again meanwhile: a later build follows
      return tx.Chunks().DeleteStream(zip.stream());
    }
    const std::string old_stream = p->stream;
    const bool first = p->token_hash.empty();
    if (first) {
      const std::string token = crypto_.RandomHex(16);
      p->token_hash = TokenHash(crypto_, token);
      p->token_sealed = crypto_.SealSecret(token);
      p->expires_at = now + policy_.ttl_seconds;
    }
    p->status = "ready";
    p->stream = zip.stream();
    p->bytes = static_cast<std::int64_t>(zip.size());
    p->chunks = zip.chunks();
    p->summary = SourcesJson(*sources);
    p->error.clear();
    p->updated_at = now;
    if (auto s = tx.Packages().Put(*p); !s) return s;
    if (!old_stream.empty()) {
      if (auto s = tx.Chunks().DeleteStream(old_stream); !s) return s;
    }
    if (first) {
      if (auto s =
              tx.Jobs().Enqueue({"", "package.purge",
                                 "{\"request_id\":" + JsonString(request_id) + "}", p->expires_at});
          !s) {
        return s;
      }
    }
    return AppendAudit(tx, "system", request_id, "package.built",
                       "{\"sources\":" + std::to_string(sources->size()) + ",\"collections\":" +
                           std::to_string(collections) + ",\"rows\":" + std::to_string(rows) +
                           ",\"bytes\":" + std::to_string(zip.size()) +
                           ",\"redacted\":" + std::to_string(redactions.size()) + "}",
                       now);
  });
  (void)stale;
  return st;
}

Result<PackageDownload> PackageService::Download(const std::string& token) {
  if (token.size() != 32 || token.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Fail(Errc::kNotFound, "no package for this link");
  }
  const std::string hash = TokenHash(crypto_, token);
  const UnixTime now = clock_.Now();
  Package package;
  PrivacyRequest request;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto p = tx.Packages().FindByTokenHash(hash);
    if (!p) {
      return p.error().code == Errc::kNotFound ? Fail(Errc::kNotFound, "no package for this link")
                                               : Status(tl::unexpected(p.error()));
    }
    auto q = tx.Requests().Get(p->request_id);
    if (!q) return tl::unexpected(q.error());
    package = *p;
    request = *q;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  PackageDownload out;
  if (package.status == "expired" || (package.expires_at > 0 && package.expires_at <= now)) {
    out.expired = true;
    return out;
  }
  if (package.status != "ready") {
    return Fail(Errc::kConflict, "the package is being prepared: try again in a few minutes");
  }
  auto reader = std::make_shared<SealedStreamReader>(store_, crypto_, package.stream);
  auto first = reader->Next();
  if (!first) return tl::unexpected(first.error());
  out.read = [reader, first = std::move(*first)]() mutable -> Result<std::optional<std::string>> {
    if (first) return std::exchange(first, std::nullopt);
    return reader->Next();
  };
  out.bytes = static_cast<std::uint64_t>(package.bytes);
  out.filename = "data-" + FileSlug(request.reference) + ".zip";
  st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.Packages().CountDownload(package.id); !s) return s;
    return AppendAudit(tx, "subject", package.request_id, "package.downloaded",
                       "{\"downloads\":" + std::to_string(package.downloads + 1) +
                           ",\"bytes\":" + std::to_string(out.bytes) + "}",
                       now);
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<PackagePreview> PackageService::Preview(const std::string& request_id) {
  PackagePreview out;
  std::vector<Task> tasks;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return tl::unexpected(q.error());
    auto p = tx.Packages().FindByRequest(request_id);
    if (!p) {
      return p.error().code == Errc::kNotFound
                 ? Fail(Errc::kNotFound, "request " + request_id + " has no copy package")
                 : Status(tl::unexpected(p.error()));
    }
    auto ts = tx.Tasks().ListForRequest(request_id);
    if (!ts) return tl::unexpected(ts.error());
    out.package = *p;
    tasks = std::move(*ts);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  out.package.token_hash.clear();
  out.package.token_sealed.clear();
  if (out.package.status == "expired") return out;
  auto sources = Scan(tasks, ParseRedactions(out.package.redactions), policy_.preview_rows);
  if (!sources) return tl::unexpected(sources.error());
  out.sources = std::move(*sources);
  return out;
}

Result<PackagePreview> PackageService::Redact(const std::string& request_id,
                                              const std::vector<PackageField>& fields,
                                              const std::string& actor) {
  if (fields.empty()) return Fail(Errc::kInvalidArgument, "fields: at least one field");
  if (fields.size() > 200) return Fail(Errc::kInvalidArgument, "fields: at most 200");
  auto preview = Preview(request_id);
  if (!preview) return tl::unexpected(preview.error());
  if (preview->package.status == "expired") {
    return Fail(Errc::kConflict, "the package has expired and was deleted");
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    const std::string at = "fields[" + std::to_string(i) + "].";
    auto s =
        std::find_if(preview->sources.begin(), preview->sources.end(),
                     [&](const PackageSource& x) { return x.data_source_id == f.data_source_id; });
    if (s == preview->sources.end()) {
      return Fail(Errc::kInvalidArgument,
                  at + "data_source_id: the package holds no data from this source");
    }
    const PackageCollection* c = FindCollection(*s, f.collection);
    if (c == nullptr) {
      return Fail(Errc::kInvalidArgument,
                  at + "collection: the package holds no collection of that name for this source");
    }
    if (std::find(c->columns.begin(), c->columns.end(), f.column) == c->columns.end()) {
      return Fail(Errc::kInvalidArgument, at + "column: the collection has no column of that name");
    }
  }
  const UnixTime now = clock_.Now();
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto q = tx.Requests().Get(request_id);
    if (!q) return tl::unexpected(q.error());
    if (q->status != RequestStatus::kReply) {
      return Fail(Errc::kConflict, std::string("the request is ") + RequestStatusName(q->status) +
                                       ": a package is redacted only before the reply");
    }
    auto p = tx.Packages().FindByRequest(request_id);
    if (!p) return tl::unexpected(p.error());
    std::set<std::string> keys = ParseRedactions(p->redactions);
    std::string detail = "{\"fields\":[";
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      keys.insert(FieldKey(f.data_source_id, f.collection, f.column));
      detail += (i ? "," : "") + std::string("{\"data_source_id\":") +
                JsonString(f.data_source_id) + ",\"collection\":" + JsonString(f.collection) +
                ",\"column\":" + JsonString(f.column) + "}";
    }
    detail += "]}";
    p->redactions = RedactionsJson(keys);
    if (auto s = tx.Packages().Put(*p); !s) return s;
    if (auto s = QueuePackageBuild(tx, *q, now); !s) return s;
    return AppendAudit(tx, actor, request_id, "package.redacted", detail, now);
  });
  if (!st) return tl::unexpected(st.error());
  return Preview(request_id);
}

Status PackageService::Purge() {
  const UnixTime now = clock_.Now();
  Result<std::vector<Package>> expired = std::vector<Package>{};
  if (auto st = store_.Read([&](Transaction& tx) -> Status {
        expired = tx.Packages().ListExpired(now, 100);
        return {};
      });
      !st) {
    return st;
  }
  if (!expired) return tl::unexpected(expired.error());
  for (const Package& found : *expired) {
    Status st = store_.Write([&](Transaction& tx) -> Status {
      auto p = tx.Packages().FindByRequest(found.request_id);
      if (!p) return tl::unexpected(p.error());
      if (p->status == "expired" || p->expires_at > now || p->expires_at == 0) return {};
      if (!p->stream.empty()) {
        if (auto s = tx.Chunks().DeleteStream(p->stream); !s) return s;
      }
      auto tasks = tx.Tasks().ListForRequest(p->request_id);
      if (!tasks) return tl::unexpected(tasks.error());
      for (const Task& t : *tasks) {
        if (auto s = tx.Chunks().DeleteStream(SpoolStream(t.id)); !s) return s;
      }
      const std::int64_t bytes = p->bytes;
      p->status = "expired";
      p->stream.clear();
      p->bytes = 0;
      p->chunks = 0;
      p->updated_at = now;
      if (auto s = tx.Packages().Put(*p); !s) return s;
      return AppendAudit(tx, "system", p->request_id, "package.purged",
                         "{\"bytes\":" + std::to_string(bytes) +
                             ",\"downloads\":" + std::to_string(p->downloads) + "}",
                         now);
    });
    if (!st) return st;
  }
  return {};
}

}  // namespace rd::core
