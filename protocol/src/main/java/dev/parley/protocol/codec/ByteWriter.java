package dev.parley.protocol.codec;

import java.io.ByteArrayOutputStream;

/** Appends the big-endian fixed-width integers and raw byte strings of CRYPTO.md §0. */
public final class ByteWriter {

    private final ByteArrayOutputStream out;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
    }

    public ByteWriter u8(int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("u8 out of range");
        }
        out.write(value);
        return this;
    }

    public ByteWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range");
        }
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    /** Writes the low 32 bits of {@code value}; callers pass ids and counters in 0..2^32-1. */
    public ByteWriter u32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("u32 out of range");
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    public ByteWriter u64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    public ByteWriter bytes(byte[] value) {
        out.write(value, 0, value.length);
        return this;
    }

    /** {@code u8 len || value}, value 0..255 bytes. */
    public ByteWriter u8Prefixed(byte[] value) {
        return u8(value.length).bytes(value);
    }

    /** {@code u32 len || value}. */
    public ByteWriter u32Prefixed(byte[] value) {
        return u32(value.length).bytes(value);
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
