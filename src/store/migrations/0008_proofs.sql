-- An authorized agent's proof of authority (PRODUCT.md section 5): one per request, replaced on
-- re-upload. The file name and the content are sealed under a key derived from the master key
-- ("sb1:" + hex); media type, size and hash are kept in clear for the console and the audit.
CREATE TABLE proofs (
  request_id TEXT PRIMARY KEY REFERENCES privacy_requests(id) ON DELETE CASCADE,
  media_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  sealed_name TEXT NOT NULL,
  sealed_content TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL
);
