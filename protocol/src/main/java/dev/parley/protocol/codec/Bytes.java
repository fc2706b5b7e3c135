package dev.parley.protocol.codec;

import java.util.Base64;
import java.util.HexFormat;

/** Small byte helpers used across the protocol. */
public final class Bytes {

    private static final Base64.Encoder B64_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

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

    /** {@code b64(x)} of CRYPTO.md §0: base64url without padding. */
    public static String b64(byte[] value) {
        return B64_ENCODER.encodeToString(value);
    }

    /** Inverse of {@link #b64}; refuses padding and the standard alphabet. */
    public static byte[] fromB64(String value) {
        if (value.indexOf('=') >= 0) {
            throw new IllegalArgumentException("base64url must not be padded");
        }
        return B64_DECODER.decode(value);
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
