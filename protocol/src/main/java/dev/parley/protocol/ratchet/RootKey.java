package dev.parley.protocol.ratchet;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The root key {@code RK} of the Double Ratchet, advanced once per DH ratchet step.
 *
 * <pre>
 * KDF_RK(rk, dh_out) = HKDF(salt = rk, ikm = dh_out, info = utf8("Parley_Ratchet_Root"), L = 64)
 *                      -&gt; (rk' = bytes 0..31, ck = bytes 32..63)
 * </pre>
 *
 * CRYPTO.md §3; <a href="https://signal.org/docs/specifications/doubleratchet/#external-functions">
 * Double Ratchet §3.1 KDF_RK</a>. Immutable.
 */
public final class RootKey {

    public static final int SIZE = 32;

    /** {@code info} of KDF_RK. */
    static final byte[] ROOT_INFO = "Parley_Ratchet_Root".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    public RootKey(byte[] key) {
        this.key = Bytes.requireLength(key, SIZE, "root key").clone();
    }

    /** The next root key and the new chain key: {@code KDF_RK(this, dhOut)}. */
    public Step step(byte[] dhOut) {
        byte[] okm = Hkdf.derive(key, dhOut, ROOT_INFO, 2 * SIZE);
        Step step = new Step(new RootKey(Arrays.copyOfRange(okm, 0, SIZE)),
                new ChainKey(Arrays.copyOfRange(okm, SIZE, 2 * SIZE), 0));
        Arrays.fill(okm, (byte) 0);
        return step;
    }

    public byte[] bytes() {
        return key.clone();
    }

    /** Output of one KDF_RK application. */
    public record Step(RootKey rootKey, ChainKey chainKey) {}

    @Override
    public String toString() {
        return "RootKey[redacted]";
    }
}
