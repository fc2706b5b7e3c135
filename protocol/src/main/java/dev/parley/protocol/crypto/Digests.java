package dev.parley.protocol.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and SHA-512 from the JDK. */
public final class Digests {

    private Digests() {}

    public static byte[] sha256(byte[] data) {
        return digest("SHA-256").digest(data);
    }

    /** A fresh SHA-512 instance, for iterated hashing (safety numbers). */
    public static MessageDigest sha512() {
        return digest("SHA-512");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " unavailable in this JDK", e);
        }
    }
}
