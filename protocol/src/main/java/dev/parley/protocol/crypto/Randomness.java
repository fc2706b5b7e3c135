package dev.parley.protocol.crypto;

import java.security.SecureRandom;

/**
 * The only source of randomness the protocol uses; always passed in by the caller, never created
 * inside protocol code. Production code wraps a {@link SecureRandom}; tests and vector replay
 * hand out recorded bytes.
 *
 * <p>The protocol draws 32 bytes per X25519 private key (that value <em>is</em> the raw private
 * key), 64 bytes per ML-KEM seed, 32 bytes per ML-KEM encapsulation and 32 bytes per fan-out
 * content key.
 */
@FunctionalInterface
public interface Randomness {

    /** Fills {@code out} with fresh random bytes. */
    void nextBytes(byte[] out);

    default byte[] bytes(int length) {
        byte[] out = new byte[length];
        nextBytes(out);
        return out;
    }

    static Randomness from(SecureRandom random) {
        return random::nextBytes;
    }
}
