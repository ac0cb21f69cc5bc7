-- Integrations: what the pre-scan found for a request in review, per integration source.
-- collections is JSON text {collection: rows found}; counts only, never the rows.
CREATE TABLE prescans (
  request_id TEXT NOT NULL,
  data_source_id TEXT NOT NULL,
  found BIGINT NOT NULL DEFAULT 0,
  collections TEXT NOT NULL DEFAULT '{}',
  error TEXT NOT NULL DEFAULT '',
  scanned_at BIGINT NOT NULL,
  PRIMARY KEY (request_id, data_source_id)
);
