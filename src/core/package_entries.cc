#include "core/package_entries.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/json_text.h"
#include "core/package_format.h"
#include "core/sealed_stream.h"

namespace rd::core {

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

const PackageCollection* FindCollection(const PackageSource& s, const std::string& name) {
  for (const auto& c : s.collections) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

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

namespace {

constexpr std::size_t kPieceBytes = 64 * 1024;

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

// <source>.json: {"source", "data_source_id", "exported_at", "collections": [{"name", "rows":
// [...]}, ...]}, a group per run of rows of one collection.
class SourceJsonReader final : public SpoolEntry {
 public:
  SourceJsonReader(Store& store, const Crypto& crypto, const PackageSource& source,
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
class CollectionCsvReader final : public SpoolEntry {
 public:
  CollectionCsvReader(Store& store, const Crypto& crypto, const PackageSource& source,
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

class TextReader final : public EntryReader {
 public:
  explicit TextReader(std::string text) : text_(std::move(text)) {}
  Result<std::string> Next() override { return std::exchange(text_, std::string()); }

 private:
  std::string text_;
};

}  // namespace

std::unique_ptr<EntryReader> SourceJsonEntry(Store& store, const Crypto& crypto,
                                             const PackageSource& source, std::string exported_at) {
  return std::make_unique<SourceJsonReader>(store, crypto, source, std::move(exported_at));
}

std::unique_ptr<EntryReader> CollectionCsvEntry(Store& store, const Crypto& crypto,
                                                const PackageSource& source,
                                                const PackageCollection& collection) {
  return std::make_unique<CollectionCsvReader>(store, crypto, source, collection);
}

std::unique_ptr<EntryReader> TextEntry(std::string text) {
  return std::make_unique<TextReader>(std::move(text));
}

}  // namespace rd::core
