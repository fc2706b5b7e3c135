package dev.parley.server.blobs;

import dev.parley.wire.WireJson;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.BlobFrames;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Blob ids ({@value WireLimits#BLOB_ID_BYTES} random bytes) and upload tokens
 * ({@value WireLimits#BLOB_TOKEN_BYTES} random bytes), both base64url. The database keeps only a
 * token's SHA-256, and a presented token is checked against it in constant time. Neither an id
 * nor a token is ever logged.
 */
public final class BlobIds {

    private final SecureRandom random;

    public BlobIds(SecureRandom random) {
        this.random = random;
    }

    public String newBlobId() {
        return randomText(WireLimits.BLOB_ID_BYTES);
    }

    public String newToken() {
        return randomText(WireLimits.BLOB_TOKEN_BYTES);
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return WireJson.base64(value);
    }

    /** Whether {@code text} is a well-formed blob id (and so a safe file name). */
    public static boolean isBlobId(String text) {
        return text != null && BlobFrames.BLOB_ID.matcher(text).matches();
    }

    /** The SHA-256 of a token's text, as stored. */
    public static byte[] tokenHash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code presented} (null when none was) is the token whose hash is {@code stored}:
     * compared by hash, in constant time.
     */
    public static boolean tokenMatches(String presented, byte[] stored) {
        if (presented == null || !BlobFrames.UPLOAD_TOKEN.matcher(presented).matches()) {
            return false;
        }
        return MessageDigest.isEqual(tokenHash(presented), stored);
    }
}
