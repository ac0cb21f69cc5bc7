#include "core/package_service.h"

#include <algorithm>

#include "core/audit_trail.h"
#include "core/json_text.h"
#include "core/package_format.h"
#include "core/sealed_stream.h"

namespace rd::core {
namespace {

constexpr char kSep = '\x1f';
constexpr std::size_t kPieceBytes = 64 * 1024;

std::string FieldKey(const std::string& ds, const std::string& collection,
                     const std::string& column) {
  return ds + kSep + collection + kSep + column;
}

std::string TokenHash(const Crypto& crypto, const std::string& token) {
  return crypto.IdentityHash("package-token:" + token);
}

// One spooled row: the collection's name and the row's JSON text.
struct SpoolLine {
  std::string collection;
  std::string row;
};

Result<SpoolLine> SplitLine(const std::string& line) {
  const auto tab = line.find('\t');
  if (tab == std::string::npos) return Fail(Errc::kInternal, "spool: a line without a tab");
  auto name = ParseFlatObject("{" + line.substr(0, tab) + ":null}");
  if (!name || name->size() != 1) return Fail(Errc::kInternal, "spool: a bad collection name");
  return SpoolLine{std::move((*name)[0].key), line.substr(tab + 1)};
}

// The row without the redacted columns of its collection, as JSON text.
std::string RedactRow(const std::string& row, const std::vector<std::string>& redacted) {
  if (redacted.empty()) return row;
  auto members = ParseFlatObject(row);
  if (!members) return "{}";
  std::string out = "{";
  for (const auto& m : *members) {
    if (std::find(redacted.begin(), redacted.end(), m.key) != redacted.end()) continue;
    out += (out.size() > 1 ? "," : "") + JsonString(m.key) + ":" + m.raw;
  }
  return out + "}";
}

// Reads a source's spool and hands out entry pieces of about 64 KiB.
class SpoolEntry : public EntryReader {
 public:
  SpoolEntry(Store& store, const Crypto& crypto, const std::string& task_id)
      : lines_(store, crypto, SpoolStream(task_id)) {}

  Result<std::string> Next() override {
    std::string out;
    while (out.size() < kPieceBytes && !done_) {
      auto line = lines_.Next();
      if (!line) return tl::unexpected(line.error());
      if (!*line) {
        done_ = true;
        End(out);
        break;
      }
      if ((*line)->empty()) continue;
      auto parsed = SplitLine(**line);
      if (!parsed) return tl::unexpected(parsed.error());
      Line(*parsed, out);
    }
    return out;
  }

 protected:
  virtual void Line(const SpoolLine& l, std::string& out) = 0;
  virtual void End(std::string& out) = 0;

 private:
  SealedLineReader lines_;
  bool done_ = false;
};

const PackageCollection* FindCollection(const PackageSource& s, const std::string& name) {
  for (const auto& c : s.collections) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// <source>.json: {"source", "data_source_id", "exported_at", "collections": [{"name", "rows":
// [...]}, ...]}, a group per run of rows of one collection.
class SourceJsonEntry final : public SpoolEntry {
 public:
  SourceJsonEntry(Store& store, const Crypto& crypto, const PackageSource& source,
                  std::string exported_at)
      : SpoolEntry(store, crypto, source.task_id), source_(source) {
    head_ = "{\"source\":" + JsonString(source.name) +
            ",\"data_source_id\":" + JsonString(source.data_source_id) +
            ",\"exported_at\":" + JsonString(exported_at) + ",\"collections\":[";
  }

 protected:
  void Line(const SpoolLine& l, std::string& out) override {
    Head(out);
    if (!current_ || l.collection != *current_) {
      if (current_) out += "]},";
      out += "\n{\"name\":" + JsonString(l.collection) + ",\"rows\":[";
      current_ = l.collection;
      first_ = true;
    }
    const PackageCollection* c = FindCollection(source_, l.collection);
    out += (first_ ? "\n" : ",\n") + RedactRow(l.row, c ? c->redacted : kNone);
    first_ = false;
  }
  void End(std::string& out) override {
    Head(out);
    if (current_) out += "]}";
    out += "\n]}\n";
  }

 private:
  void Head(std::string& out) {
    if (head_.empty()) return;
    out += head_;
    head_.clear();
  }
  inline static const std::vector<std::string> kNone;
  const PackageSource& source_;
  std::string head_;
  std::optional<std::string> current_;
  bool first_ = true;
};

// <source>/<collection>.csv: a header of the collection's columns (redacted ones left out),
// then one line per row of that collection.
class CollectionCsvEntry final : public SpoolEntry {
 public:
  CollectionCsvEntry(Store& store, const Crypto& crypto, const PackageSource& source,
                     const PackageCollection& collection)
      : SpoolEntry(store, crypto, source.task_id), collection_(collection) {
    for (const auto& col : collection.columns) {
      if (std::find(collection.redacted.begin(), collection.redacted.end(), col) ==
          collection.redacted.end()) {
        columns_.push_back(col);
      }
    }
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      head_ += (i ? "," : "") + CsvField(columns_[i], false);
    }
    head_ += "\r\n";
  }

 protected:
  void Line(const SpoolLine& l, std::string& out) override {
    Head(out);
    if (l.collection != collection_.name) return;
    auto members = ParseFlatObject(l.row);
    if (!members) return;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i) out.push_back(',');
      for (const auto& m : *members) {
        if (m.key == columns_[i]) {
          out += CsvField(m.text, m.is_string);
          break;
        }
      }
    }
    out += "\r\n";
  }
  void End(std::string& out) override { Head(out); }

 private:
  void Head(std::string& out) {
    if (head_.empty()) return;
    out += head_;
    head_.clear();
  }
  const PackageCollection& collection_;
  std::vector<std::string> columns_;
  std::string head_;
};

class TextEntry final : public EntryReader {
 public:
  explicit TextEntry(std::string text) : text_(std::move(text)) {}
  Result<std::string> Next() override { return std::exchange(text_, std::string()); }

 private:
  std::string text_;
};

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

std::string IndexHtml(const std::string& org, const PrivacyRequest& q,
                      const std::vector<PackageSource>& sources,
                      const std::map<const PackageCollection*, std::string>& csv_names,
                      const std::map<const PackageSource*, std::string>& json_names, UnixTime now) {
  std::int64_t total = 0;
  for (const auto& s : sources) {
    for (const auto& c : s.collections) total += c.rows;
  }
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Your personal data - " +
      HtmlEscape(q.reference) +
      "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 "
      "1em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;"
      "text-align:left}</style></head><body>\n<h1>Your personal data</h1>\n<p>" +
      HtmlEscape(org) +
      " prepared this copy of the personal data it holds about you in answer to "
      "your request <strong>" +
      HtmlEscape(q.reference) + "</strong> of " + FormatDate(q.received_at) +
      ". It was put together on " + FormatDate(now) + " from " + std::to_string(sources.size()) +
      " system" + (sources.size() == 1 ? "" : "s") + " and holds " + std::to_string(total) +
      " record" + (total == 1 ? "" : "s") +
      ".</p>\n<p>Each system has a JSON file (machine-readable, for moving your data elsewhere) "
      "and one CSV file per kind of record, which a spreadsheet program opens.</p>\n";
  for (const auto& s : sources) {
    h += "<h2>" + HtmlEscape(s.name) + "</h2>\n<p>All records of this system: <a href=\"" +
         HtmlEscape(json_names.at(&s)) + "\">" + HtmlEscape(json_names.at(&s)) + "</a></p>\n";
    if (s.collections.empty()) {
      h += "<p>We found no records about you in this system.</p>\n";
      continue;
    }
    h += "<table><tr><th>Kind of record</th><th>Records</th><th>Fields</th><th>File</th></tr>\n";
    for (const auto& c : s.collections) {
      std::string cols;
      for (const auto& col : c.columns) {
        if (std::find(c.redacted.begin(), c.redacted.end(), col) != c.redacted.end()) continue;
        cols += (cols.empty() ? "" : ", ") + HtmlEscape(col);
      }
      const std::string& file = csv_names.at(&c);
      h += "<tr><td>" + HtmlEscape(c.name) + "</td><td>" + std::to_string(c.rows) + "</td><td>" +
           cols + "</td><td><a href=\"" + HtmlEscape(file) + "\">" + HtmlEscape(file) +
           "</a></td></tr>\n";
    }
    h += "</table>\n";
  }
  h += "<p>If something is missing or wrong, answer the email that brought you this link.</p>\n"
       "</body></html>\n";
  return h;
}

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
  entries.push_back({"index.html", [&]() -> Result<std::unique_ptr<EntryReader>> {
                       return std::unique_ptr<EntryReader>(std::make_unique<TextEntry>(index));
                     }});
  const std::string exported_at = FormatDate(now);
  for (const auto& s : *sources) {
    entries.push_back({json_names[&s], [&, src = &s]() -> Result<std::unique_ptr<EntryReader>> {
                         return std::unique_ptr<EntryReader>(
                             std::make_unique<SourceJsonEntry>(store_, crypto_, *src, exported_at));
                       }});
    for (const auto& c : s.collections) {
      entries.push_back(
          {csv_names[&c], [&, src = &s, col = &c]() -> Result<std::unique_ptr<EntryReader>> {
             return std::unique_ptr<EntryReader>(
                 std::make_unique<CollectionCsvEntry>(store_, crypto_, *src, *col));
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
  SealedStreamReader reader(store_, crypto_, package.stream);
  out.body.reserve(static_cast<std::size_t>(package.bytes));
  while (true) {
    auto chunk = reader.Next();
    if (!chunk) return tl::unexpected(chunk.error());
    if (!*chunk) break;
    out.body += **chunk;
  }
  out.filename = "data-" + FileSlug(request.reference) + ".zip";
  st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.Packages().CountDownload(package.id); !s) return s;
    return AppendAudit(tx, "subject", package.request_id, "package.downloaded",
                       "{\"downloads\":" + std::to_string(package.downloads + 1) +
                           ",\"bytes\":" + std::to_string(out.body.size()) + "}",
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
