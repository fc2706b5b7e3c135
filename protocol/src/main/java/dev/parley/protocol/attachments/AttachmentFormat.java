package dev.parley.protocol.attachments;

import dev.parley.protocol.Limits;
import dev.parley.protocol.codec.ByteWriter;
import java.nio.charset.StandardCharsets;

/**
 * The encrypted blob of an attachment (CRYPTO.md §12), the STREAM construction over AES-256-GCM:
 *
 * <pre>
 * chunks  = the plaintext cut into 65,536-byte pieces; n = max(1, ceil(size / 65536))
 * nonce_i = 7 zero bytes || u32 i || u8 (i == n-1 ? 0x01 : 0x00)
 * blob    = AES-256-GCM(key, nonce_0, chunk_0, ad = "parley-attachment-v1") || ... || (chunk_{n-1})
 * length  = size + 16 n
 * digest  = SHA-256(SHA-256(c_0) || SHA-256(c_1) || ... || SHA-256(c_{n-1}))   c_i: encrypted chunk i
 * </pre>
 *
 * A key encrypts one file only (so the fixed nonce prefix never repeats under a key).
 */
public final class AttachmentFormat {

    /** Plaintext bytes per chunk; every chunk but the last is full. */
    public static final int CHUNK_BYTES = 65_536;
    /** The GCM tag after each chunk. */
    public static final int TAG_BYTES = 16;
    /** Largest plaintext size (100 MiB), {@link Limits#MAX_ATTACHMENT_BYTES}. */
    public static final long MAX_SIZE = Limits.MAX_ATTACHMENT_BYTES;
    /** The AES-GCM associated data of every chunk (the construction's one label). */
    public static final String LABEL = "parley-attachment-v1";

    static final byte[] AD = LABEL.getBytes(StandardCharsets.US_ASCII);
    static final int NONCE_BYTES = 12;

    private AttachmentFormat() {}

    /** {@code max(1, ceil(size / 65536))}. */
    public static long chunkCount(long size) {
        requireSize(size);
        return Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
    }

    /** The blob's exact length: {@code size + 16 n}. */
    public static long blobLength(long size) {
        return size + TAG_BYTES * chunkCount(size);
    }

    /** Plaintext bytes of chunk {@code index} of a file of {@code size} bytes. */
    static int plainLength(long size, long index) {
        long count = chunkCount(size);
        return index < count - 1 ? CHUNK_BYTES : (int) (size - (count - 1) * CHUNK_BYTES);
    }

    /** {@code 7 zero bytes || u32 index || u8 last}. */
    static byte[] nonce(long index, long count) {
        return new ByteWriter(NONCE_BYTES).bytes(new byte[7]).u32(index).u8(index == count - 1 ? 0x01 : 0x00).toByteArray();
    }

    static void requireSize(long size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("attachment size must be 0.." + MAX_SIZE + " bytes");
        }
    }
}
