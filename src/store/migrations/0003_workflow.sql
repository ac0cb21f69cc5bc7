-- The workflow after review: holds and the one extension, data sources chosen per request
-- type, tasks that keep a copy of what they were created from, the do-not-mail suppression
-- list and the request types an admin switched off or added (custom rights).

-- hold_reason is set while on hold.
ALTER TABLE privacy_requests ADD COLUMN hold_reason TEXT;
ALTER TABLE privacy_requests ADD COLUMN held_at BIGINT;
-- extended_at is set once the one extension is used.
ALTER TABLE privacy_requests ADD COLUMN extended_at BIGINT;
ALTER TABLE privacy_requests ADD COLUMN extension_reason TEXT;

-- Comma-separated request type keys the source handles; empty: every type.
ALTER TABLE data_sources ADD COLUMN request_types TEXT NOT NULL DEFAULT '';
-- Deleted sources stay, archived, so that the tasks and history that name them still read.
ALTER TABLE data_sources ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;

-- A task keeps what it was created from (the source may change later): evidence.
ALTER TABLE tasks ADD COLUMN source_name TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN instructions TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN completed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN completed_at BIGINT;
ALTER TABLE tasks ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tasks_status ON tasks(status, updated_at);

-- Addresses that must never be mailed again (do_not_mail). Kept after the request's
-- retention: that is its purpose. email_sha256 is the plain SHA-256 of the normalized address,
-- the form email platforms accept for hashed suppression lists.
CREATE TABLE suppression (
  identity_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  email_sha256 TEXT NOT NULL,
  request_id TEXT,
  added_at BIGINT NOT NULL
);
CREATE INDEX suppression_added ON suppression(added_at, identity_hash);

-- Built-in request types an admin configured (switched off, renamed) and custom rights.
CREATE TABLE request_types (
  type_key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  builtin INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  deadline_days INTEGER NOT NULL DEFAULT 0,  -- custom rights: calendar days; 0: jurisdiction rule
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
