package dev.parley.wire.frames;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.FieldReader;
import dev.parley.wire.FieldWriter;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable message path (docs/PROTOCOL.md §6): a sender's {@code send_message} is answered
 * {@code stored} once committed; the server relays it to the recipient, who acknowledges it
 * with {@code ack} once it has durably processed it, and only then is it erased.
 */
public final class DeliveryFrames {

    /** One copy of a message: the envelope for one device of the recipient's list. */
    public record DeviceEnvelope(int device, String envelope) {
        static DeviceEnvelope read(FieldReader f) {
            return new DeviceEnvelope(DeviceFrames.deviceId(f, "device"), f.base64Text("envelope"));
        }

        static void write(DeviceEnvelope d, FieldWriter w) {
            w.integer("device", d.device()).string("envelope", d.envelope());
        }

        /** The envelope's length only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "DeviceEnvelope[device=" + device + ", envelope=" + envelope.length() + " chars]";
        }
    }

    /**
     * {@code id} is the message id (128 random bits in clients), unique per sender and recipient.
     * {@code devices}: one envelope per device of {@code to}'s current list (to one's own
     * username: every device but the sending one), each device once. {@code content}, when
     * present, is the ciphertext shared by every copy (a fan-out: each envelope is then that
     * device's key message); null when each envelope is a whole message.
     */
    public record SendMessage(String id, String to, String content, List<DeviceEnvelope> devices) implements WireFrame.Request {
        public static final String TYPE = "send_message";

        public SendMessage {
            devices = List.copyOf(devices);
        }

        /** Lengths only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "SendMessage[id=" + id + ", to=" + to + ", content=" + (content == null ? "none" : content.length() + " chars")
                    + ", devices=" + devices + "]";
        }
    }

    /** The message is on the server's disk; {@code duplicate} when it had been already (a resend). */
    public record Stored(String re, long serverTime, boolean duplicate) implements WireFrame.Answer {
        public static final String TYPE = "stored";
    }

    /** This device's copy of a message from device {@code fromDevice} of {@code from}; {@code content} as sent (or null). */
    public record RelayMessage(String id, String from, int fromDevice, String envelope, String content, long serverTime)
            implements WireFrame {
        public static final String TYPE = "relay_message";

        /** Lengths only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "RelayMessage[id=" + id + ", from=" + from + ", fromDevice=" + fromDevice + ", envelope=" + envelope.length()
                    + " chars, content=" + (content == null ? "none" : content.length() + " chars") + ", serverTime="
                    + serverTime + "]";
        }
    }

    /** The recipient device has the message: the server erases this device's copy. Has no answer. */
    public record Ack(String id, String from) implements WireFrame {
        public static final String TYPE = "ack";
    }

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(SendMessage.TYPE, SendMessage.class,
                    f -> new SendMessage(f.id("id"), f.string("to", WireLimits.MAX_NAME_CHARS), content(f), envelopes(f)),
                    (s, w) -> w.string("to", s.to()).string("content", s.content())
                            .array("devices", s.devices(), DeviceEnvelope::write)),
            FrameType.fromServer(Stored.TYPE, Stored.class,
                    f -> new Stored(f.reOrNull(), f.integer("serverTime", 0, Long.MAX_VALUE), f.flag("duplicate")),
                    (s, w) -> w.integer("serverTime", s.serverTime()).flag("duplicate", s.duplicate())),
            FrameType.fromServer(RelayMessage.TYPE, RelayMessage.class,
                    f -> new RelayMessage(f.id("id"), f.string("from", WireLimits.MAX_NAME_CHARS),
                            DeviceFrames.deviceId(f, "fromDevice"), f.base64Text("envelope"), content(f),
                            f.integer("serverTime", 0, Long.MAX_VALUE)),
                    (r, w) -> w.string("id", r.id()).string("from", r.from()).integer("fromDevice", r.fromDevice())
                            .string("envelope", r.envelope()).string("content", r.content())
                            .integer("serverTime", r.serverTime())),
            FrameType.fromClient(Ack.TYPE, Ack.class,
                    f -> new Ack(f.id("id"), f.string("from", WireLimits.MAX_NAME_CHARS)),
                    (a, w) -> w.string("id", a.id()).string("from", a.from())));

    private static String content(FieldReader f) {
        return f.has("content") ? f.base64Text("content") : null;
    }

    /** 1 to {@link WireLimits#MAX_DEVICES} envelopes, each device once. */
    private static List<DeviceEnvelope> envelopes(FieldReader f) {
        if (!f.has("devices")) {
            throw f.refuse(ErrorCode.BAD_FRAME, "devices", "an array of 1 to " + WireLimits.MAX_DEVICES + " envelopes");
        }
        List<DeviceEnvelope> devices = f.list("devices", WireLimits.MAX_DEVICES, DeviceEnvelope::read);
        if (devices.isEmpty()) {
            throw f.refuse(ErrorCode.BAD_FRAME, "devices", "an array of 1 to " + WireLimits.MAX_DEVICES + " envelopes");
        }
        Set<Integer> seen = new HashSet<>();
        for (DeviceEnvelope device : devices) {
            if (!seen.add(device.device())) {
                throw f.refuse(ErrorCode.BAD_FRAME, "devices", "an array naming each device once");
            }
        }
        return devices;
    }

    private DeliveryFrames() {
    }
}
