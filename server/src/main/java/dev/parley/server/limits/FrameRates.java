package dev.parley.server.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * The frame-rate buckets: one per client address, used by its sockets before login, and one per
 * account, used by its sockets after login. A socket looks its key's bucket up for each frame
 * and keeps none, so opening more sockets or reconnecting gains nothing: every socket of the
 * address or account draws from the same tokens, those of the bucket the limiter holds for the
 * key now (it forgets full ones).
 *
 * <p>These buckets stay in this node's memory in a cluster too: a token is taken for every
 * frame before it is parsed, and a Redis round trip per frame would about double what a
 * message costs the server. A client's frames all arrive on its own socket, so the node that
 * holds the socket sees all of them; an account or address with sockets on several nodes gets
 * the rate on each (a bounded gain: its connections per address are capped, and each login
 * replaces the device's older socket).
 */
public final class FrameRates {

    private final LocalRateLimiter byAddress;
    private final LocalRateLimiter byAccount;

    /** {@code burst} tokens per key, refilled at {@code perSecond}. */
    public FrameRates(long burst, long perSecond, TimeMeter time) {
        this.byAddress = new LocalRateLimiter(burst, perSecond, Duration.ofSeconds(1), time);
        this.byAccount = new LocalRateLimiter(burst, perSecond, Duration.ofSeconds(1), time);
    }

    public Bucket forAddress(String address) {
        return byAddress.bucket(address);
    }

    public Bucket forAccount(String username) {
        return byAccount.bucket(username);
    }
}
