package dev.parley.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Recovery codes. The client generates a code of at least 128 random bits, shows it once,
 * and registers {@code SHA-256(utf8(code))}. A single fast hash suffices because the code
 * carries 128+ bits of entropy: there is nothing to brute-force.
 */
public final class RecoveryCodes {

    public static final int HASH_BYTES = 32;

    private RecoveryCodes() {
    }

    public static byte[] hash(String code) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /**
     * Whether a presented code, canonicalised first (dev.parley.wire.signed.RecoveryCodes: a
     * code as the user typed it, dashes and lower case included, is accepted), matches the
     * stored hash; compared in constant time. Text that is not a recovery code never matches.
     */
    public static boolean matches(String code, byte[] storedHash) {
        return dev.parley.wire.signed.RecoveryCodes.canonical(code)
                .map(canonical -> MessageDigest.isEqual(hash(canonical), storedHash))
                .orElse(false);
    }
}
