package dev.parley.server.gateway;

import dev.parley.server.limits.RateLimits;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Counts one socket's refused frames ("strikes": bad JSON, bad fields, unknown types, oversize
 * frames, over-rate frames that are not acks) in a token bucket of {@code perMinute} tokens
 * refilled over a minute; the strike that finds it empty closes the socket. The bucket exists
 * only once a socket has been refused something, so well-behaved connections cost nothing.
 * A connection's frames are handled one at a time, so no lock is needed.
 */
final class BadFrames {

    private final int perMinute;
    private Bucket strikes;

    BadFrames(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts a strike; true if the socket has now sent more than {@code perMinute} bad frames within a minute. */
    boolean strike() {
        if (strikes == null) {
            strikes = RateLimits.bucket(perMinute, perMinute, Duration.ofMinutes(1), TimeMeter.SYSTEM_MILLISECONDS);
        }
        return !strikes.tryConsume(1);
    }
}
