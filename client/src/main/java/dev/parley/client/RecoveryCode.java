package dev.parley.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * An account recovery code (PROTOCOL.md §3): 160 random bits in Crockford base32, 32
 * characters, shown in eight groups of four. The canonical form (upper case, no spaces or
 * dashes, look-alikes {@code O}→0 and {@code I}/{@code L}→1 folded) is what the server's
 * {@code recoveryHash = SHA-256(utf8(code))} covers; the web client uses the same format. Prints
 * nothing secret in {@link #toString()}.
 */
public final class RecoveryCode {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int BYTES = 20;
    private static final int LENGTH = 32;

    private final String canonical;

    private RecoveryCode(String canonical) {
        this.canonical = canonical;
    }

    public static RecoveryCode generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        var out = new StringBuilder(LENGTH);
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
        return new RecoveryCode(out.toString());
    }

    /** Parses a code as a user typed it; empty if it is not a well-formed code. */
    public static Optional<RecoveryCode> parse(String typed) {
        String code = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "").replace('O', '0').replace('I', '1').replace('L', '1');
        if (code.length() != LENGTH || !code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(new RecoveryCode(code));
    }

    /** The canonical form sent in a {@code reset}. */
    public String canonical() {
        return canonical;
    }

    /** Eight groups of four, for showing once to the user. */
    public String display() {
        var out = new StringBuilder();
        for (int i = 0; i < LENGTH; i += 4) {
            if (i > 0) {
                out.append('-');
            }
            out.append(canonical, i, i + 4);
        }
        return out.toString();
    }

    /** {@code SHA-256(utf8(canonical))}, the {@code recoveryHash} of register and reset. */
    public byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return "RecoveryCode[hidden]";
    }
}
