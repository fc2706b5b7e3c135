package dev.parley.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of one JSON object of a frame. Every read throws {@link FrameRefused}
 * with {@link ErrorCode#BAD_FRAME} naming the field (with its path, e.g.
 * {@code oneTimePreKeys[3].id}) when the sender got it wrong, so a decoded record only ever
 * holds well-formed values. Unknown fields are ignored, so newer senders stay readable.
 */
public final class FieldReader {

    private final JsonNode node;
    private final String prefix;

    public FieldReader(JsonNode node) {
        this(node, "");
    }

    private FieldReader(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** The frame's {@code id} if it is a well-formed request id, else null: where to send an error's {@code re}. */
    public String idOrNull() {
        JsonNode id = node.get("id");
        return id != null && id.isTextual() && WireJson.isRequestId(id.asText()) ? id.asText() : null;
    }

    /** A request or message id, {@code [A-Za-z0-9_-]{1,64}}. */
    public String id(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !WireJson.isRequestId(value.asText())) {
            throw bad(field, "a string of 1 to 64 characters of A-Z a-z 0-9 _ -");
        }
        return value.asText();
    }

    /** An answer's {@code re}: a request id, or null when absent (an unprompted frame). */
    public String reOrNull() {
        return has("re") ? id("re") : null;
    }

    public String string(String field, Pattern pattern, String expectation) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !pattern.matcher(value.asText()).matches()) {
            throw bad(field, "a string of " + expectation);
        }
        return value.asText();
    }

    /** A non-empty string of at most {@code maxLength} characters. */
    public String string(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty() || value.asText().length() > maxLength) {
            throw bad(field, "a non-empty string of at most " + maxLength + " characters");
        }
        return value.asText();
    }

    /** A string, possibly empty, of at most {@code maxLength} characters. */
    public String text(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().length() > maxLength) {
            throw bad(field, "a string of at most " + maxLength + " characters");
        }
        return value.asText();
    }

    /** A base64url (unpadded) string kept as text, for values only passed on (envelopes); checked, not decoded. */
    public String base64Text(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty() || !WireJson.isBase64Url(value.asText())) {
            throw bad(field, "a non-empty base64url string without padding");
        }
        return value.asText();
    }

    /** Decodes a base64url field that must hold exactly {@code length} bytes. */
    public byte[] bytes(String field, int length) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw bad(field, length + " bytes in base64url");
        }
        byte[] decoded;
        try {
            decoded = WireJson.fromBase64(value.asText());
        } catch (IllegalArgumentException e) {
            throw bad(field, "base64url without padding");
        }
        if (decoded.length != length) {
            throw bad(field, length + " bytes in base64url");
        }
        return decoded;
    }

    /** Decodes a base64url field of {@code minLength} to {@code maxLength} bytes. */
    public byte[] bytes(String field, int minLength, int maxLength) {
        JsonNode value = node.get(field);
        String expectation = minLength + " to " + maxLength + " bytes in base64url";
        if (value == null || !value.isTextual()) {
            throw bad(field, expectation);
        }
        byte[] decoded;
        try {
            decoded = WireJson.fromBase64(value.asText());
        } catch (IllegalArgumentException e) {
            throw bad(field, "base64url without padding");
        }
        if (decoded.length < minLength || decoded.length > maxLength) {
            throw bad(field, expectation);
        }
        return decoded;
    }

    /** An optional integer from {@code min} to {@code max}: null when absent. */
    public Long optionalInteger(String field, long min, long max) {
        return has(field) ? integer(field, min, max) : null;
    }

    /** An array of at most {@code maxItems} integers, each from {@code min} to {@code max}; empty when absent. */
    public List<Integer> integers(String field, int maxItems, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw bad(field, "an array of at most " + maxItems + " integers");
        }
        List<Integer> result = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToInt() || item.asInt() < min || item.asInt() > max) {
                throw bad(field + "[" + i + "]", "an integer from " + min + " to " + max);
            }
            result.add(item.asInt());
        }
        return List.copyOf(result);
    }

    /**
     * A required array of {@code minItems} to {@code maxItems} non-empty strings of at most
     * {@code maxLength} characters each.
     */
    public List<String> strings(String field, int minItems, int maxItems, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray() || value.size() < minItems || value.size() > maxItems) {
            throw bad(field, "an array of " + minItems + " to " + maxItems + " strings");
        }
        List<String> result = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.asText().isEmpty() || item.asText().length() > maxLength) {
                throw bad(field + "[" + i + "]", "a non-empty string of at most " + maxLength + " characters");
            }
            result.add(item.asText());
        }
        return List.copyOf(result);
    }

    /**
     * A refusal of a field whose parts are each well formed but do not fit together (a device
     * list out of order, say), with the code that says so and the field's full path.
     */
    public FrameRefused refuse(ErrorCode code, String field, String expectation) {
        return new FrameRefused(code, "'" + prefix + field + "' must be " + expectation);
    }

    /** One of the names in {@code byName} (in its iteration order in the error message), as its value. */
    public <T> T choice(String field, java.util.Map<String, T> byName) {
        JsonNode value = node.get(field);
        T chosen = value != null && value.isTextual() ? byName.get(value.asText()) : null;
        if (chosen == null) {
            throw bad(field, String.join(" or ", byName.keySet().stream().map(name -> '"' + name + '"').toList()));
        }
        return chosen;
    }

    public long integer(String field, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || value.asLong() < min || value.asLong() > max) {
            throw bad(field, "an integer from " + min + " to " + max);
        }
        return value.asLong();
    }

    public boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw bad(field, "true or false");
        }
        return value.booleanValue();
    }

    /** An optional boolean: {@code false} when absent. */
    public boolean flag(String field) {
        return has(field) && bool(field);
    }

    /** Whether the field is present and not null. */
    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public <T> T object(String field, Function<FieldReader, T> element) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw bad(field, "an object");
        }
        return element.apply(new FieldReader(value, prefix + field + "."));
    }

    /** An optional object: null when absent. */
    public <T> T optionalObject(String field, Function<FieldReader, T> element) {
        return has(field) ? object(field, element) : null;
    }

    /** An array of at most {@code maxItems} objects; empty when absent. */
    public <T> List<T> list(String field, int maxItems, Function<FieldReader, T> element) {
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
            result.add(element.apply(new FieldReader(item, prefix + field + "[" + i + "].")));
        }
        return List.copyOf(result);
    }

    private FrameRefused bad(String field, String expectation) {
        return new FrameRefused(ErrorCode.BAD_FRAME, "'" + prefix + field + "' must be " + expectation);
    }
}
