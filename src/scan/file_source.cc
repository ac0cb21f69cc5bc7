#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "scan/source.h"

namespace rd::scan {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks).
// False at the end of the input.
bool ReadCsvRecord(std::istream& in, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, any = false;
  char c;
  while (in.get(c)) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          in.get(c);
          field.push_back('"');
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      field.push_back(c);
    }
  }
  if (!any) return false;
  fields.push_back(std::move(field));
  return true;
}

std::string JsonText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace

core::Result<SampledTable> SampleFile(const std::string& path, int sample_rows) {
  if (sample_rows < 1 || sample_rows > kMaxSampleRows) {
    return core::Fail(core::Errc::kInvalidArgument, "sample: between 1 and 100000 rows");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return core::Fail(core::Errc::kInvalidArgument, "file: no such file " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Fail(core::Errc::kInvalidArgument, "file: cannot read " + path);
  SampledTable t;
  t.name = std::filesystem::path(path).stem().string();
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  if (EndsWith(lower, ".csv")) {
    std::vector<std::string> fields;
    if (!ReadCsvRecord(in, fields) || (fields.size() == 1 && fields[0].empty())) {
      return core::Fail(core::Errc::kInvalidArgument, "file: the CSV has no header row");
    }
    for (auto& f : fields) t.columns.push_back({t.name, f, "", {}});
    while (t.rows_sampled < sample_rows && ReadCsvRecord(in, fields)) {
      if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
      ++t.rows_sampled;
      for (std::size_t i = 0; i < fields.size() && i < t.columns.size(); ++i) {
        if (!fields[i].empty()) t.columns[i].values.push_back(std::move(fields[i]));
      }
    }
    return t;
  }
  std::string line;
  if (EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson")) {
    std::map<std::string, std::size_t> index;
    long long number = 0;
    while (t.rows_sampled < sample_rows && std::getline(in, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const auto doc = nlohmann::json::parse(line, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) {
        return core::Fail(core::Errc::kInvalidArgument,
                          "file: line " + std::to_string(number) + " is not a JSON object");
      }
      ++t.rows_sampled;
      for (const auto& [key, value] : doc.items()) {
        if (value.is_null()) continue;
        auto [it, added] = index.emplace(key, t.columns.size());
        if (added) t.columns.push_back({t.name, key, "", {}});
        t.columns[it->second].values.push_back(JsonText(value));
      }
    }
    return t;
  }
  t.columns.push_back({t.name, "text", std::string(kFreeText), {}});
  while (t.rows_sampled < sample_rows && std::getline(in, line)) {
    ++t.rows_sampled;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) t.columns[0].values.push_back(std::move(line));
  }
  return t;
}

}  // namespace rd::scan
