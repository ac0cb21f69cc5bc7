-- Request handling: who is asking, how they proved it, the subject's status link, the
-- conversation's delivery state and review decisions.

ALTER TABLE privacy_requests ADD COLUMN requester_type TEXT NOT NULL DEFAULT 'consumer';
ALTER TABLE privacy_requests ADD COLUMN corrections TEXT NOT NULL DEFAULT '';
ALTER TABLE privacy_requests ADD COLUMN verified_at BIGINT;
ALTER TABLE privacy_requests ADD COLUMN verification_method TEXT;
-- SHA-256 of the secret in the subject's status link; the secret itself is only in the email.
ALTER TABLE privacy_requests ADD COLUMN status_token_hash TEXT;

-- The open email-verification challenge of an unverified request: the 6-digit code and the
-- link token are stored as keyed hashes, never in clear.
CREATE TABLE verifications (
  request_id TEXT PRIMARY KEY REFERENCES privacy_requests(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  link_token_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

-- Messages are the request's conversation; outgoing email is delivered by the job queue, so a
-- message records its recipient and when the mail server accepted it.
ALTER TABLE messages ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN sent_at BIGINT;

-- Review decisions.
ALTER TABLE privacy_requests ADD COLUMN rejection_reason TEXT;
ALTER TABLE privacy_requests ADD COLUMN rejection_note TEXT NOT NULL DEFAULT '';
