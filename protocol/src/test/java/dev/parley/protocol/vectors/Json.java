package dev.parley.protocol.vectors;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON conventions of test-vectors/README.md: binary as base64url without padding, stable layout. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new vector file {@code name} with its description, naming the section of docs/CRYPTO.md it pins. */
    static ObjectNode vectorFile(String name, String section) {
        ObjectNode file = object();
        file.put("description", "Parley shared test vector " + name + " (docs/CRYPTO.md " + section + "), written by the Java implementation");
        return file;
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Pretty-printed with two-space indentation and {@code \n} line ends, ending in a newline. */
    static String write(JsonNode node) {
        try {
            return MAPPER.writer(PRINTER).writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of a required base64url field. */
    static byte[] bytes(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("vector field '" + field + "' missing or not a string");
        }
        return Bytes.fromB64(value.asText());
    }

    /** The bytes of element {@code index} of a base64url string array. */
    static byte[] bytesAt(JsonNode array, int index) {
        JsonNode value = array.get(index);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("vector array element " + index + " missing or not a string");
        }
        return Bytes.fromB64(value.asText());
    }

    static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("vector field '" + field + "' missing or not a number");
        }
        return value.asLong();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("vector field '" + field + "' missing or not a string");
        }
        return value.asText();
    }

    static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("vector field '" + field + "' missing");
        }
        return value;
    }

    /** A single object or an array of objects, as a list (the README shows single objects). */
    static java.util.List<JsonNode> cases(JsonNode node) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    /** JSON equality where numbers compare by value (an int read back equals the long written). */
    static boolean same(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> x.equals(y) || (x.isNumber() && y.isNumber()
                && x.decimalValue().compareTo(y.decimalValue()) == 0) ? 0 : 1, b);
    }

    static String b64(byte[] value) {
        return Bytes.b64(value);
    }
}
