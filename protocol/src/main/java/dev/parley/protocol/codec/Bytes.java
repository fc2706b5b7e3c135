package dev.parley.protocol.codec;

import dev.parley.wire.WireJson;
import java.util.HexFormat;

/** Small byte helpers used across the protocol. */
public final class Bytes {

    private Bytes() {}

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    /** {@code b64(x)} of CRYPTO.md §0: base64url without padding (the wire's encoding, {@link WireJson}). */
    public static String b64(byte[] value) {
        return WireJson.base64(value);
    }

    /** Inverse of {@link #b64}; refuses padding and the standard alphabet ({@link IllegalArgumentException}). */
    public static byte[] fromB64(String value) {
        return WireJson.fromBase64(value);
    }

    public static String hex(byte[] value) {
        return HexFormat.of().formatHex(value);
    }

    public static byte[] fromHex(String value) {
        return HexFormat.of().parseHex(value);
    }

    /** Bytewise unsigned lexicographic order (CRYPTO.md §2.3). */
    public static int compareUnsigned(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /** Requires an exact length, for keys and fixed-size fields handed in by callers. */
    public static byte[] requireLength(byte[] value, int length, String what) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
        return value;
    }
}
