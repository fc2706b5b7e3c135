package dev.parley.wire.frames;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.FieldReader;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import java.util.List;

/** The connection itself: the auth challenge, keep-alive and errors (docs/PROTOCOL.md §1, §3, §7). */
public final class SessionFrames {

    /** Sent on connect and after every failed auth attempt; the next register, login or reset signs {@code nonce}. */
    public record Challenge(byte[] nonce) implements WireFrame {
        public static final String TYPE = "challenge";
    }

    public record Ping(String id) implements WireFrame.Request {
        public static final String TYPE = "ping";
    }

    public record Pong(String re) implements WireFrame.Answer {
        public static final String TYPE = "pong";
    }

    /**
     * A refused frame ({@code re} = its id when it had a usable one), or, with no {@code re},
     * the reason the server is closing the connection. {@code code} is kept as text, so that a
     * code newer than this catalogue still reaches the caller; {@link #knownCode()} maps it.
     */
    public record ErrorFrame(String re, String code, String message, List<Integer> missing, List<Integer> extra)
            implements WireFrame.Answer {
        public static final String TYPE = "error";

        /** {@code missing} and {@code extra} are empty (left out on the wire) unless the code is {@code mismatched_devices}. */
        public ErrorFrame {
            missing = missing == null ? List.of() : List.copyOf(missing);
            extra = extra == null ? List.of() : List.copyOf(extra);
        }

        public ErrorFrame(String re, String code, String message) {
            this(re, code, message, List.of(), List.of());
        }

        public static ErrorFrame of(ErrorCode code, String message, String re) {
            return new ErrorFrame(re, code.wireName(), message);
        }

        /** {@code mismatched_devices}: the recipient's devices the send lacked, and the devices it named that are not in the list. */
        public static ErrorFrame mismatchedDevices(String re, String message, List<Integer> missing, List<Integer> extra) {
            return new ErrorFrame(re, ErrorCode.MISMATCHED_DEVICES.wireName(), message, missing, extra);
        }

        public java.util.Optional<ErrorCode> knownCode() {
            return ErrorCode.fromWire(code);
        }
    }

    /** Asks for the server's limits that a client adapts to; needs no login. */
    public record GetServerLimits(String id) implements WireFrame.Request {
        public static final String TYPE = "get_server_limits";
    }

    /**
     * The operator's settings a client adapts to (docs/PROTOCOL.md §1): the largest envelope
     * ({@code --max-envelope-chars}), the sends of one connection that may wait for their
     * commit before the server stops reading the socket, the frame rate and burst per account,
     * and how long an undelivered message is kept. {@code maxAttachmentBytes}: the largest
     * attachment, in plaintext bytes, that {@code blob_upload} takes (as its blob length);
     * 0 when the server does not say (left out on the wire).
     */
    public record ServerLimits(String re, int maxEnvelopeChars, int sendWindow, int framesPerSecond, int frameBurst,
                               long queueTtlSeconds, long maxAttachmentBytes) implements WireFrame.Answer {
        public static final String TYPE = "server_limits";

        /** Without an attachment limit. */
        public ServerLimits(String re, int maxEnvelopeChars, int sendWindow, int framesPerSecond, int frameBurst,
                            long queueTtlSeconds) {
            this(re, maxEnvelopeChars, sendWindow, framesPerSecond, frameBurst, queueTtlSeconds, 0);
        }
    }

    /** Error messages are short human text; longer ones are not the server's. */
    static final int MAX_ERROR_MESSAGE_CHARS = 1024;

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromServer(Challenge.TYPE, Challenge.class,
                    f -> new Challenge(f.bytes("nonce", WireLimits.NONCE_BYTES)),
                    (c, w) -> w.bytes("nonce", c.nonce())),
            FrameType.fromClient(Ping.TYPE, Ping.class,
                    f -> new Ping(f.id("id")),
                    (p, w) -> { }),
            FrameType.fromServer(Pong.TYPE, Pong.class,
                    f -> new Pong(f.reOrNull()),
                    (p, w) -> { }),
            FrameType.fromClient(GetServerLimits.TYPE, GetServerLimits.class,
                    f -> new GetServerLimits(f.id("id")),
                    (g, w) -> { }),
            FrameType.fromServer(ServerLimits.TYPE, ServerLimits.class,
                    f -> new ServerLimits(f.reOrNull(), positive(f, "maxEnvelopeChars"), positive(f, "sendWindow"),
                            positive(f, "framesPerSecond"), positive(f, "frameBurst"), f.integer("queueTtlSeconds", 1, Long.MAX_VALUE),
                            f.has("maxAttachmentBytes") ? f.integer("maxAttachmentBytes", 1, WireLimits.MAX_JSON_INTEGER) : 0),
                    (l, w) -> {
                        w.integer("maxEnvelopeChars", l.maxEnvelopeChars()).integer("sendWindow", l.sendWindow())
                                .integer("framesPerSecond", l.framesPerSecond()).integer("frameBurst", l.frameBurst())
                                .integer("queueTtlSeconds", l.queueTtlSeconds());
                        if (l.maxAttachmentBytes() > 0) {
                            w.integer("maxAttachmentBytes", l.maxAttachmentBytes());
                        }
                    }),
            FrameType.fromServer(ErrorFrame.TYPE, ErrorFrame.class,
                    f -> new ErrorFrame(f.reOrNull(), f.string("code", 64), f.text("message", MAX_ERROR_MESSAGE_CHARS),
                            deviceIds(f, "missing"), deviceIds(f, "extra")),
                    (e, w) -> w.string("code", e.code()).string("message", e.message()).integers("missing", e.missing())
                            .integers("extra", e.extra())));

    private static List<Integer> deviceIds(FieldReader f, String field) {
        return f.integers(field, WireLimits.MAX_DEVICE_ID, 1, WireLimits.MAX_DEVICE_ID);
    }

    private static int positive(FieldReader f, String field) {
        return (int) f.integer(field, 1, Integer.MAX_VALUE);
    }

    private SessionFrames() {
    }
}
