-- Foundation: users and their access, privacy requests, the inventory's data sources, tasks,
-- the conversation, templates, the job queue and the hash-chained audit log.
-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Times are Unix seconds (BIGINT);
-- booleans are INTEGER 0/1; identifiers are application-generated text.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE privacy_requests (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  channel TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '',
  -- The subject as given; searchable only through request_identities' keyed hashes.
  subject_email TEXT NOT NULL,
  subject_name TEXT NOT NULL DEFAULT '',
  subject_phone TEXT NOT NULL DEFAULT '',
  received_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  assignee TEXT REFERENCES users(id) ON DELETE SET NULL,
  updated_at BIGINT NOT NULL
);
-- The inbox lists by due date, optionally within one status.
CREATE INDEX privacy_requests_due ON privacy_requests(due_at, id);
CREATE INDEX privacy_requests_status_due ON privacy_requests(status, due_at, id);
CREATE INDEX privacy_requests_assignee ON privacy_requests(assignee, due_at, id);

-- Keyed hashes (HMAC) of the subject's normalized identities, so that a search by email is an
-- index lookup without a plain-text index of personal data, and the hash outlives retention.
CREATE TABLE request_identities (
  request_id TEXT NOT NULL REFERENCES privacy_requests(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value_hash TEXT NOT NULL,
  PRIMARY KEY (request_id, kind)
);
CREATE INDEX request_identities_hash ON request_identities(value_hash);

CREATE TABLE data_sources (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  catalog_id TEXT,
  category TEXT NOT NULL,
  process TEXT NOT NULL,
  request_handling INTEGER NOT NULL DEFAULT 0,
  contact_email TEXT,
  instructions TEXT,
  connector TEXT,
  dataset TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES privacy_requests(id) ON DELETE CASCADE,
  data_source_id TEXT REFERENCES data_sources(id),
  process TEXT NOT NULL,
  status TEXT NOT NULL,
  result TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_request ON tasks(request_id);

-- The conversation of a request: every email in or out, and portal messages.
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES privacy_requests(id) ON DELETE CASCADE,
  direction TEXT NOT NULL,
  sender TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_request ON messages(request_id, created_at);

CREATE TABLE templates (
  template_key TEXT PRIMARY KEY,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT
);

-- Durable jobs (outbox): written in the transaction of the change that causes them.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  worker TEXT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_claim ON jobs(status, run_at);

-- Append-only, hash-chained. No foreign key to privacy_requests: the audit outlives the
-- request's personal data (retention).
CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  request_id TEXT,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_events_request ON audit_events(request_id, seq);

-- The chain's head: appenders lock this one row, so that concurrent processes extend one
-- chain; verification also compares it, so removing the newest events is detected.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
