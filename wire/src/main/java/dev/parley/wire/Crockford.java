package dev.parley.wire;

/**
 * The one Crockford base32 of Parley, for codes people read and type: recovery codes
 * ({@link dev.parley.wire.signed.RecoveryCodes}) and link codes (docs/CRYPTO.md §10.1). The
 * alphabet is {@code 0-9 A-Z} without {@code I L O U}; bytes are packed most significant bits
 * first, the last character carrying the remaining bits followed by zero bits, and
 * {@link #decode} refuses non-zero padding bits, so every byte string has exactly one text
 * form. Typed text is read through {@link #fold} (upper case, {@code O}→{@code 0},
 * {@code I} and {@code L}→{@code 1}) and shown through {@link #grouped}.
 */
public final class Crockford {

    public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private Crockford() {}

    /** A typed character as the code means it: upper case, look-alikes folded; not necessarily in the alphabet. */
    public static char fold(char typed) {
        return switch (Character.toUpperCase(typed)) {
            case 'O' -> '0';
            case 'I', 'L' -> '1';
            default -> Character.toUpperCase(typed);
        };
    }

    /** The display form: groups of four characters joined by dashes. */
    public static String grouped(String code) {
        var out = new StringBuilder(code.length() + code.length() / 4);
        for (int i = 0; i < code.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                out.append('-');
            }
            out.append(code.charAt(i));
        }
        return out.toString();
    }

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
