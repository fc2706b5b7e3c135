package dev.parley.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.wire.frames.AuthFrames;
import dev.parley.wire.frames.BlobFrames;
import dev.parley.wire.frames.DeliveryFrames;
import dev.parley.wire.frames.DeviceFrames;
import dev.parley.wire.frames.DirectoryFrames;
import dev.parley.wire.frames.PreKeyFrames;
import dev.parley.wire.frames.SessionFrames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every frame of docs/PROTOCOL.md, by family, and the one codec between them and JSON text.
 * A frame is written {@code type} first, then {@code id} (a {@link WireFrame.Request}) or
 * {@code re} (a {@link WireFrame.Answer}), then its fields in the catalogue's order; it is read
 * strictly ({@link WireJson#MAPPER}) and validated field by field ({@link FieldReader}).
 *
 * <p>Adding a frame: a record and a {@link FrameType} in its family's class here, the same in
 * the family's file of {@code web/js/wire/}, an example in {@code test-vectors/wire/frames.json}
 * (docs/ARCHITECTURE.md, "Adding a frame").
 */
public final class FrameCatalogue {

    /** Every frame type, in the order of docs/PROTOCOL.md. */
    public static final List<FrameType<?>> TYPES = Stream.of(SessionFrames.TYPES, AuthFrames.TYPES,
            DirectoryFrames.TYPES, DeviceFrames.TYPES, PreKeyFrames.TYPES, DeliveryFrames.TYPES, BlobFrames.TYPES)
            .flatMap(List::stream).toList();

    private static final Map<String, FrameType<?>> FROM_CLIENT = byName(Direction.CLIENT_TO_SERVER);
    private static final Map<String, FrameType<?>> FROM_SERVER = byName(Direction.SERVER_TO_CLIENT);
    private static final Map<Class<?>, FrameType<?>> BY_RECORD = byRecord();

    private FrameCatalogue() {
    }

    /** The type a client may send under {@code name}, or null. */
    public static FrameType<?> fromClient(String name) {
        return FROM_CLIENT.get(name);
    }

    /** The type the server may send under {@code name}, or null. */
    public static FrameType<?> fromServer(String name) {
        return FROM_SERVER.get(name);
    }

    @SuppressWarnings("unchecked")
    public static <T extends WireFrame> FrameType<T> typeOf(T frame) {
        FrameType<?> type = BY_RECORD.get(frame.getClass());
        if (type == null) {
            throw new IllegalArgumentException(frame.getClass().getName() + " is not in the frame catalogue");
        }
        return (FrameType<T>) type;
    }

    /** The frame as JSON text. */
    public static String encode(WireFrame frame) {
        try {
            return WireJson.MAPPER.writeValueAsString(toJson(frame));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a frame", e);
        }
    }

    public static <T extends WireFrame> ObjectNode toJson(T frame) {
        FrameType<T> type = typeOf(frame);
        ObjectNode node = WireJson.MAPPER.createObjectNode().put("type", type.name());
        if (frame instanceof WireFrame.Request request) {
            node.put("id", request.id());
        } else if (frame instanceof WireFrame.Answer answer && answer.re() != null) {
            node.put("re", answer.re());
        }
        type.writer().accept(frame, new FieldWriter(node));
        return node;
    }

    /** Reads one frame sent in {@code direction}; {@link FrameRefused} says what is wrong with it. */
    public static WireFrame decode(Direction direction, String text) {
        JsonNode node;
        try {
            node = WireJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FrameRefused(ErrorCode.BAD_JSON, "the frame is not one valid JSON object without duplicate keys");
        }
        return decode(direction, node);
    }

    public static WireFrame decode(Direction direction, JsonNode node) {
        return typeFor(direction, node).read(new FieldReader(node));
    }

    /** The catalogue entry a parsed frame names, checked for direction. */
    public static FrameType<?> typeFor(Direction direction, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new FrameRefused(ErrorCode.BAD_JSON, "a frame is a JSON object");
        }
        JsonNode name = node.get("type");
        if (name == null || !name.isTextual()) {
            throw new FrameRefused(ErrorCode.BAD_FRAME, "'type' must be a string");
        }
        FrameType<?> type = (direction == Direction.CLIENT_TO_SERVER ? FROM_CLIENT : FROM_SERVER).get(name.asText());
        if (type == null) {
            throw new FrameRefused(ErrorCode.UNKNOWN_TYPE, "unknown frame type");
        }
        return type;
    }

    private static Map<String, FrameType<?>> byName(Direction direction) {
        Map<String, FrameType<?>> map = new HashMap<>();
        for (FrameType<?> type : TYPES) {
            if (type.direction() == direction && map.put(type.name(), type) != null) {
                throw new IllegalStateException("two frame types named " + type.name());
            }
        }
        return Map.copyOf(map);
    }

    private static Map<Class<?>, FrameType<?>> byRecord() {
        Map<Class<?>, FrameType<?>> map = new HashMap<>();
        List<String> twice = new ArrayList<>();
        for (FrameType<?> type : TYPES) {
            if (map.put(type.recordClass(), type) != null) {
                twice.add(type.recordClass().getName());
            }
        }
        if (!twice.isEmpty()) {
            throw new IllegalStateException("records in the catalogue twice: " + twice);
        }
        return Map.copyOf(map);
    }
}
