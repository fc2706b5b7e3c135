-- Attachment blobs (docs/PROTOCOL.md §9). The bytes are files of the blob store (one per blob,
-- named by its id); this table says what each one is. A blob is 'pending' from blob_upload
-- until its last byte arrives, then 'complete' (downloadable). expires_at is the end of the
-- upload window while pending, the end of its life (--blob-ttl) once complete; the sweep
-- deletes the file, then the row. The upload token is kept only as its SHA-256.
CREATE TABLE blobs (
    id          TEXT    NOT NULL PRIMARY KEY,  -- 16 random bytes, base64url (22 characters)
    owner       TEXT    NOT NULL,              -- the account that asked for the upload
    size        INTEGER NOT NULL,              -- declared length in bytes; the quota counts it
    received    INTEGER NOT NULL DEFAULT 0,    -- bytes stored so far (durably, in order)
    token_hash  BLOB    NOT NULL,              -- SHA-256 of the upload token, never the token
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'complete')),
    created_at  INTEGER NOT NULL,              -- ms since epoch
    expires_at  INTEGER NOT NULL,              -- ms since epoch
    CHECK (received >= 0 AND received <= size)
);

CREATE INDEX blobs_owner ON blobs (owner);
CREATE INDEX blobs_expiry ON blobs (expires_at);
