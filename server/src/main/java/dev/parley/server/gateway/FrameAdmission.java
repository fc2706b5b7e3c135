package dev.parley.server.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.wire.Direction;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FieldReader;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.Ack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Decides whether a text frame is handled, in this order: its size, its frame-rate token
 * (taken before anything is parsed, so a flood costs one token check per frame), then strict
 * JSON (one tree parse), the frame's type in the {@link FrameCatalogue}, its route and login.
 * The record itself is read from the same tree by the route ({@link Routes.Bound#dispatch}),
 * so a frame is parsed once and its fields read once.
 *
 * <p>The rate and acks: a frame that finds the rate bucket empty is still parsed if the
 * connection has relays awaiting an ack ("ack credit", at most the delivery window), and it is
 * handled only if it is an {@code ack} of one of them; anything else is refused as
 * {@code rate_limited} and is a strike. An ack of an awaited relay never costs a token either
 * (one taken is given back), so a recipient may acknowledge a backlog as fast as it is relayed
 * without starving its own sends, and acknowledging can never stall delivery. Acks beyond the
 * rate are bounded by the relays the server itself sent.
 */
final class FrameAdmission {

    /**
     * A frame that passed every check: its route, its fields, its {@code id} for an error's
     * {@code re}, and its record when admission already read it (an awaited ack), else null.
     */
    record Accepted(Routes.Bound<?> bound, FieldReader fields, String re, Ack ack) {
        void dispatch(ClientConnection connection) {
            if (ack != null) {
                bound.dispatchRead(connection, ack);
            } else {
                bound.dispatch(connection, fields);
            }
        }
    }

    /** How far into a refused, unparsed frame its {@code id} is looked for (clients put it second, after {@code type}). */
    private static final int ID_PEEK_CHARS = 256;

    private final Map<FrameType<?>, Routes.Bound<?>> routes;
    private final int maxFrameBytes;
    private final String rateMessage;
    private final Refusals refusals;

    FrameAdmission(Map<FrameType<?>, Routes.Bound<?>> routes, int maxFrameBytes, int framesPerSecond, Refusals refusals) {
        this.routes = routes;
        this.maxFrameBytes = maxFrameBytes;
        this.rateMessage = "more than " + framesPerSecond + " frames per second";
        this.refusals = refusals;
    }

    /** Checks one text frame; null if it was refused (the client has been told). */
    Accepted accept(ClientConnection connection, String text) {
        boolean token = connection.tryConsumeFrame();
        AwaitingAcks awaiting = token ? null : connection.awaitingAcks();
        if (!token && (awaiting == null || !awaiting.anyAwaitingAck())) {
            refusals.refuse(connection, ErrorCode.RATE_LIMITED, rateMessage, peekId(text));
            return null;
        }
        if (exceedsUtf8(text, maxFrameBytes)) {
            refusals.refuse(connection, ErrorCode.FRAME_TOO_LARGE, "frames are limited to " + maxFrameBytes + " bytes", null);
            return null;
        }
        JsonNode node;
        try {
            node = WireJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            refusals.refuse(connection, ErrorCode.BAD_JSON, "the frame is not one valid JSON object without duplicate keys", null);
            return null;
        }
        if (node == null || !node.isObject()) {
            refusals.refuse(connection, ErrorCode.BAD_JSON, "a frame is a JSON object", null);
            return null;
        }
        var fields = new FieldReader(node);
        String re = fields.idOrNull();
        FrameType<?> type;
        FrameRefused unknown = null;
        try {
            type = FrameCatalogue.typeFor(Direction.CLIENT_TO_SERVER, node);
        } catch (FrameRefused e) {
            type = null;
            unknown = e;
        }
        Ack ack = awaitedAck(connection, type, fields);
        if (ack != null) {
            if (token) {
                connection.refundFrame();
            }
        } else if (!token) {
            refusals.refuseOverRate(connection, rateMessage, re);
            return null;
        }
        if (unknown != null) {
            refusals.refuse(connection, unknown.code(), unknown.getMessage(), re);
            return null;
        }
        Routes.Bound<?> bound = routes.get(type);
        if (bound.route().requiresLogin() && !connection.isAuthenticated()) {
            refusals.refuse(connection, ErrorCode.NOT_AUTHENTICATED, "log in or register first", re);
            return null;
        }
        if (connection.isAuthenticated() && !connection.isListed() && !bound.route().unlistedAllowed()) {
            refusals.refuse(connection, ErrorCode.UNKNOWN_DEVICE, "this account has no device list yet: "
                    + "publish_devices version 1 listing this device as device 1 first", re);
            return null;
        }
        return new Accepted(bound, fields, re, ack);
    }

    /**
     * The frame as an {@code ack} of a message relayed on this connection and not yet
     * acknowledged, read from its fields; null for any other frame (or an ack that is not well formed).
     */
    private static Ack awaitedAck(ClientConnection connection, FrameType<?> type, FieldReader fields) {
        AwaitingAcks awaiting = connection.awaitingAcks();
        if (type == null || type.recordClass() != Ack.class || awaiting == null) {
            return null;
        }
        try {
            Ack ack = (Ack) type.read(fields);
            return awaiting.awaitsAck(ack.from(), ack.id()) ? ack : null;
        } catch (FrameRefused e) {
            return null;
        }
    }

    /**
     * The {@code id} of a frame refused before parsing, for the error's {@code re}, if it is a
     * top-level string field within the first {@link #ID_PEEK_CHARS} characters; else null.
     * Bounded work, whatever the frame holds.
     */
    static String peekId(String text) {
        String head = text.length() <= ID_PEEK_CHARS ? text : text.substring(0, ID_PEEK_CHARS);
        try (JsonParser parser = WireJson.MAPPER.getFactory().createParser(head)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("id")) {
                    return value == JsonToken.VALUE_STRING && WireJson.isRequestId(parser.getText()) ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // cut off or malformed before an id
        }
    }

    /** Whether the UTF-8 encoding of {@code text} is longer than {@code maxBytes}, encoding only when it must. */
    private static boolean exceedsUtf8(String text, int maxBytes) {
        if (text.length() > maxBytes) {
            return true; // every UTF-16 unit takes at least one byte
        }
        if ((long) text.length() * 3 <= maxBytes) {
            return false; // and at most three
        }
        return text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
    }
}
