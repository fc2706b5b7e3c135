package dev.parley.protocol.ratchet;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The AES-256-GCM key and nonce of one message, derived from its message key {@code mk}.
 *
 * <pre>
 * MSG_KEYS(mk) = HKDF(salt = 32 zero bytes, ikm = mk, info = utf8("Parley_Message_Keys"), L = 44)
 *                -&gt; (aes_key = bytes 0..31, nonce = bytes 32..43)
 * </pre>
 *
 * CRYPTO.md §3. Each {@code mk} encrypts exactly one message, so the derived nonce never repeats
 * under its key. Keeps {@code mk} itself so that skipped keys can be stored compactly.
 */
public final class MessageKeys {

    public static final int SIZE = 32;

    /** {@code info} of MSG_KEYS. */
    static final byte[] MESSAGE_KEYS_INFO = "Parley_Message_Keys".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO_SALT = new byte[32];

    private final byte[] messageKey;
    private final byte[] aesKey;
    private final byte[] nonce;
    private final long index;

    private MessageKeys(byte[] messageKey, byte[] aesKey, byte[] nonce, long index) {
        this.messageKey = messageKey;
        this.aesKey = aesKey;
        this.nonce = nonce;
        this.index = index;
    }

    /** {@code MSG_KEYS(mk)} for message number {@code index}. */
    public static MessageKeys derive(byte[] messageKey, long index) {
        byte[] mk = Bytes.requireLength(messageKey, SIZE, "message key").clone();
        byte[] okm = Hkdf.derive(ZERO_SALT, mk, MESSAGE_KEYS_INFO, AesGcm.KEY_SIZE + AesGcm.NONCE_SIZE);
        MessageKeys keys = new MessageKeys(mk, Arrays.copyOfRange(okm, 0, AesGcm.KEY_SIZE),
                Arrays.copyOfRange(okm, AesGcm.KEY_SIZE, okm.length), index);
        Arrays.fill(okm, (byte) 0);
        return keys;
    }

    public byte[] messageKey() {
        return messageKey.clone();
    }

    public byte[] aesKey() {
        return aesKey.clone();
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    public long index() {
        return index;
    }

    @Override
    public String toString() {
        return "MessageKeys[index=" + index + "]";
    }
}
