package dev.parley.server.gateway;

import dev.parley.wire.Direction;
import dev.parley.wire.FieldReader;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's route for each client frame of the {@link FrameCatalogue}, registered by the
 * frame's record class. Every client frame of the catalogue must have one: {@link #complete}
 * refuses to build a gateway otherwise, so a frame added to the catalogue cannot be silently
 * answered {@code unknown_type} by this server.
 */
public final class Routes {

    /** A catalogue type with its route: reads the record and hands it to the typed handler. */
    record Bound<T extends WireFrame>(FrameType<T> type, Route<T> route) {
        void dispatch(ClientConnection connection, FieldReader fields) {
            route.handler().handle(connection, type.read(fields));
        }

        /** Hands over a record this type has already read (an ack read for the rate check). */
        void dispatchRead(ClientConnection connection, WireFrame frame) {
            route.handler().handle(connection, type.recordClass().cast(frame));
        }
    }

    private final Map<FrameType<?>, Bound<?>> byType = new IdentityHashMap<>();

    /** Routes the client frame whose record is {@code recordClass}; each type once. */
    public <T extends WireFrame> Routes add(Class<T> recordClass, Route<T> route) {
        FrameType<T> type = clientType(recordClass);
        if (byType.put(type, new Bound<>(type, route)) != null) {
            throw new IllegalStateException("two routes for " + type.name());
        }
        return this;
    }

    /** The client frame types of the catalogue that have no route here, by name. */
    public List<String> missing() {
        return FrameCatalogue.TYPES.stream()
                .filter(type -> type.direction() == Direction.CLIENT_TO_SERVER && !byType.containsKey(type))
                .map(FrameType::name).toList();
    }

    /** A copy for the gateway; {@link IllegalStateException} naming every client frame without a route. */
    Map<FrameType<?>, Bound<?>> complete() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("client frames of the catalogue without a server route: " + missing);
        }
        return new IdentityHashMap<>(byType);
    }

    @SuppressWarnings("unchecked")
    private static <T extends WireFrame> FrameType<T> clientType(Class<T> recordClass) {
        for (FrameType<?> type : FrameCatalogue.TYPES) {
            if (type.recordClass() == recordClass && type.direction() == Direction.CLIENT_TO_SERVER) {
                return (FrameType<T>) type;
            }
        }
        throw new IllegalArgumentException(recordClass.getName() + " is not a client frame of the catalogue");
    }
}
