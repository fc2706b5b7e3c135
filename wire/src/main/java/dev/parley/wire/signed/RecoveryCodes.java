package dev.parley.wire.signed;

import dev.parley.wire.Crockford;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * The one definition of an account recovery code (docs/PROTOCOL.md §3): 160 random bits as 32
 * characters of {@link Crockford} base32 ({@code 0-9 A-Z} without {@code I L O U}). A code as typed is
 * canonicalised by upper-casing it, removing spaces and dashes and folding the look-alikes
 * {@code O}→{@code 0} and {@code I}, {@code L}→{@code 1}; anything that is not then 32 such
 * characters is not a recovery code. The server stores {@code recoveryHash = SHA-256(utf8(canonical))}
 * and canonicalises the {@code recoveryCode} of a {@code reset} the same way before comparing.
 * A single fast hash suffices: the code carries 160 bits of entropy, there is nothing to guess.
 * Pinned by {@code test-vectors/wire/signed.json}.
 */
public final class RecoveryCodes {

    public static final String ALPHABET = Crockford.ALPHABET;
    public static final int RANDOM_BYTES = 20;
    public static final int LENGTH = 32;

    private RecoveryCodes() {
    }

    /** A new code in canonical form. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return Crockford.encode(bytes); // 160 bits: exactly 32 characters, no padding bits
    }

    /** The canonical form of a typed code; empty if it is not a recovery code. */
    public static Optional<String> canonical(String typed) {
        var out = new StringBuilder(LENGTH);
        for (int i = 0; i < typed.length(); i++) {
            char c = Character.toUpperCase(typed.charAt(i));
            if (c == ' ' || c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            c = Crockford.fold(c);
            if (ALPHABET.indexOf(c) < 0 || out.length() == LENGTH) {
                return Optional.empty();
            }
            out.append(c);
        }
        return out.length() == LENGTH ? Optional.of(out.toString()) : Optional.empty();
    }

    /** {@code SHA-256(utf8(canonical))}, the {@code recoveryHash} of register and reset. */
    public static byte[] hash(String canonical) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The form shown to the user: eight groups of four, joined by dashes. */
    public static String display(String canonical) {
        return Crockford.grouped(canonical);
    }
}
