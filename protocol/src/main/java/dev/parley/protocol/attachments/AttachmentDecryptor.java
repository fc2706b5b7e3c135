package dev.parley.protocol.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Opens an attachment blob (CRYPTO.md §12) while it is read: the stream returned by
 * {@link #decrypting} yields the plaintext chunk by chunk, holding one chunk in memory, and
 * fails with {@link AttachmentException} as soon as the blob is refused:
 *
 * <ul>
 *   <li>{@code length}: the blob ends before its declared length or has bytes after it;
 *   <li>{@code tag}: a chunk does not authenticate (changed, reordered, dropped or cut chunks);
 *   <li>{@code digest}: the blob is not the one the message names.
 * </ul>
 *
 * The extra-bytes and digest checks run before the last chunk's plaintext is released, so at the
 * latest the read that would return end of stream fails: a caller that reads to end of stream
 * without an exception has a verified file. After a failure every read fails again. Callers
 * still write the plaintext only to a temporary place and release it after end of stream.
 * Closing closes the blob.
 */
public final class AttachmentDecryptor extends ChunkedStream {

    private final InputStream blob;
    private final long size;
    private final long count;
    private final byte[] expected;
    private final ChunkCipher cipher;
    private final AttachmentDigest digest = new AttachmentDigest();
    private final byte[] chunk;
    private final byte[] plain;
    private long next;
    private IOException failure;

    private AttachmentDecryptor(InputStream blob, byte[] key, long size, byte[] digest) {
        this.blob = Objects.requireNonNull(blob, "blob");
        this.size = size;
        this.count = AttachmentFormat.chunkCount(size);
        this.expected = AttachmentDigest.requireDigest(digest);
        this.cipher = new ChunkCipher(key, count);
        int largest = (int) Math.min(AttachmentFormat.CHUNK_BYTES, size);
        this.chunk = new byte[largest + AttachmentFormat.TAG_BYTES];
        this.plain = new byte[largest + AttachmentFormat.TAG_BYTES];
    }

    /** The plaintext of {@code blob}, a file of {@code size} bytes under {@code key} whose blob has {@code digest}. */
    public static AttachmentDecryptor decrypting(InputStream blob, byte[] key, long size, byte[] digest) {
        return new AttachmentDecryptor(blob, key, size, digest);
    }

    @Override
    void beforeRead() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    boolean nextChunk() throws IOException {
        if (next == count) {
            return false;
        }
        openNextChunk();
        return true;
    }

    private void openNextChunk() throws IOException {
        try {
            int want = AttachmentFormat.plainLength(size, next) + AttachmentFormat.TAG_BYTES;
            int got = blob.readNBytes(chunk, 0, want);
            if (got < want) {
                throw new AttachmentException(AttachmentException.Reason.LENGTH, "the blob ends inside chunk " + next);
            }
            digest.add(chunk, 0, want);
            int opened = cipher.decrypt(next, chunk, want, plain);
            if (next == count - 1) {
                if (blob.read() != -1) {
                    throw new AttachmentException(AttachmentException.Reason.LENGTH, "the blob is longer than its declared size");
                }
                if (!AttachmentDigest.matches(digest.finish(), expected)) {
                    throw new AttachmentException(AttachmentException.Reason.DIGEST, "the blob is not the one the message names");
                }
            }
            release(plain, opened);
            next++;
        } catch (AttachmentException e) {
            failure = e;
            release(plain, 0);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        blob.close();
    }
}
