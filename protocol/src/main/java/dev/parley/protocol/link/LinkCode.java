package dev.parley.protocol.link;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.wire.Crockford;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.X25519;

/**
 * The link code (CRYPTO.md §10.1): the new device's one-time public key {@code E_pub} (32
 * bytes) as 52 characters of {@link Crockford} base32, shown in groups of four joined by {@code '-'}, and
 * as the QR text {@code parley-link:v1:<52 characters>}.
 *
 * <p>{@link #parse} accepts either form as typed or scanned: lower case is accepted, dashes and
 * spaces (tab, line breaks and the Unicode space separators) are ignored and the look-alikes {@code O}→{@code 0}, {@code I}/{@code L}→{@code 1} are folded, as
 * for recovery codes. The QR prefix is accepted in any letter case. Anything else (wrong
 * length, a character outside the alphabet, non-zero padding bits, another prefix) is refused
 * with {@link Failure#MALFORMED} and a message saying which.
 */
public final class LinkCode {

    /** Prefix of the QR text. */
    public static final String QR_PREFIX = "parley-link:v1:";
    /** Characters of a code without separators. */
    public static final int LENGTH = Crockford.encodedLength(X25519.KEY_SIZE);

    private LinkCode() {}

    /** The code as shown: 13 groups of four characters joined by dashes. */
    public static String display(byte[] ePublic) {
        return Crockford.grouped(Crockford.encode(Bytes.requireLength(ePublic, X25519.KEY_SIZE, "link public key")));
    }

    /** The QR text: {@code parley-link:v1:} and the 52 characters without dashes. */
    public static String qrText(byte[] ePublic) {
        return QR_PREFIX + Crockford.encode(Bytes.requireLength(ePublic, X25519.KEY_SIZE, "link public key"));
    }

    /** {@code E_pub} from a typed code or a scanned QR text. */
    public static byte[] parse(String text) throws ProtocolException {
        if (text == null) {
            throw malformed("no link code");
        }
        String body = text;
        int start = 0;
        while (start < body.length() && isSeparator(body.charAt(start)) && body.charAt(start) != '-') {
            start++;
        }
        body = body.substring(start);
        if (body.regionMatches(true, 0, QR_PREFIX, 0, QR_PREFIX.length())) {
            body = body.substring(QR_PREFIX.length());
        } else if (body.indexOf(':') >= 0) {
            throw malformed("not a Parley link code (unknown prefix)");
        }
        StringBuilder canonical = new StringBuilder(LENGTH);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (isSeparator(c)) {
                continue;
            }
            c = Crockford.fold(c);
            if (Crockford.ALPHABET.indexOf(c) < 0) {
                throw malformed("the link code contains a character that is not part of it");
            }
            canonical.append(c);
        }
        if (canonical.length() != LENGTH) {
            throw malformed("a link code has " + LENGTH + " characters, this one has " + canonical.length());
        }
        try {
            return Crockford.decode(canonical.toString(), X25519.KEY_SIZE);
        } catch (IllegalArgumentException e) {
            throw malformed("the link code's last character is not possible (mistyped?)");
        }
    }

    /**
     * Ignored between characters: {@code '-'}, tab, line feed, vertical tab, form feed, carriage
     * return and the Unicode space separators (category Zs, such as U+00A0 from a copied text).
     */
    private static boolean isSeparator(char c) {
        return c == '-' || (c >= '\t' && c <= '\r') || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static ProtocolException malformed(String reason) {
        return new ProtocolException(Failure.MALFORMED, reason);
    }
}
