package dev.parley.wire;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One entry of the catalogue: a frame's {@code type}, who sends it, its record, and how the
 * record is read from and written to JSON. The family classes under
 * {@code dev.parley.wire.frames} declare one per frame; {@link FrameCatalogue} collects them.
 */
public record FrameType<T extends WireFrame>(String name, Direction direction, Class<T> recordClass,
                                            Function<FieldReader, T> reader, BiConsumer<T, FieldWriter> writer) {

    public static <T extends WireFrame> FrameType<T> fromClient(String name, Class<T> recordClass,
            Function<FieldReader, T> reader, BiConsumer<T, FieldWriter> writer) {
        return new FrameType<>(name, Direction.CLIENT_TO_SERVER, recordClass, reader, writer);
    }

    public static <T extends WireFrame> FrameType<T> fromServer(String name, Class<T> recordClass,
            Function<FieldReader, T> reader, BiConsumer<T, FieldWriter> writer) {
        return new FrameType<>(name, Direction.SERVER_TO_CLIENT, recordClass, reader, writer);
    }

    /** Reads the record from a frame's fields; {@link FrameRefused} names the first wrong field. */
    public T read(FieldReader fields) {
        return reader.apply(fields);
    }
}
