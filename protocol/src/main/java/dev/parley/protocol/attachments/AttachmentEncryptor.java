package dev.parley.protocol.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Encrypts a file into its blob (CRYPTO.md §12) while it is read: the stream returned by
 * {@link #encrypting} yields the blob bytes, holding one chunk in memory. The file must be
 * exactly {@code size} bytes: a shorter or longer one fails with {@link AttachmentException}
 * ({@code length}) before the last chunk is released, so a wrong size never yields a complete blob.
 * {@link #digest()} is available once the blob was read to its end. Closing closes the plaintext.
 */
public final class AttachmentEncryptor extends ChunkedStream {

    private final InputStream plaintext;
    private final long size;
    private final long count;
    private final ChunkCipher cipher;
    private final AttachmentDigest digest = new AttachmentDigest();
    private final byte[] plain;
    private final byte[] chunk;
    private long next;
    private byte[] result;
    private IOException failure;

    private AttachmentEncryptor(InputStream plaintext, byte[] key, long size) {
        this.plaintext = Objects.requireNonNull(plaintext, "plaintext");
        this.size = size;
        this.count = AttachmentFormat.chunkCount(size);
        this.cipher = new ChunkCipher(key, count);
        int largest = (int) Math.min(AttachmentFormat.CHUNK_BYTES, Math.max(size, 0));
        this.plain = new byte[largest];
        this.chunk = new byte[largest + AttachmentFormat.TAG_BYTES];
    }

    /**
     * The blob of {@code plaintext} ({@code size} bytes, at most {@link AttachmentFormat#MAX_SIZE})
     * under {@code key} (32 bytes, fresh for this file: {@link #newKey}).
     */
    public static AttachmentEncryptor encrypting(InputStream plaintext, byte[] key, long size) {
        return new AttachmentEncryptor(plaintext, key, size);
    }

    /** A fresh 32-byte file key. */
    public static byte[] newKey(SecureRandom random) {
        byte[] key = new byte[AttachmentPointer.KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    /** The blob's digest; only after every blob byte was read. */
    public byte[] digest() {
        if (result == null || !drained()) {
            throw new IllegalStateException("the blob was not read to its end");
        }
        return result.clone();
    }

    @Override
    boolean nextChunk() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (next == count) {
            return false;
        }
        int want = AttachmentFormat.plainLength(size, next);
        int got = plaintext.readNBytes(plain, 0, want);
        if (got < want) {
            throw fail("the file is shorter than its declared size");
        }
        if (next == count - 1 && plaintext.read() != -1) {
            throw fail("the file is longer than its declared size");
        }
        int length = cipher.encrypt(next, plain, want, chunk);
        release(chunk, length);
        digest.add(chunk, 0, length);
        next++;
        if (next == count) {
            result = digest.finish();
        }
        return true;
    }

    private IOException fail(String message) {
        failure = new AttachmentException(AttachmentException.Reason.LENGTH, message);
        return failure;
    }

    @Override
    public void close() throws IOException {
        plaintext.close();
    }
}
