-- Linked devices (docs/design/LINKED-DEVICES.md, docs/PROTOCOL.md §4a): an account has up to 6
-- devices, named by the account's signed device list; prekeys and queues are per device.
--
-- Accounts created before this version have no list. Their prekeys and queued messages become
-- device 1's; their device 1 logs in once with the identity-signed login, publishes list
-- version 1 listing itself, and only then is routed to (docs/OPERATIONS.md, "Upgrading to
-- linked devices").

-- The latest signed list per account: the list's header and signature here, its entries in
-- device_list_entries. max_device_id is the largest id the account has ever listed (ids are
-- never reused within one identity).
CREATE TABLE device_lists (
    username      TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    issued_at     INTEGER NOT NULL,
    signature     BLOB    NOT NULL,  -- Ed25519 by the account's identity over parley-device-list-v1
    max_device_id INTEGER NOT NULL
);

CREATE TABLE device_list_entries (
    username   TEXT    NOT NULL REFERENCES device_lists (username) ON DELETE CASCADE,
    device_id  INTEGER NOT NULL,
    device_key BLOB    NOT NULL,  -- Ed25519 device key DKs, 32 bytes
    linked_at  INTEGER NOT NULL,
    PRIMARY KEY (username, device_id)
) WITHOUT ROWID;

-- The server's device rows: what get_devices reports as "servers". Routing and logins follow
-- the signed list; a row without a list entry receives nothing and cannot log in.
CREATE TABLE devices (
    username           TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id          INTEGER NOT NULL,
    device_key         BLOB    NOT NULL,
    linked_at          INTEGER NOT NULL,
    last_seen          INTEGER,            -- ms since epoch of the device's last login or logout
    capabilities_flags INTEGER,            -- signed capabilities, uploaded with prekeys
    capabilities_sig   BLOB,
    PRIMARY KEY (username, device_id)
) WITHOUT ROWID;

-- Link channels: a new device's sealed request, waiting for an approval by one of the
-- account's devices. channel = SHA-256 of the new device's one-time key. Once approved,
-- username, device_id and sealed (the link message) are set. Deleted at the new device's first
-- login or at expires_at.
CREATE TABLE link_channels (
    channel    BLOB    NOT NULL PRIMARY KEY,
    request    BLOB    NOT NULL,
    expires_at INTEGER NOT NULL,
    username   TEXT    REFERENCES accounts (username) ON DELETE CASCADE,
    device_id  INTEGER,
    sealed     BLOB
);

CREATE INDEX link_channels_expiry ON link_channels (expires_at);

-- Prekeys per device: each table gains device_id in its key. Existing keys are device 1's.
CREATE TABLE signed_prekeys_v5 (
    username    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    signature   BLOB    NOT NULL,
    PRIMARY KEY (username, device_id)
);
INSERT INTO signed_prekeys_v5 SELECT username, 1, key_id, public_key, signature FROM signed_prekeys;
DROP TABLE signed_prekeys;
ALTER TABLE signed_prekeys_v5 RENAME TO signed_prekeys;

CREATE TABLE kem_last_resort_prekeys_v5 (
    username    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    signature   BLOB    NOT NULL,
    PRIMARY KEY (username, device_id)
);
INSERT INTO kem_last_resort_prekeys_v5 SELECT username, 1, key_id, public_key, signature FROM kem_last_resort_prekeys;
DROP TABLE kem_last_resort_prekeys;
ALTER TABLE kem_last_resort_prekeys_v5 RENAME TO kem_last_resort_prekeys;

CREATE TABLE one_time_prekeys_v5 (
    username    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    PRIMARY KEY (username, device_id, key_id)
);
INSERT INTO one_time_prekeys_v5 SELECT username, 1, key_id, public_key FROM one_time_prekeys;
DROP TABLE one_time_prekeys;
ALTER TABLE one_time_prekeys_v5 RENAME TO one_time_prekeys;

CREATE TABLE kem_one_time_prekeys_v5 (
    username    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    public_key  BLOB    NOT NULL,
    signature   BLOB    NOT NULL,
    PRIMARY KEY (username, device_id, key_id)
);
INSERT INTO kem_one_time_prekeys_v5 SELECT username, 1, key_id, public_key, signature FROM kem_one_time_prekeys;
DROP TABLE kem_one_time_prekeys;
ALTER TABLE kem_one_time_prekeys_v5 RENAME TO kem_one_time_prekeys;

-- The delivery queue per recipient device. One send is one row per device of the recipient's
-- list, all committed in one transaction. content (the fan-out's shared ciphertext, or NULL)
-- is kept with each copy and erased with its envelope at the ack; stored_chars is the copy's
-- envelope plus content characters, what the queue quota counts. Existing rows are device 1's,
-- from the sender's device 1.
CREATE TABLE messages_v5 (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient        TEXT    NOT NULL,
    recipient_device INTEGER NOT NULL,
    sender           TEXT    NOT NULL,
    sender_device    INTEGER NOT NULL,
    message_id       TEXT    NOT NULL,
    envelope         TEXT,
    content          TEXT,
    stored_chars     INTEGER NOT NULL DEFAULT 0,
    server_time      INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    UNIQUE (recipient, recipient_device, sender, message_id)
);
INSERT INTO messages_v5 (seq, recipient, recipient_device, sender, sender_device, message_id, envelope, content,
                         stored_chars, server_time, expires_at)
SELECT seq, recipient, 1, sender, 1, message_id, envelope, NULL, envelope_chars, server_time, expires_at FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v5 RENAME TO messages;

CREATE INDEX messages_pending ON messages (recipient, recipient_device, seq) WHERE envelope IS NOT NULL;
CREATE INDEX messages_expiry ON messages (expires_at);
