package dev.parley.protocol.safety;

import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.keys.PublicIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Safety numbers (CRYPTO.md §6): Signal's numeric fingerprint, version 0 of its display format,
 * over Parley's 64-byte {@code IK}.
 *
 * <pre>
 * fingerprint(IK, username):
 *   h = u16 0 || IK || utf8(username)          (not hashed: the first iteration hashes it)
 *   repeat 5200 times: h = SHA-512(h || IK)
 *   digits = for i in 0..5: format(u40(h[5i .. 5i+5]) mod 100000, 5 digits, zero-padded)
 * safety_number(A, B) = the two 30-digit strings, the smaller (as strings) first
 * </pre>
 *
 * @param digits the 60 digits both sides display
 */
public record SafetyNumber(String digits) {

    public static final int ITERATIONS = 5200;
    public static final String QR_PREFIX = "parley-safety:v1:";

    public SafetyNumber {
        if (digits.length() != 60 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a safety number is 60 digits");
        }
    }

    /** The same value on both sides, whichever is "local". */
    public static SafetyNumber of(PublicIdentity first, String firstUsername, PublicIdentity second, String secondUsername) {
        return of(first.bytes(), firstUsername, second.bytes(), secondUsername);
    }

    /** As {@link #of(PublicIdentity, String, PublicIdentity, String)}, from the 64-byte {@code IK}s. */
    public static SafetyNumber of(byte[] firstIdentity, String firstUsername, byte[] secondIdentity, String secondUsername) {
        String a = fingerprint(firstIdentity, firstUsername);
        String b = fingerprint(secondIdentity, secondUsername);
        return new SafetyNumber(a.compareTo(b) <= 0 ? a + b : b + a);
    }

    /** The 30-digit fingerprint of one identity. */
    public static String fingerprint(byte[] identity, String username) {
        Bytes.requireLength(identity, PublicIdentity.SIZE, "IK");
        MessageDigest sha512 = Digests.sha512();
        byte[] hash = new ByteWriter(2 + identity.length + 64).u16(0).bytes(identity)
                .bytes(username.getBytes(StandardCharsets.UTF_8)).toByteArray();
        for (int i = 0; i < ITERATIONS; i++) {
            sha512.update(hash);
            sha512.update(identity);
            hash = sha512.digest();
        }
        StringBuilder digits = new StringBuilder(30);
        for (int chunk = 0; chunk < 6; chunk++) {
            long value = 0;
            for (int j = 0; j < 5; j++) {
                value = (value << 8) | (hash[chunk * 5 + j] & 0xFF);
            }
            digits.append(String.format("%05d", value % 100_000));
        }
        return digits.toString();
    }

    /** 12 groups of 5 digits, for display. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>(12);
        for (int i = 0; i < 60; i += 5) {
            groups.add(digits.substring(i, i + 5));
        }
        return groups;
    }

    /** The text the QR code encodes. */
    public String qrText() {
        return QR_PREFIX + digits;
    }

    /** True if a scanned QR text shows the same safety number. */
    public boolean matchesQrText(String scanned) {
        return MessageDigest.isEqual(qrText().getBytes(StandardCharsets.US_ASCII),
                scanned.getBytes(StandardCharsets.UTF_8));
    }
}
