package dev.parley.server.gateway;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses frames: answers {@code error{code, message, re}}, counts it, and closes a socket
 * that keeps sending bad frames (1008, "too many bad frames") once its {@link BadFrames} are
 * used up. The one place that decides which refusals are strikes.
 */
final class Refusals {

    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    /** Refusals that only a broken or hostile client earns; each is a strike. */
    private static final Set<ErrorCode> STRIKES =
            EnumSet.of(ErrorCode.BAD_JSON, ErrorCode.BAD_FRAME, ErrorCode.UNKNOWN_TYPE, ErrorCode.FRAME_TOO_LARGE);
    /** The WebSocket close reason of a socket closed for bad frames. */
    static final String TOO_MANY_BAD_FRAMES = "too many bad frames";

    private final Counter rejected;
    private final Counter closedForBadFrames;

    Refusals(MeterRegistry metrics) {
        this.rejected = Counter.builder("parley_frames_rejected").description("Frames answered with an error").register(metrics);
        this.closedForBadFrames = Counter.builder("parley_connections_closed").tag("reason", "bad_frames")
                .description("Sockets closed by the server for misbehaving").register(metrics);
    }

    /** Refuses a frame; a strike if {@code code} is one only a broken client earns. */
    void refuse(ClientConnection connection, ErrorCode code, String message, String re) {
        answer(connection, code, message, re);
        if (STRIKES.contains(code)) {
            strike(connection);
        }
    }

    /** Refuses a frame admitted over the rate on ack credit that was not an ack of an awaited relay: a strike. */
    void refuseOverRate(ClientConnection connection, String message, String re) {
        answer(connection, ErrorCode.RATE_LIMITED, message, re);
        strike(connection);
    }

    private void answer(ClientConnection connection, ErrorCode code, String message, String re) {
        rejected.increment();
        connection.send(ErrorFrame.of(code, message, re));
    }

    private void strike(ClientConnection connection) {
        if (connection.strike()) {
            closedForBadFrames.increment();
            log.info("closing connection={}: {}", connection.id(), TOO_MANY_BAD_FRAMES);
            connection.closeForPolicy(TOO_MANY_BAD_FRAMES);
        }
    }
}
