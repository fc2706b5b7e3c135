package dev.parley.server.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * The frame-rate buckets: one per client address, used by its sockets before login, and one per
 * account, used by its sockets after login. A socket borrows its key's bucket, so opening more
 * sockets or reconnecting gains nothing: every socket of the address or account draws from the
 * same tokens.
 */
public final class FrameRates {

    private final KeyedRateLimiter byAddress;
    private final KeyedRateLimiter byAccount;

    /** {@code burst} tokens per key, refilled at {@code perSecond}. */
    public FrameRates(long burst, long perSecond, TimeMeter time) {
        this.byAddress = new KeyedRateLimiter(burst, perSecond, Duration.ofSeconds(1), time);
        this.byAccount = new KeyedRateLimiter(burst, perSecond, Duration.ofSeconds(1), time);
    }

    public Bucket forAddress(String address) {
        return byAddress.bucket(address);
    }

    public Bucket forAccount(String username) {
        return byAccount.bucket(username);
    }
}
