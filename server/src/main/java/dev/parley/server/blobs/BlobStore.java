package dev.parley.server.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The bytes of attachment blobs, by blob id, and nothing else: what each blob is (owner, size,
 * state, token) is in the database ({@link dev.parley.server.storage.BlobRecords}). This is the
 * seam between one node ({@link DirectoryBlobStore}, a folder) and a cluster (the same
 * interface on shared storage). Callers pass only well-formed blob ids
 * ({@link BlobIds#isBlobId}) and never write one blob from two threads at once.
 */
public interface BlobStore {

    /** Creates the empty blob {@code id}; fails if it exists. */
    void create(String id) throws IOException;

    /**
     * Writes what {@code source} yields, to its end, at {@code offset} of blob {@code id},
     * dropping whatever the blob held from {@code offset} on, and returns the number of bytes
     * written; they are durable (on disk) when this returns. At most {@code maxBytes} are taken:
     * a source that has more throws {@link BlobTooLongException}. On any failure the blob is left
     * as it was up to {@code offset} (bytes past it are dropped by the next append or the deletion).
     */
    long append(String id, long offset, InputStream source, long maxBytes) throws IOException;

    /** The blob's bytes from the start; {@link java.nio.file.NoSuchFileException} when there is no such blob. */
    InputStream open(String id) throws IOException;

    /** Deletes the blob; nothing happens when there is none. */
    void delete(String id) throws IOException;

    /** The ids of every blob held (for sweeping away blobs the database no longer knows). */
    List<String> list() throws IOException;

    /** Bytes free where the blobs are stored (the disk watermark is checked against it). */
    long usableBytes();
}
