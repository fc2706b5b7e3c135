package dev.parley.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A parsed client frame with typed, validated field access. Every accessor throws
 * {@link ProtocolException} with {@link ErrorCode#BAD_FRAME} naming the field when the client
 * got it wrong, so handlers never see malformed input.
 */
public final class Frame {

    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final JsonNode node;
    private final String prefix;

    Frame(JsonNode node) {
        this(node, "");
    }

    private Frame(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** The request id a response refers to in {@code re}; null if absent or malformed. */
    public String idOrNull() {
        JsonNode id = node.get("id");
        return id != null && id.isTextual() && isRequestId(id.asText()) ? id.asText() : null;
    }

    /** The request id, {@code [A-Za-z0-9_-]{1,64}}; for send_message also the message id. */
    public String id() {
        JsonNode value = node.get("id");
        if (value == null || !value.isTextual() || !isRequestId(value.asText())) {
            throw bad("id", "a string of 1 to 64 characters of A-Z a-z 0-9 _ -");
        }
        return value.asText();
    }

    public String string(String field, Pattern pattern, String expectation) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !pattern.matcher(value.asText()).matches()) {
            throw bad(field, "a string of " + expectation);
        }
        return value.asText();
    }

    public String string(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty() || value.asText().length() > maxLength) {
            throw bad(field, "a non-empty string of at most " + maxLength + " characters");
        }
        return value.asText();
    }

    /** A base64url (unpadded) string; checked for alphabet and length but not decoded. */
    public String base64(String field, int maxChars, ErrorCode tooLong) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw bad(field, "a non-empty base64url string");
        }
        String text = value.asText();
        if (text.length() > maxChars) {
            throw new ProtocolException(tooLong, "'" + prefix + field + "' exceeds " + maxChars + " characters");
        }
        if (!isBase64UrlAlphabet(text) || text.length() % 4 == 1) {
            throw bad(field, "base64url without padding");
        }
        return text;
    }

    /** Decodes a base64url field that must hold exactly {@code length} bytes (any length if negative). */
    public byte[] bytes(String field, int length) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw bad(field, "a base64url string");
        }
        byte[] decoded;
        try {
            String text = value.asText();
            if (text.contains("=")) {
                throw new IllegalArgumentException("padding");
            }
            decoded = BASE64URL.decode(text);
        } catch (IllegalArgumentException e) {
            throw bad(field, "base64url without padding");
        }
        if (length >= 0 && decoded.length != length) {
            throw bad(field, length + " bytes in base64url");
        }
        return decoded;
    }

    public long longValue(String field, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || value.asLong() < min || value.asLong() > max) {
            throw bad(field, "an integer from " + min + " to " + max);
        }
        return value.asLong();
    }

    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public Frame object(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw bad(field, "an object");
        }
        return new Frame(value, prefix + field + ".");
    }

    public <T> List<T> list(String field, int maxItems, Function<Frame, T> element) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw bad(field, "an array of at most " + maxItems + " items");
        }
        List<T> result = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isObject()) {
                throw bad(field + "[" + i + "]", "an object");
            }
            result.add(element.apply(new Frame(item, prefix + field + "[" + i + "].")));
        }
        return result;
    }

    /** {@code [A-Za-z0-9_-]{1,64}}, checked without a regex: ids are validated on every frame. */
    static boolean isRequestId(String text) {
        return !text.isEmpty() && text.length() <= 64 && isBase64UrlAlphabet(text);
    }

    /** Which of the first 128 characters belong to the base64url alphabet. */
    private static final boolean[] IN_BASE64URL = new boolean[128];

    static {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            IN_BASE64URL[alphabet.charAt(i)] = true;
        }
    }

    /**
     * Whether every character is in {@code [A-Za-z0-9_-]}. This runs over every envelope: a
     * regex here once cost a third of the server's CPU per relayed message, so it is a table
     * lookup per character (docs/BENCHMARKS.md, "Profiles").
     */
    private static boolean isBase64UrlAlphabet(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !IN_BASE64URL[c]) {
                return false;
            }
        }
        return true;
    }

    private ProtocolException bad(String field, String expectation) {
        return new ProtocolException(ErrorCode.BAD_FRAME, "'" + prefix + field + "' must be " + expectation);
    }
}
