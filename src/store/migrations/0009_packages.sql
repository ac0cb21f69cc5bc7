-- Copy packages (PRODUCT.md section 4). A copy task's export is spooled, and the package built
-- from the spools is stored, as sealed chunks (sealed_chunks: secretbox under a key derived
-- from the master key and the stream, the chunk's number inside the box), in the database so
-- that any worker process can read what another wrote. Nothing personal in plain text here:
-- the package row holds counts, column names and the download token's hash.
CREATE TABLE packages (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE REFERENCES privacy_requests(id),
  status TEXT NOT NULL,
  stream TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL DEFAULT '',
  token_sealed TEXT NOT NULL DEFAULT '',
  redactions TEXT NOT NULL DEFAULT '{}',
  summary TEXT NOT NULL DEFAULT '{}',
  bytes BIGINT NOT NULL DEFAULT 0,
  chunks BIGINT NOT NULL DEFAULT 0,
  downloads BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX packages_token ON packages (token_hash);
CREATE INDEX packages_expires ON packages (status, expires_at);
CREATE TABLE sealed_chunks (
  stream TEXT NOT NULL,
  seq BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (stream, seq)
);
