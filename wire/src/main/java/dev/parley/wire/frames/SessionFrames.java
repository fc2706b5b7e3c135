package dev.parley.wire.frames;

import dev.parley.wire.ErrorCode;
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
    public record ErrorFrame(String re, String code, String message) implements WireFrame.Answer {
        public static final String TYPE = "error";

        public static ErrorFrame of(ErrorCode code, String message, String re) {
            return new ErrorFrame(re, code.wireName(), message);
        }

        public java.util.Optional<ErrorCode> knownCode() {
            return ErrorCode.fromWire(code);
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
            FrameType.fromServer(ErrorFrame.TYPE, ErrorFrame.class,
                    f -> new ErrorFrame(f.reOrNull(), f.string("code", 64), f.text("message", MAX_ERROR_MESSAGE_CHARS)),
                    (e, w) -> w.string("code", e.code()).string("message", e.message())));

    private SessionFrames() {
    }
}
