-- System discovery: systems seen in mailbox headers, SSO/app exports and DNS records, proposed
-- to the admin, who accepts (a data source is created) or dismisses each. One row per source
-- kind and match key (the registrable domain, or "app:<name>" for an SSO app without one): a
-- re-run merges its counts into the row. No personal data: recipients is a count only.
CREATE TABLE discovery_findings (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,             -- mailbox | sso | dns
  match_key TEXT NOT NULL,
  domain TEXT NOT NULL DEFAULT '',
  catalog_id TEXT,
  name TEXT NOT NULL DEFAULT '',
  messages BIGINT NOT NULL DEFAULT 0,
  first_seen BIGINT,
  last_seen BIGINT,
  recipients BIGINT NOT NULL DEFAULT 0,
  signals TEXT NOT NULL DEFAULT '',  -- comma-separated: from, return_path, dkim, spf, ...
  status TEXT NOT NULL DEFAULT 'new',  -- new | accepted | dismissed
  data_source_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX discovery_findings_key ON discovery_findings(source, match_key);
CREATE INDEX discovery_findings_status ON discovery_findings(status, created_at);
