package dev.parley.server.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * The bytes of attachment blobs, by blob id, and how many of them each blob's record counts
 * ({@code received}); what else each blob is (owner, size, token, expiry) is in the database
 * ({@link dev.parley.server.storage.BlobRecords}). This is the seam between one node
 * ({@link DirectoryBlobStore}, a folder) and a cluster ({@link DatabaseBlobStore}, rows in the
 * shared database). Callers pass only well-formed blob ids ({@link BlobIds#isBlobId}).
 *
 * <p>The invariant both keep: <em>the database never says more is stored than the store
 * holds</em>. A part's bytes are durable before the record counts them, and a blob's bytes are
 * only deleted once its record is gone or has expired, never while one of its parts lands.
 */
public interface BlobStore extends AutoCloseable {

    /** Makes room for the new blob {@code id}, whose record has just been committed; fails if it exists. */
    void create(String id) throws IOException;

    /**
     * Appends one part of an upload, what {@code source} yields to its end, at {@code offset} of
     * blob {@code id}, and advances the blob's record past it: when this returns
     * {@link Appended.Stored} the bytes are durable and counted. The record must be pending at
     * {@code offset} with its upload window open ({@link BlobLife}), checked again while no other
     * part of the blob can be written; otherwise nothing is read ({@link Appended.Refused}, or
     * {@link Appended.Busy} while another part of it is being written on this node). At most
     * {@code maxBytes} are taken: a source that has more throws {@link BlobTooLongException}. On
     * any failure nothing of the part counts: the blob stays as its record says.
     */
    Appended append(String id, long offset, InputStream source, long maxBytes) throws IOException;

    /**
     * The blob's bytes from the start (the caller checked that its record says it is complete);
     * {@link java.nio.file.NoSuchFileException} when there is no such blob.
     */
    InputStream open(String id) throws IOException;

    /**
     * Deletes the blob's bytes if its record is gone or has expired (a store in the database
     * deletes such a record with them, in one transaction). A blob whose record is live again
     * (a part completed it after the sweep found it expired) or one of whose parts is being
     * written is left alone: false. True once nothing of it is left.
     */
    boolean delete(String id) throws IOException;

    /**
     * Ids of up to {@code limit} blobs whose bytes are held without a record (left by a crash,
     * or restored from a backup). A record is committed before its blob's bytes exist, so none
     * will come for these.
     */
    List<String> unrecorded(int limit) throws IOException;

    /** Bytes free where the blobs are stored, which the disk watermark is checked against; empty when the store cannot tell (a database server's disk). */
    OptionalLong usableBytes();

    @Override
    void close();
}
