package dev.parley.protocol.codec;

import dev.parley.wire.signed.RecoveryCodes;

/**
 * The one 5-bit packing of the protocol: bytes as Crockford base32 in the recovery codes'
 * alphabet ({@link RecoveryCodes#ALPHABET}: {@code 0-9 A-Z} without {@code I L O U}), most
 * significant bits first. The last character carries the remaining bits followed by zero
 * bits; {@link #decode} refuses non-zero padding bits, so every byte string has exactly one
 * text form. Link codes (CRYPTO.md §10.1) are built on it.
 */
public final class Base32 {

    public static final String ALPHABET = RecoveryCodes.ALPHABET;

    private Base32() {}

    /** Characters needed for {@code byteLength} bytes: {@code ceil(8 * byteLength / 5)}. */
    public static int encodedLength(int byteLength) {
        return (byteLength * 8 + 4) / 5;
    }

    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(encodedLength(bytes.length));
        int bits = 0;
        int value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((value >>> (bits - 5)) & 31));
                bits -= 5;
            }
            value &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((value << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /**
     * Decodes exactly {@code byteLength} bytes from canonical characters (upper case, alphabet
     * only; callers fold look-alikes first).
     *
     * @throws IllegalArgumentException for a wrong length, a character outside the alphabet or
     *     non-zero padding bits
     */
    public static byte[] decode(String text, int byteLength) {
        if (text.length() != encodedLength(byteLength)) {
            throw new IllegalArgumentException("expected " + encodedLength(byteLength) + " characters, got " + text.length());
        }
        byte[] out = new byte[byteLength];
        int bits = 0;
        int value = 0;
        int o = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("character " + (i + 1) + " is not in the alphabet");
            }
            value = (value << 5) | digit;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (value >>> bits);
                value &= (1 << bits) - 1;
            }
        }
        if (value != 0) {
            throw new IllegalArgumentException("non-zero padding bits in the last character");
        }
        return out;
    }
}
