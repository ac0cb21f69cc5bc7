#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "scan/column_classifier.h"
#include "scan/source.h"

namespace rd::scan {

// The outcome of one scan: every column's classification, the tables' keys, and the proposed
// Fides dataset.
struct ScanReport {
  std::vector<ColumnClassification> columns;  // in table order, then column order
  std::vector<SampledTable> tables;           // schema only: sampled values are dropped
  std::string dataset_yaml;                   // the proposed dataset (Fides YAML)
};

// The Fides dataset YAML a scan proposes: one collection per table, every field, the
// classified fields with their data category, `fides_meta.identity` on email and phone
// fields, `primary_key` on key columns, and `references` (direction "from": the referenced
// key feeds this field) from foreign keys. `fides_key` is made of [a-z0-9_].
std::string ProposeDataset(const std::string& fides_key, const std::string& name,
                           const std::vector<SampledTable>& tables,
                           const std::vector<ColumnClassification>& columns);

// "Customer DB (EU)" -> "customer_db_eu"; never empty.
std::string DatasetKey(const std::string& name);

// Samples a source, classifies every column and proposes the dataset. Holds no state between
// scans; one Scanner per thread (it owns the Vectorscan scratch space).
class Scanner {
 public:
  // `detectors` and `first_names` outlive the Scanner. kInternal when the scratch space cannot
  // be allocated.
  [[nodiscard]] static core::Result<Scanner> Create(const ValueDetectors& detectors,
                                                    const FirstNames& first_names);

  // A SQL database (SampleSqlSource's URLs and errors). `progress` gets (done, total) steps:
  // each table once when sampled and once when classified.
  [[nodiscard]] core::Result<ScanReport> ScanSql(const std::string& url, int sample_rows,
                                                 const std::string& dataset_name,
                                                 const ProgressFn& progress);
  // A CSV, JSON lines or text file (SampleFile's formats and errors).
  [[nodiscard]] core::Result<ScanReport> ScanFile(const std::string& path, int sample_rows);

  // Classifies tables already sampled (the part of a scan that does not touch the source).
  ScanReport Classify(std::vector<SampledTable> tables, const std::string& dataset_name,
                      const ProgressFn& progress);

 private:
  Scanner(const ValueDetectors& detectors, const FirstNames& first_names,
          ValueDetectors::Scratch scratch);
  const ValueDetectors* detectors_;
  const FirstNames* first_names_;
  ValueDetectors::Scratch scratch_;
};

}  // namespace rd::scan
