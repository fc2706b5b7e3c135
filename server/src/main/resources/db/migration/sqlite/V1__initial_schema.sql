-- Parley schema, SQLite dialect. The DML in the stores is portable SQL; only DDL is per vendor.

CREATE TABLE accounts (
    username            TEXT    NOT NULL PRIMARY KEY,
    signing_key         BLOB    NOT NULL,  -- Ed25519 public identity key, 32 bytes
    dh_key              BLOB    NOT NULL,  -- X25519 public identity key, 32 bytes
    identity_binding    BLOB    NOT NULL,  -- Ed25519 signature binding dh_key to signing_key
    recovery_hash       BLOB    NOT NULL,  -- SHA-256 of the recovery code the client generated
    capabilities_flags  INTEGER,           -- signed capabilities, uploaded with prekeys
    capabilities_sig    BLOB,
    created_at          INTEGER NOT NULL,  -- ms since epoch
    identity_since      INTEGER NOT NULL   -- ms since epoch of the current identity
);

CREATE TABLE signed_prekeys (
    username    TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    signature   BLOB    NOT NULL
);

CREATE TABLE kem_last_resort_prekeys (
    username    TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    signature   BLOB    NOT NULL
);

CREATE TABLE one_time_prekeys (
    username    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    PRIMARY KEY (username, key_id)
);

CREATE TABLE kem_one_time_prekeys (
    username    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    signature   BLOB    NOT NULL,
    PRIMARY KEY (username, key_id)
);

-- The delivery queue. A row is written before the sender's "stored" ack. When the recipient
-- acknowledges, the envelope is erased (set to NULL) and the row stays as a tombstone until
-- expires_at, so that a resent message id is recognised and not queued twice.
CREATE TABLE messages (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient   TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    envelope    TEXT,
    server_time INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    UNIQUE (recipient, sender, message_id)
);

CREATE INDEX messages_pending ON messages (recipient, seq) WHERE envelope IS NOT NULL;
CREATE INDEX messages_expiry ON messages (expires_at);
