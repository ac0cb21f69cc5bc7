#include "scan/scanner.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>

namespace rd::scan {
namespace {

const char* IdentityOf(const std::string& category) {
  if (category == "user.contact.email") return "email";
  if (category == "user.contact.phone_number") return "phone_number";
  return nullptr;
}

}  // namespace

std::string DatasetKey(const std::string& name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "dataset_" + out;
  if (out.back() == '_') out.pop_back();
  return out;
}

std::string ProposeDataset(const std::string& fides_key, const std::string& name,
                           const std::vector<SampledTable>& tables,
                           const std::vector<ColumnClassification>& columns) {
  std::map<std::pair<std::string, std::string>, const ColumnClassification*> by_field;
  for (const auto& c : columns) by_field[{c.collection, c.field}] = &c;

  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "dataset" << YAML::Value << YAML::BeginSeq;
  y << YAML::BeginMap;
  y << YAML::Key << "fides_key" << YAML::Value << fides_key;
  y << YAML::Key << "name" << YAML::Value << name;
  y << YAML::Key << "description" << YAML::Value
    << "Proposed by rightsdesk scan from sampled values; review before use.";
  y << YAML::Key << "collections" << YAML::Value << YAML::BeginSeq;
  for (const SampledTable& t : tables) {
    y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << t.name;
    y << YAML::Key << "fields" << YAML::Value << YAML::BeginSeq;
    for (const ColumnSample& col : t.columns) {
      y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << col.field;
      const auto it = by_field.find({t.name, col.field});
      const std::string category = it != by_field.end() ? it->second->category : std::string();
      const bool pk =
          std::find(t.primary_key.begin(), t.primary_key.end(), col.field) != t.primary_key.end();
      std::vector<const ForeignKey*> refs;
      for (const auto& fk : t.foreign_keys) {
        if (fk.column == col.field) refs.push_back(&fk);
      }
      if (!category.empty()) {
        y << YAML::Key << "data_categories" << YAML::Value << YAML::Flow << YAML::BeginSeq
          << category << YAML::EndSeq;
      } else if (pk || !refs.empty()) {
        y << YAML::Key << "data_categories" << YAML::Value << YAML::Flow << YAML::BeginSeq
          << "system.operations" << YAML::EndSeq;
      }
      const char* identity = IdentityOf(category);
      if (identity || pk || !refs.empty()) {
        y << YAML::Key << "fides_meta" << YAML::Value << YAML::BeginMap;
        if (identity) {
          y << YAML::Key << "identity" << YAML::Value << identity;
          y << YAML::Key << "data_type" << YAML::Value << "string";
        }
        if (pk) y << YAML::Key << "primary_key" << YAML::Value << true;
        if (!refs.empty()) {
          y << YAML::Key << "references" << YAML::Value << YAML::BeginSeq;
          for (const ForeignKey* fk : refs) {
            y << YAML::BeginMap << YAML::Key << "dataset" << YAML::Value << fides_key << YAML::Key
              << "field" << YAML::Value << fk->ref_table + "." + fk->ref_column << YAML::Key
              << "direction" << YAML::Value << "from" << YAML::EndMap;
          }
          y << YAML::EndSeq;
        }
        y << YAML::EndMap;
      }
      y << YAML::EndMap;
    }
    y << YAML::EndSeq << YAML::EndMap;
  }
  y << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

core::Result<Scanner> Scanner::Create(const ValueDetectors& detectors,
                                      const FirstNames& first_names) {
  auto scratch = detectors.NewScratch();
  if (!scratch) return tl::unexpected(scratch.error());
  return Scanner(detectors, first_names, std::move(*scratch));
}

Scanner::Scanner(const ValueDetectors& detectors, const FirstNames& first_names,
                 ValueDetectors::Scratch scratch)
    : detectors_(&detectors), first_names_(&first_names), scratch_(std::move(scratch)) {}

ScanReport Scanner::Classify(std::vector<SampledTable> tables, const std::string& dataset_name,
                             const ProgressFn& progress) {
  ScanReport report;
  const ColumnClassifier classifier(*detectors_, *first_names_);
  int done = 0;
  for (SampledTable& t : tables) {
    for (ColumnSample& col : t.columns) {
      report.columns.push_back(classifier.Classify(col, scratch_));
      col.values.clear();
      col.values.shrink_to_fit();
    }
    if (progress) progress(++done, static_cast<int>(tables.size()));
  }
  report.dataset_yaml =
      ProposeDataset(DatasetKey(dataset_name), dataset_name, tables, report.columns);
  report.tables = std::move(tables);
  return report;
}

core::Result<ScanReport> Scanner::ScanSql(const std::string& url, int sample_rows,
                                          const std::string& dataset_name,
                                          const ProgressFn& progress) {
  int total = 0;
  auto tables = SampleSqlSource(url, sample_rows, [&](int done, int n) {
    total = n;
    if (progress) progress(done, 2 * n);
  });
  if (!tables) return tl::unexpected(tables.error());
  return Classify(std::move(*tables), dataset_name, [&](int done, int) {
    if (progress) progress(total + done, 2 * total);
  });
}

core::Result<ScanReport> Scanner::ScanFile(const std::string& path, int sample_rows) {
  auto table = SampleFile(path, sample_rows);
  if (!table) return tl::unexpected(table.error());
  std::vector<SampledTable> tables;
  tables.push_back(std::move(*table));
  return Classify(std::move(tables), std::filesystem::path(path).stem().string(), nullptr);
}

}  // namespace rd::scan
