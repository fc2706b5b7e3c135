package dev.parley.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code HMAC(k, m)} of CRYPTO.md §0: HMAC-SHA256 from the JDK. */
public final class Hmac {

    public static final int TAG_SIZE = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {}

    /**
     * One {@link Mac} per thread, re-keyed by every call ({@code init} resets it; {@code doFinal}
     * leaves it ready). {@code Mac.getInstance}'s provider lookup cost more than the HMAC of a
     * ratchet step itself.
     */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable in this JDK", e);
        }
    });

    public static byte[] sha256(byte[] key, byte[] message) {
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 refused the key", e);
        }
    }

    /** Constant-time check of a full 32-byte tag; any other length is refused. */
    public static boolean verify(byte[] key, byte[] message, byte[] tag) {
        return tag != null && tag.length == TAG_SIZE && MessageDigest.isEqual(sha256(key, message), tag);
    }
}
