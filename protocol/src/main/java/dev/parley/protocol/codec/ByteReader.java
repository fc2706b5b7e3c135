package dev.parley.protocol.codec;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import java.util.Arrays;

/**
 * Reads the fixed layouts of CRYPTO.md. Every read is bounds-checked and fails with
 * {@link Failure#MALFORMED}; {@link #expectEnd()} refuses trailing bytes so that every
 * structure has exactly one encoding.
 */
public final class ByteReader {

    private final byte[] data;
    private final String what;
    private int position;

    /** @param what names the structure in error messages ("RatchetMessage", "session state"). */
    public ByteReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    /**
     * A reader over a stored structure whose first byte is its format version: refuses any other
     * version ({@link Failure#UNSUPPORTED_VERSION}) and is positioned after it.
     */
    public static ByteReader versioned(byte[] data, String what, int version) throws ProtocolException {
        ByteReader in = new ByteReader(data, what);
        int found = in.u8();
        if (found != version) {
            throw new ProtocolException(Failure.UNSUPPORTED_VERSION, what + " version " + found);
        }
        return in;
    }

    public int u8() throws ProtocolException {
        require(1);
        return data[position++] & 0xFF;
    }

    public int u16() throws ProtocolException {
        return (u8() << 8) | u8();
    }

    public long u32() throws ProtocolException {
        return bigEndian(4);
    }

    public long u64() throws ProtocolException {
        return bigEndian(8);
    }

    /** An unsigned big-endian integer of {@code size} bytes (a u64 above 2^63 comes back negative). */
    private long bigEndian(int size) throws ProtocolException {
        require(size);
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (data[position++] & 0xFF);
        }
        return value;
    }

    public byte[] bytes(int length) throws ProtocolException {
        require(length);
        byte[] value = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return value;
    }

    public byte[] u8Prefixed() throws ProtocolException {
        return bytes(u8());
    }

    public byte[] u32Prefixed() throws ProtocolException {
        long length = u32();
        if (length > remaining()) {
            throw malformed("length prefix beyond the end");
        }
        return bytes((int) length);
    }

    /** All bytes not yet read. */
    public byte[] rest() {
        byte[] value = Arrays.copyOfRange(data, position, data.length);
        position = data.length;
        return value;
    }

    public int remaining() {
        return data.length - position;
    }

    public void expectEnd() throws ProtocolException {
        if (position != data.length) {
            throw malformed("trailing bytes");
        }
    }

    public ProtocolException malformed(String reason) {
        return new ProtocolException(Failure.MALFORMED, what + ": " + reason);
    }

    private void require(int length) throws ProtocolException {
        if (length < 0 || length > data.length - position) {
            throw malformed("truncated");
        }
    }
}
