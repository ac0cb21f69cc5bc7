-- The latest personal-data scan of each data source (auto-discovery, PRODUCT.md section 2):
-- the job running it, its progress, and its result (the classified columns as JSON and the
-- proposed Fides dataset as YAML). Column names and categories only: no sampled values.
CREATE TABLE source_scans (
  data_source_id TEXT PRIMARY KEY REFERENCES data_sources(id),
  job_id TEXT NOT NULL,
  status TEXT NOT NULL,
  progress_done INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  columns_json TEXT NOT NULL DEFAULT '[]',
  dataset TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  requested_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
