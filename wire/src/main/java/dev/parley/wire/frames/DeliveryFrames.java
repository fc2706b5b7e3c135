package dev.parley.wire.frames;

import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import java.util.List;

/**
 * The durable message path (docs/PROTOCOL.md §6): a sender's {@code send_message} is answered
 * {@code stored} once committed; the server relays it to the recipient, who acknowledges it
 * with {@code ack} once it has durably processed it, and only then is it erased.
 */
public final class DeliveryFrames {

    /** {@code id} is the message id (128 random bits in clients), unique per sender and recipient. */
    public record SendMessage(String id, String to, String envelope) implements WireFrame.Request {
        public static final String TYPE = "send_message";

        /** The envelope's length only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "SendMessage[id=" + id + ", to=" + to + ", envelope=" + envelope.length() + " chars]";
        }
    }

    /** The message is on the server's disk; {@code duplicate} when it had been already (a resend). */
    public record Stored(String re, long serverTime, boolean duplicate) implements WireFrame.Answer {
        public static final String TYPE = "stored";
    }

    public record RelayMessage(String id, String from, String envelope, long serverTime) implements WireFrame {
        public static final String TYPE = "relay_message";

        /** The envelope's length only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "RelayMessage[id=" + id + ", from=" + from + ", envelope=" + envelope.length() + " chars, serverTime="
                    + serverTime + "]";
        }
    }

    /** The recipient has the message: the server erases it. Has no answer. */
    public record Ack(String id, String from) implements WireFrame {
        public static final String TYPE = "ack";
    }

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(SendMessage.TYPE, SendMessage.class,
                    f -> new SendMessage(f.id("id"), f.string("to", WireLimits.MAX_NAME_CHARS), f.base64Text("envelope")),
                    (s, w) -> w.string("to", s.to()).string("envelope", s.envelope())),
            FrameType.fromServer(Stored.TYPE, Stored.class,
                    f -> new Stored(f.reOrNull(), f.integer("serverTime", 0, Long.MAX_VALUE), f.flag("duplicate")),
                    (s, w) -> w.integer("serverTime", s.serverTime()).flag("duplicate", s.duplicate())),
            FrameType.fromServer(RelayMessage.TYPE, RelayMessage.class,
                    f -> new RelayMessage(f.id("id"), f.string("from", WireLimits.MAX_NAME_CHARS),
                            f.base64Text("envelope"), f.integer("serverTime", 0, Long.MAX_VALUE)),
                    (r, w) -> w.string("id", r.id()).string("from", r.from()).string("envelope", r.envelope())
                            .integer("serverTime", r.serverTime())),
            FrameType.fromClient(Ack.TYPE, Ack.class,
                    f -> new Ack(f.id("id"), f.string("from", WireLimits.MAX_NAME_CHARS)),
                    (a, w) -> w.string("id", a.id()).string("from", a.from())));

    private DeliveryFrames() {
    }
}
