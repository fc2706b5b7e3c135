package dev.parley.wire.frames;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.FieldReader;
import dev.parley.wire.FieldWriter;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The durable message path (docs/PROTOCOL.md §6, §6a): a sender's {@code send_message} (one
 * account) or {@code send_multi} (many accounts, the body stored once) is answered
 * {@code stored} once committed; the server relays it to each recipient device, which
 * acknowledges it with {@code ack} once it has durably processed it, and only then is that
 * device's copy erased.
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
     * device's key message); null when each envelope is a whole message. {@code expiresIn},
     * when not null, is a disappearing message's timer in seconds
     * ({@link ExpiresIn}): the server drops a copy still queued that many seconds after
     * storing it.
     */
    public record SendMessage(String id, String to, String content, List<DeviceEnvelope> devices, Integer expiresIn)
            implements WireFrame.Request {
        public static final String TYPE = "send_message";

        public SendMessage {
            devices = List.copyOf(devices);
            ExpiresIn.check(expiresIn);
        }

        /** A message that does not disappear. */
        public SendMessage(String id, String to, String content, List<DeviceEnvelope> devices) {
            this(id, to, content, devices, null);
        }

        /** This frame with the timer {@code seconds} (null: none). */
        public SendMessage withExpiresIn(Integer seconds) {
            return new SendMessage(id, to, content, devices, seconds);
        }

        /** Lengths only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "SendMessage[id=" + id + ", to=" + to + ", content=" + (content == null ? "none" : content.length() + " chars")
                    + ", devices=" + devices + (expiresIn == null ? "" : ", expiresIn=" + expiresIn) + "]";
        }

        static SendMessage read(FieldReader f) {
            return new SendMessage(f.id("id"), f.string("to", WireLimits.MAX_NAME_CHARS), DeliveryFrames.content(f), envelopes(f),
                    ExpiresIn.read(f));
        }

        static void write(SendMessage s, FieldWriter w) {
            w.string("to", s.to()).string("content", s.content()).array("devices", s.devices(), DeviceEnvelope::write);
            ExpiresIn.write(s.expiresIn(), w);
        }
    }

    /**
     * One message to many accounts (docs/PROTOCOL.md §6a), stored once: {@code content}, when
     * present, is shared by every copy; each device's copy is {@code content} plus that
     * device's own {@code envelope} when it has one. {@code recipients}: 1 to
     * {@link WireLimits#MAX_MULTI_RECIPIENTS} accounts, each once, each with exactly its listed
     * devices (as {@link SendMessage}). A decoded frame never holds a copy with neither
     * content nor envelope. {@code id} is the message id for every recipient.
     *
     * <p>{@code recipientSet}, when not null, names instead the recipients of an earlier frame
     * of this device (the id its {@link Stored} answer carried): {@code recipients} is then
     * empty, and the frame carries {@code content} and no envelope. A decoded frame has exactly
     * one of the two.
     *
     * <p>{@code expiresIn}: as in {@link SendMessage}, for every copy.
     */
    public record SendMulti(String id, String content, List<MultiRecipient> recipients, String recipientSet, Integer expiresIn)
            implements WireFrame.Request {
        public static final String TYPE = "send_multi";

        public SendMulti {
            recipients = List.copyOf(recipients);
            if (recipientSet != null && !recipients.isEmpty()) {
                throw new IllegalArgumentException("a send_multi names its recipients or a recipient set, not both");
            }
            ExpiresIn.check(expiresIn);
        }

        /** A message that does not disappear. */
        public SendMulti(String id, String content, List<MultiRecipient> recipients, String recipientSet) {
            this(id, content, recipients, recipientSet, null);
        }

        /** A frame that names its recipients. */
        public SendMulti(String id, String content, List<MultiRecipient> recipients) {
            this(id, content, recipients, null, null);
        }

        /** This frame with the timer {@code seconds} (null: none). */
        public SendMulti withExpiresIn(Integer seconds) {
            return new SendMulti(id, content, recipients, recipientSet, seconds);
        }

        /** A frame to the recipients of set {@code recipientSet}, every copy the content alone. */
        public static SendMulti toSet(String id, String content, String recipientSet) {
            return new SendMulti(id, content, List.of(), recipientSet);
        }

        /** Lengths only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "SendMulti[id=" + id + ", content=" + chars(content)
                    + (recipientSet == null ? ", recipients=" + recipients : ", recipientSet=" + recipientSet)
                    + (expiresIn == null ? "" : ", expiresIn=" + expiresIn) + "]";
        }

        static void write(SendMulti s, FieldWriter w) {
            w.string("content", s.content()).string("recipientSet", s.recipientSet());
            if (s.recipientSet() == null) {
                w.array("recipients", s.recipients(), MultiRecipient::write);
            }
            ExpiresIn.write(s.expiresIn(), w);
        }
    }

    /** One account of a {@link SendMulti}: each of its listed devices once (to one's own account: all but the sending one). */
    public record MultiRecipient(String to, List<MultiDevice> devices) {
        public MultiRecipient {
            devices = List.copyOf(devices);
        }

        static void write(MultiRecipient r, FieldWriter w) {
            w.string("to", r.to()).array("devices", r.devices(), MultiDevice::write);
        }
    }

    /** One device's copy of a {@link SendMulti}: its own {@code envelope} (null: the copy is the content alone). */
    public record MultiDevice(int device, String envelope) {
        static void write(MultiDevice d, FieldWriter w) {
            w.integer("device", d.device()).string("envelope", d.envelope());
        }

        /** The envelope's length only. */
        @Override
        public String toString() {
            return "MultiDevice[device=" + device + ", envelope=" + chars(envelope) + "]";
        }
    }

    /**
     * A recipient of a {@link SendMulti} for whom nothing was stored, and why: one of
     * {@link #CODES}. {@code missing} and {@code extra} (device ids, empty unless
     * {@code mismatched_devices}) as in the {@code mismatched_devices} error.
     */
    public record RecipientRefusal(String to, ErrorCode code, List<Integer> missing, List<Integer> extra) {
        /** The refusals that concern one recipient; every other refusal is the whole frame's, an {@code error}. */
        public static final List<ErrorCode> CODES = List.of(ErrorCode.UNKNOWN_USER, ErrorCode.UNKNOWN_DEVICE,
                ErrorCode.MISMATCHED_DEVICES, ErrorCode.QUEUE_FULL, ErrorCode.QUEUE_SHARE_FULL);

        public RecipientRefusal {
            if (!CODES.contains(code)) {
                throw new IllegalArgumentException(code + " is not a per-recipient refusal");
            }
            missing = missing == null ? List.of() : List.copyOf(missing);
            extra = extra == null ? List.of() : List.copyOf(extra);
        }

        public RecipientRefusal(String to, ErrorCode code) {
            this(to, code, List.of(), List.of());
        }

        private static final Map<String, ErrorCode> BY_NAME = CODES.stream()
                .collect(Collectors.toMap(ErrorCode::wireName, c -> c, (a, b) -> a, LinkedHashMap::new));

        static RecipientRefusal read(FieldReader f) {
            return new RecipientRefusal(f.string("to", WireLimits.MAX_NAME_CHARS), f.choice("code", BY_NAME),
                    f.integers("missing", WireLimits.MAX_DEVICE_ID, 1, WireLimits.MAX_DEVICE_ID),
                    f.integers("extra", WireLimits.MAX_DEVICE_ID, 1, WireLimits.MAX_DEVICE_ID));
        }

        static void write(RecipientRefusal r, FieldWriter w) {
            w.string("to", r.to()).string("code", r.code().wireName()).integers("missing", r.missing())
                    .integers("extra", r.extra());
        }
    }

    /**
     * The message is on the server's disk; {@code duplicate} when it had been already (a
     * resend that stored no new copy). {@code refused}: the recipients of a
     * {@link SendMulti} for whom nothing was stored (empty for {@code send_message}, whose
     * refusals are errors; left out on the wire when empty). {@code recipientSet}: for a
     * {@link SendMulti} that named its recipients, the id under which the server remembers
     * them for this device's later frames (null otherwise, and for {@code send_message}).
     */
    public record Stored(String re, long serverTime, boolean duplicate, List<RecipientRefusal> refused, String recipientSet)
            implements WireFrame.Answer {
        public static final String TYPE = "stored";

        public Stored {
            refused = refused == null ? List.of() : List.copyOf(refused);
        }

        public Stored(String re, long serverTime, boolean duplicate) {
            this(re, serverTime, duplicate, List.of(), null);
        }

        public Stored(String re, long serverTime, boolean duplicate, List<RecipientRefusal> refused) {
            this(re, serverTime, duplicate, refused, null);
        }
    }

    /**
     * This device's copy of a message from device {@code fromDevice} of {@code from}:
     * {@code envelope} and {@code content} as sent, either one possibly null (a
     * {@link SendMulti} copy without an envelope of its own), never both. {@code multi}: the
     * copy was stored by a {@link SendMulti} (its content, if any, is a group message), not by
     * a {@link SendMessage} (its content, if any, is a fan-out's).
     */
    public record RelayMessage(String id, String from, int fromDevice, String envelope, String content, long serverTime,
                               boolean multi) implements WireFrame {
        public static final String TYPE = "relay_message";

        public RelayMessage {
            if (envelope == null && content == null) {
                throw new IllegalArgumentException("a relayed copy has an envelope, a content or both");
            }
        }

        /** A copy stored by a {@link SendMessage}. */
        public RelayMessage(String id, String from, int fromDevice, String envelope, String content, long serverTime) {
            this(id, from, fromDevice, envelope, content, serverTime, false);
        }

        /** Lengths only: a ciphertext body never reaches a log. */
        @Override
        public String toString() {
            return "RelayMessage[id=" + id + ", from=" + from + ", fromDevice=" + fromDevice + ", envelope=" + chars(envelope)
                    + ", content=" + chars(content) + ", serverTime=" + serverTime + ", multi=" + multi + "]";
        }
    }

    /** The recipient device has the message: the server erases this device's copy. Has no answer. */
    public record Ack(String id, String from) implements WireFrame {
        public static final String TYPE = "ack";
    }

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(SendMessage.TYPE, SendMessage.class, SendMessage::read, SendMessage::write),
            FrameType.fromClient(SendMulti.TYPE, SendMulti.class, MultiSendFields::sendMulti, SendMulti::write),
            FrameType.fromServer(Stored.TYPE, Stored.class,
                    f -> new Stored(f.reOrNull(), f.integer("serverTime", 0, Long.MAX_VALUE), f.flag("duplicate"),
                            f.list("refused", WireLimits.MAX_MULTI_RECIPIENTS, RecipientRefusal::read),
                            f.has("recipientSet") ? f.id("recipientSet") : null),
                    (s, w) -> w.integer("serverTime", s.serverTime()).flag("duplicate", s.duplicate())
                            .list("refused", s.refused(), RecipientRefusal::write).string("recipientSet", s.recipientSet())),
            FrameType.fromServer(RelayMessage.TYPE, RelayMessage.class, DeliveryFrames::readRelay,
                    (r, w) -> w.string("id", r.id()).string("from", r.from()).integer("fromDevice", r.fromDevice())
                            .string("envelope", r.envelope()).string("content", r.content())
                            .integer("serverTime", r.serverTime()).flag("multi", r.multi())),
            FrameType.fromClient(Ack.TYPE, Ack.class,
                    f -> new Ack(f.id("id"), f.string("from", WireLimits.MAX_NAME_CHARS)),
                    (a, w) -> w.string("id", a.id()).string("from", a.from())));

    /** An optional base64url field: null when absent. */
    static String optionalBase64(FieldReader f, String field) {
        return f.has(field) ? f.base64Text(field) : null;
    }

    private static String content(FieldReader f) {
        return optionalBase64(f, "content");
    }

    /** An envelope, a content or both: a copy with neither carries nothing. */
    private static RelayMessage readRelay(FieldReader f) {
        String id = f.id("id");
        String from = f.string("from", WireLimits.MAX_NAME_CHARS);
        int fromDevice = DeviceFrames.deviceId(f, "fromDevice");
        String envelope = optionalBase64(f, "envelope");
        String content = content(f);
        if (envelope == null && content == null) {
            throw f.refuse(ErrorCode.BAD_FRAME, "envelope", "present when the copy has no content");
        }
        return new RelayMessage(id, from, fromDevice, envelope, content, f.integer("serverTime", 0, Long.MAX_VALUE),
                f.flag("multi"));
    }

    /** A ciphertext's length, for {@code toString}: the text itself never reaches a log. */
    static String chars(String ciphertext) {
        return ciphertext == null ? "none" : ciphertext.length() + " chars";
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
        MultiSendFields.requireDistinct(f, "devices", devices, DeviceEnvelope::device, "device");
        return devices;
    }

    private DeliveryFrames() {
    }
}
