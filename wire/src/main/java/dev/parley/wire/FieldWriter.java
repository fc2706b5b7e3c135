package dev.parley.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.BiConsumer;

/** Writes one JSON object of a frame, in the catalogue's field order; null values are left out. */
public final class FieldWriter {

    private final ObjectNode node;

    FieldWriter(ObjectNode node) {
        this.node = node;
    }

    public FieldWriter string(String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
        return this;
    }

    public FieldWriter bytes(String field, byte[] value) {
        if (value != null) {
            node.put(field, WireJson.base64(value));
        }
        return this;
    }

    public FieldWriter integer(String field, long value) {
        node.put(field, value);
        return this;
    }

    /** An optional integer: left out when null. */
    public FieldWriter optionalInteger(String field, Long value) {
        if (value != null) {
            node.put(field, value);
        }
        return this;
    }

    /** An optional array of integers: left out when null or empty. */
    public FieldWriter integers(String field, List<Integer> values) {
        if (values != null && !values.isEmpty()) {
            var array = node.putArray(field);
            values.forEach(array::add);
        }
        return this;
    }

    /** An array of strings, always written. */
    public FieldWriter strings(String field, List<String> values) {
        var array = node.putArray(field);
        values.forEach(array::add);
        return this;
    }

    public FieldWriter bool(String field, boolean value) {
        node.put(field, value);
        return this;
    }

    /** Writes {@code "field": true} only when set: the form of optional markers such as {@code duplicate}. */
    public FieldWriter flag(String field, boolean value) {
        if (value) {
            node.put(field, true);
        }
        return this;
    }

    public <T> FieldWriter object(String field, T value, BiConsumer<T, FieldWriter> element) {
        if (value != null) {
            element.accept(value, new FieldWriter(node.putObject(field)));
        }
        return this;
    }

    /** An optional array of objects: left out when null or empty. */
    public <T> FieldWriter list(String field, List<T> values, BiConsumer<T, FieldWriter> element) {
        return values == null || values.isEmpty() ? this : array(field, values, element);
    }

    /** An array of objects that is always written, empty or not. */
    public <T> FieldWriter array(String field, List<T> values, BiConsumer<T, FieldWriter> element) {
        var array = node.putArray(field);
        for (T value : values) {
            element.accept(value, new FieldWriter(array.addObject()));
        }
        return this;
    }
}
