package dev.parley.protocol.ratchet;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Hmac;

/**
 * A sending or receiving chain key {@code CK} with the index {@code N} of the next message it
 * produces.
 *
 * <pre>
 * KDF_CK(ck): mk = HMAC(ck, 0x01), ck' = HMAC(ck, 0x02)
 * </pre>
 *
 * CRYPTO.md §3; <a href="https://signal.org/docs/specifications/doubleratchet/#external-functions">
 * Double Ratchet §3.1 KDF_CK</a>. Immutable: {@link #next()} returns a new key.
 */
public final class ChainKey {

    public static final int SIZE = 32;

    /** HMAC input deriving the message key. */
    static final byte[] MESSAGE_KEY_SEED = {0x01};
    /** HMAC input deriving the next chain key. */
    static final byte[] CHAIN_KEY_SEED = {0x02};

    private final byte[] key;
    private final long index;

    public ChainKey(byte[] key, long index) {
        this.key = Bytes.requireLength(key, SIZE, "chain key").clone();
        if (index < 0 || index > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("chain index out of u32 range");
        }
        this.index = index;
    }

    /** {@code mk} for message {@link #index()}. */
    public MessageKeys messageKeys() {
        return MessageKeys.derive(Hmac.sha256(key, MESSAGE_KEY_SEED), index);
    }

    /** {@code ck'}, producing message {@code index + 1}. */
    public ChainKey next() {
        return new ChainKey(Hmac.sha256(key, CHAIN_KEY_SEED), index + 1);
    }

    public long index() {
        return index;
    }

    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "ChainKey[index=" + index + "]";
    }
}
