package dev.parley.server.limits;

import io.github.bucket4j.BucketConfiguration;
import java.util.Optional;

/**
 * A {@link KeyedRateLimiter} of a cluster: the key's bucket is in Redis ({@link RedisBuckets}),
 * so the limit holds for the key however its requests are spread over the nodes. While Redis
 * cannot be used the key is limited by this node's own bucket for it (a {@link LocalRateLimiter}
 * with the same limit), which starts full: an outage never refuses more than a single node
 * would, and grants at most one bucket per node more than the limit.
 *
 * <p>Each Redis key names the limit, its numbers and the client key
 * ({@code parley:limit:registrations:5/5/3600000ms:198.51.100.7}): nodes restarted with another
 * limit use fresh buckets instead of a bucket built for the old one.
 */
final class SharedRateLimiter implements KeyedRateLimiter {

    private final String prefix;
    private final BucketConfiguration configuration;
    private final RedisBuckets redis;
    private final LocalRateLimiter fallback;

    SharedRateLimiter(String prefix, BucketConfiguration configuration, RedisBuckets redis, LocalRateLimiter fallback) {
        this.prefix = prefix;
        this.configuration = configuration;
        this.redis = redis;
        this.fallback = fallback;
    }

    @Override
    public boolean tryAcquire(String key, long tokens) {
        Optional<Boolean> shared = redis.tryConsume(prefix + key, configuration, tokens);
        return shared.orElseGet(() -> fallback.tryAcquire(key, tokens));
    }

    @Override
    public void giveBack(String key, long tokens) {
        if (!redis.addTokens(prefix + key, configuration, tokens)) {
            fallback.giveBack(key, tokens);
        }
    }
}
