-- Attachment bytes in the database (blobs.DatabaseBlobStore, --blob-store database, the default
-- on PostgreSQL): each part of an upload is stored as chunk rows of at most 256 KiB, which tile
-- a blob from 0 to its record's `received`. PostgreSQL only: on SQLite the bytes are files under
-- --blob-dir, and there is no V9 in db/migration/sqlite (the next change to both engines is V10
-- in both folders).
--
-- No foreign key to blobs: the blob store deletes a blob's chunk rows and its expired record in
-- one transaction of its own, while a cascade would delete up to the blob's whole size inside the
-- single writer's transaction, in front of message commits. The sweep deletes chunk rows whose
-- record is gone (blob_parts_first).

CREATE TABLE blob_parts (
    blob_id  text    NOT NULL,  -- blobs.id
    start    bigint  NOT NULL,  -- offset of the chunk's first byte in the blob
    bytes    bytea   NOT NULL,  -- ciphertext, 1 byte to 256 KiB
    PRIMARY KEY (blob_id, start),
    CHECK (start >= 0 AND length(bytes) > 0)
);

-- Ciphertext does not compress: keep it out of line without trying to (and read it in slices).
ALTER TABLE blob_parts ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- One entry per blob with bytes (its chunk at 0): what the sweep for bytes without a record reads.
CREATE INDEX blob_parts_first ON blob_parts (blob_id) WHERE start = 0;
