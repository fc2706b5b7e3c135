package dev.parley.wire;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Base64;

/** The one JSON mapper for frames, and base64url (RFC 4648 §5, no padding), the wire's form of bytes. */
public final class WireJson {

    /**
     * Strict on input: a frame with anything after its JSON value, or with a key twice in one
     * object, is not valid JSON ({@code bad_json}), so the frame acted on is exactly the frame
     * received (one parser cannot read a different frame than another). Duplicates are caught
     * while the tree is built (a key already in the object), which costs nothing per frame,
     * unlike the parser's own duplicate detection, which keeps a set per object.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Which of the first 128 characters belong to the base64url alphabet. */
    private static final boolean[] IN_BASE64URL = new boolean[128];

    static {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            IN_BASE64URL[alphabet.charAt(i)] = true;
        }
    }

    private WireJson() {
    }

    public static String base64(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** Decodes base64url without padding; {@link IllegalArgumentException} for anything else. */
    public static byte[] fromBase64(String text) {
        if (!isBase64Url(text)) {
            throw new IllegalArgumentException("not base64url without padding");
        }
        return DECODER.decode(text);
    }

    /** Whether {@code text} is base64url without padding: the alphabet, and a length that is not 1 modulo 4. */
    public static boolean isBase64Url(String text) {
        return isBase64UrlAlphabet(text) && text.length() % 4 != 1;
    }

    /**
     * Whether every character is in {@code [A-Za-z0-9_-]}. This runs over every envelope: a
     * regex here once cost a third of the server's CPU per relayed message, so it is a table
     * lookup per character (docs/BENCHMARKS.md, "Profiles").
     */
    public static boolean isBase64UrlAlphabet(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !IN_BASE64URL[c]) {
                return false;
            }
        }
        return true;
    }

    /** A request or message id: {@code [A-Za-z0-9_-]{1,64}}, checked without a regex (it is read on every frame). */
    public static boolean isRequestId(String text) {
        return !text.isEmpty() && text.length() <= WireLimits.MAX_ID_CHARS && isBase64UrlAlphabet(text);
    }
}
