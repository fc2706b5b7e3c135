-- Parley schema, PostgreSQL dialect: the baseline is SQLite's schema after its V8
-- (db/migration/sqlite V1-V8 and the Java migration V4), in one step, numbered V8 so that a
-- later change is V9 in both folders. Types: TEXT stays text, BLOB is bytea, INTEGER is
-- bigint (times, ids, sizes) or integer (device ids, flags, characters of one copy), a flag
-- the stores read as a boolean is boolean. The stores' DML is one SQL text for both engines
-- (storage/sqlite); only this DDL differs.
--
-- Indexes beyond SQLite's serve what PostgreSQL reads that SQLite keeps in memory: the queue
-- counts, read per batch inside the writer's transaction (storage/sqlite/QueueCounts.java).

CREATE TABLE accounts (
    username            text     NOT NULL PRIMARY KEY,
    signing_key         bytea    NOT NULL,  -- Ed25519 public identity key, 32 bytes
    dh_key              bytea    NOT NULL,  -- X25519 public identity key, 32 bytes
    identity_binding    bytea    NOT NULL,  -- Ed25519 signature binding dh_key to signing_key
    recovery_hash       bytea    NOT NULL,  -- SHA-256 of the recovery code the client generated
    capabilities_flags  integer,            -- signed capabilities of an account from before devices
    capabilities_sig    bytea,
    created_at          bigint   NOT NULL,  -- ms since epoch
    identity_since      bigint   NOT NULL,  -- ms since epoch of the current identity
    skeleton            text                -- confusable skeleton of username (wire UsernameSkeleton)
);

CREATE INDEX accounts_skeleton ON accounts (skeleton);

CREATE TABLE signed_prekeys (
    username    text    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   integer NOT NULL,
    key_id      bigint  NOT NULL,
    public_key  bytea   NOT NULL,
    signature   bytea   NOT NULL,
    PRIMARY KEY (username, device_id)
);

CREATE TABLE kem_last_resort_prekeys (
    username    text    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   integer NOT NULL,
    key_id      bigint  NOT NULL,
    public_key  bytea   NOT NULL,
    signature   bytea   NOT NULL,
    PRIMARY KEY (username, device_id)
);

CREATE TABLE one_time_prekeys (
    username    text    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   integer NOT NULL,
    key_id      bigint  NOT NULL,
    public_key  bytea   NOT NULL,
    PRIMARY KEY (username, device_id, key_id)
);

CREATE TABLE kem_one_time_prekeys (
    username    text    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id   integer NOT NULL,
    key_id      bigint  NOT NULL,
    public_key  bytea   NOT NULL,
    signature   bytea   NOT NULL,
    PRIMARY KEY (username, device_id, key_id)
);

-- The latest signed list per account (header and signature; entries below). max_device_id is
-- the largest id the account has ever listed (ids are never reused within one identity).
CREATE TABLE device_lists (
    username      text    NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    version       bigint  NOT NULL,
    issued_at     bigint  NOT NULL,
    signature     bytea   NOT NULL,  -- Ed25519 by the account's identity over parley-device-list-v1
    max_device_id integer NOT NULL
);

CREATE TABLE device_list_entries (
    username   text    NOT NULL REFERENCES device_lists (username) ON DELETE CASCADE,
    device_id  integer NOT NULL,
    device_key bytea   NOT NULL,  -- Ed25519 device key DKs, 32 bytes
    linked_at  bigint  NOT NULL,
    PRIMARY KEY (username, device_id)
);

-- The server's device rows: what get_devices reports as "servers".
CREATE TABLE devices (
    username           text    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    device_id          integer NOT NULL,
    device_key         bytea   NOT NULL,
    linked_at          bigint  NOT NULL,
    last_seen          bigint,            -- ms since epoch of the device's last login or logout
    capabilities_flags integer,           -- signed capabilities, uploaded with prekeys
    capabilities_sig   bytea,
    PRIMARY KEY (username, device_id)
);

-- Link channels: a new device's sealed request, then (approved) its sealed link message.
CREATE TABLE link_channels (
    channel    bytea   NOT NULL PRIMARY KEY,  -- SHA-256 of the new device's one-time key
    request    bytea   NOT NULL,
    expires_at bigint  NOT NULL,
    username   text    REFERENCES accounts (username) ON DELETE CASCADE,
    device_id  integer,
    sealed     bytea
);

CREATE INDEX link_channels_expiry ON link_channels (expires_at);

-- send_multi bodies: a message's shared content, stored once, deleted with its last pending copy.
CREATE TABLE message_bodies (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender       text   NOT NULL,
    content      text   NOT NULL,
    stored_chars bigint NOT NULL
);

-- A sender's quota counts its bodies once (PostgreSQL only: read per batch).
CREATE INDEX message_bodies_sender ON message_bodies (sender) INCLUDE (stored_chars);

-- The delivery queue per recipient device. seq comes from one sequence for the whole cluster;
-- the writer's advisory locks per account make commit order equal seq order per device
-- (docs/ARCHITECTURE.md, "Storage model"). An acknowledged copy keeps neither envelope, content
-- nor body: a tombstone for deduplication until expires_at.
CREATE TABLE messages (
    seq              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient        text    NOT NULL,
    recipient_device integer NOT NULL,
    sender           text    NOT NULL,
    sender_device    integer NOT NULL,
    message_id       text    NOT NULL,
    envelope         text,
    content          text,
    stored_chars     integer NOT NULL DEFAULT 0,
    server_time      bigint  NOT NULL,
    expires_at       bigint  NOT NULL,
    body_id          bigint  REFERENCES message_bodies (id),
    multi            boolean NOT NULL DEFAULT false,
    UNIQUE (recipient, recipient_device, sender, message_id)
);

-- The mailbox's page and the per-device counts (total and per sender: INCLUDE sender makes
-- them index-only scans).
CREATE INDEX messages_pending ON messages (recipient, recipient_device, seq) INCLUDE (sender)
    WHERE (envelope IS NOT NULL OR body_id IS NOT NULL);
-- A sender's queued characters over all recipients (its quota).
CREATE INDEX messages_pending_sender ON messages (sender) INCLUDE (stored_chars)
    WHERE (envelope IS NOT NULL OR body_id IS NOT NULL);
CREATE INDEX messages_expiry ON messages (expires_at);
CREATE INDEX messages_body ON messages (body_id) WHERE body_id IS NOT NULL;

-- Attachment blobs (docs/PROTOCOL.md §9): what each blob is; its bytes are in the blob store.
CREATE TABLE blobs (
    id          text    NOT NULL PRIMARY KEY,  -- 16 random bytes, base64url (22 characters)
    owner       text    NOT NULL,              -- the account that asked for the upload
    size        bigint  NOT NULL,              -- declared length in bytes; the quota counts it
    received    bigint  NOT NULL DEFAULT 0,    -- bytes stored so far (durably, in order)
    token_hash  bytea   NOT NULL,              -- SHA-256 of the upload token, never the token
    state       text    NOT NULL CHECK (state IN ('pending', 'complete')),
    created_at  bigint  NOT NULL,              -- ms since epoch
    expires_at  bigint  NOT NULL,              -- ms since epoch
    CHECK (received >= 0 AND received <= size)
);

CREATE INDEX blobs_owner ON blobs (owner);
CREATE INDEX blobs_expiry ON blobs (expires_at);
