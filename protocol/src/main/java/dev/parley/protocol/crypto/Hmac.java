package dev.parley.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code HMAC(k, m)} of CRYPTO.md §0: HMAC-SHA256 from the JDK. */
public final class Hmac {

    public static final int TAG_SIZE = 32;

    private Hmac() {}

    public static byte[] sha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
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
