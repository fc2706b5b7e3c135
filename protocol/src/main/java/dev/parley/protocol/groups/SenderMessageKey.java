package dev.parley.protocol.groups;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Hkdf;
import dev.parley.protocol.ratchet.ChainKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key of one sender-key message (CRYPTO.md §11):
 *
 * <pre>
 * seed                = HMAC(chainKey, 0x01)       the Double Ratchet's KDF_CK ({@link ChainKey})
 * (aesKey 32 || nonce 12) = HKDF(salt = 32 zero bytes, ikm = seed, info = utf8("parley-sender-key-v1"), L = 44)
 * </pre>
 *
 * The HKDF label differs from the ratchet's, so a sender-key message key is never a ratchet one.
 * Skipped keys are stored as their {@code seed}. Prints no key.
 */
final class SenderMessageKey {

    static final byte[] INFO = "parley-sender-key-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO_SALT = new byte[32];

    private final byte[] aesKey;
    private final byte[] nonce;

    private SenderMessageKey(byte[] aesKey, byte[] nonce) {
        this.aesKey = aesKey;
        this.nonce = nonce;
    }

    /** The seed of the message {@code chainKey} produces: KDF_CK's message key. */
    static byte[] seed(ChainKey chainKey) {
        return chainKey.messageKeys().messageKey();
    }

    static SenderMessageKey fromSeed(byte[] seed) {
        Bytes.requireLength(seed, 32, "sender message key seed");
        byte[] okm = Hkdf.derive(ZERO_SALT, seed, INFO, AesGcm.KEY_SIZE + AesGcm.NONCE_SIZE);
        SenderMessageKey key = new SenderMessageKey(Arrays.copyOfRange(okm, 0, AesGcm.KEY_SIZE),
                Arrays.copyOfRange(okm, AesGcm.KEY_SIZE, okm.length));
        Arrays.fill(okm, (byte) 0);
        return key;
    }

    byte[] aesKey() {
        return aesKey.clone();
    }

    byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public String toString() {
        return "SenderMessageKey[]";
    }
}
