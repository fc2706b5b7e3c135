package dev.parley.server.config;

import java.time.Duration;
import java.util.List;

/**
 * Limits of the WebSocket gateway added by the hardening work: who counts as the client behind a
 * reverse proxy, when a socket that keeps sending bad frames is closed, and how much may wait
 * to be sent to a client that does not read. The older gateway limits (frame size, frame rate,
 * connections per address, idle timeout) stay in {@link ServerConfig.Limits}. The reasons for
 * each default are in docs/OPERATIONS.md and docs/SECURITY.md.
 *
 * @param trustedProxies     CIDRs of reverse proxies whose {@code Forwarded} /
 *                           {@code X-Forwarded-For} headers name the client; empty trusts none
 * @param badFramesPerMinute refused frames (bad JSON, bad fields, unknown types, oversize,
 *                           over-rate non-acks) a socket may send per minute before it is closed
 * @param outgoingFrames     frames that may wait to be sent on one socket before the server
 *                           stops reading from it; 8 times this closes it at once
 * @param outgoingBytes      the same bound in characters of JSON text
 * @param outgoingGrace      how long a socket may stay over the bound without a frame leaving
 *                           before it is closed
 */
public record ConnectionLimits(List<String> trustedProxies, int badFramesPerMinute, int outgoingFrames,
                               long outgoingBytes, Duration outgoingGrace) {

    /** The hard cap on a socket's outgoing queue is this multiple of the soft bound. */
    public static final int HARD_CAP_FACTOR = 8;

    public ConnectionLimits {
        trustedProxies = List.copyOf(trustedProxies);
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(List.of(), 20, 1024, 1024 * 1024, Duration.ofSeconds(30));
    }

    public ConnectionLimits withTrustedProxies(List<String> cidrs) {
        return new ConnectionLimits(cidrs, badFramesPerMinute, outgoingFrames, outgoingBytes, outgoingGrace);
    }

    public ConnectionLimits withBadFramesPerMinute(int n) {
        return new ConnectionLimits(trustedProxies, n, outgoingFrames, outgoingBytes, outgoingGrace);
    }

    public ConnectionLimits withOutgoing(int frames, long bytes, Duration grace) {
        return new ConnectionLimits(trustedProxies, badFramesPerMinute, frames, bytes, grace);
    }
}
