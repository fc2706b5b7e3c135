package dev.parley.protocol.ratchet;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.X25519;

/**
 * A ratchet message header (CRYPTO.md §3.3):
 *
 * <pre>
 * Header = DHs_pub(32) || u32 PN || u32 N            (40 bytes)
 * </pre>
 *
 * @param ratchetKey the sender's current ratchet public key {@code DHs_pub}
 * @param previousChainLength {@code PN}: messages in the sender's previous sending chain
 * @param index {@code N}: this message's number in the current sending chain
 */
public record Header(byte[] ratchetKey, long previousChainLength, long index) {

    public static final int SIZE = 40;

    public Header {
        ratchetKey = Bytes.requireLength(ratchetKey, X25519.KEY_SIZE, "ratchet key").clone();
        if (previousChainLength < 0 || previousChainLength > 0xFFFF_FFFFL || index < 0 || index > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("header counters are u32");
        }
    }

    public byte[] encode() {
        return new ByteWriter(SIZE).bytes(ratchetKey).u32(previousChainLength).u32(index).toByteArray();
    }

    static Header read(ByteReader reader) throws ProtocolException {
        return new Header(reader.bytes(X25519.KEY_SIZE), reader.u32(), reader.u32());
    }

    @Override
    public byte[] ratchetKey() {
        return ratchetKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Header that && java.util.Arrays.equals(ratchetKey, that.ratchetKey)
                && previousChainLength == that.previousChainLength && index == that.index;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(ratchetKey) * 31 + Long.hashCode(index);
    }

    @Override
    public String toString() {
        return "Header[dh=" + Bytes.b64(ratchetKey) + ", pn=" + previousChainLength + ", n=" + index + "]";
    }
}
