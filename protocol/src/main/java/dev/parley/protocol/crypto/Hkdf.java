package dev.parley.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/** {@code HKDF(salt, ikm, info, L)} of CRYPTO.md §0: HKDF-SHA256 (RFC 5869) from the JDK. */
public final class Hkdf {

    /** RFC 5869: L <= 255 * HashLen. */
    public static final int MAX_OUTPUT = 255 * 32;

    /**
     * One {@link KDF} per thread (KDF objects are reusable but not thread-safe); each derivation
     * takes all its inputs as parameters. Saves {@code KDF.getInstance}'s provider lookup on every
     * message key.
     */
    private static final ThreadLocal<KDF> KDF_PER_THREAD = ThreadLocal.withInitial(() -> {
        try {
            return KDF.getInstance("HKDF-SHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable in this JDK", e);
        }
    });

    private Hkdf() {}

    /**
     * Extract-then-expand. An empty {@code salt} means HashLen zero bytes (RFC 5869 §2.2).
     *
     * @throws IllegalArgumentException if {@code length} is not in 1..8160
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > MAX_OUTPUT) {
            throw new IllegalArgumentException("HKDF output length must be 1.." + MAX_OUTPUT);
        }
        try {
            KDF hkdf = KDF_PER_THREAD.get();
            var extract = HKDFParameterSpec.ofExtract().addIKM(ikm);
            if (salt.length > 0) {
                extract = extract.addSalt(salt);
            }
            return hkdf.deriveData(extract.thenExpand(info, length));
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalArgumentException("HKDF parameters refused", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable in this JDK", e);
        }
    }
}
