package dev.parley.protocol.attachments;

import dev.parley.protocol.codec.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The blob digest of CRYPTO.md §12, computed chunk by chunk: {@code SHA-256} of the
 * concatenated {@code SHA-256} of each encrypted chunk, in order. (A hash of chunk hashes, so
 * that a browser, whose Web Crypto hashes only whole buffers, computes it streaming too.)
 */
public final class AttachmentDigest {

    private final MessageDigest chunk = sha256();
    private final MessageDigest outer = sha256();
    private byte[] result;

    /** Adds encrypted chunk {@code bytes[offset, offset + length)}, the next in blob order. */
    public void add(byte[] bytes, int offset, int length) {
        if (result != null) {
            throw new IllegalStateException("digest already finished");
        }
        chunk.update(bytes, offset, length);
        outer.update(chunk.digest());
    }

    /** The digest of the chunks added so far; no chunk can be added afterwards. */
    public byte[] finish() {
        if (result == null) {
            result = outer.digest();
        }
        return result.clone();
    }

    /** Constant-time comparison with an expected digest. */
    static boolean matches(byte[] actual, byte[] expected) {
        return MessageDigest.isEqual(actual, expected);
    }

    static byte[] requireDigest(byte[] digest) {
        return Bytes.requireLength(digest, AttachmentPointer.DIGEST_BYTES, "attachment digest").clone();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable in this JDK", e);
        }
    }
}
