package dev.parley.server.limits;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token buckets of a cluster, in Redis: Bucket4j's Lettuce backend (compare-and-swap of the
 * bucket's state in one key), on a connection of its own made from the cluster's
 * {@link RedisClient}. Every key gets a time to live that ends when its bucket would be full
 * again (plus {@link #KEEP_AFTER_FULL}): a full bucket and a missing key grant the same, so Redis
 * holds only the keys of recently limited clients.
 *
 * <p><b>Outages.</b> A limit must not make the server wait for a Redis that is gone. While the
 * connection is down (Lettuce reconnects by itself), or after a request failed or took longer
 * than {@link #REQUEST_TIMEOUT}, {@link #tryConsume} answers "unusable" at once and the caller
 * limits with its node-local buckets ({@link SharedRateLimiter}); each node then allows the
 * limit on its own, so a cluster of n nodes allows up to n times it for the outage's length.
 * {@link #RETRY_AFTER} after a failure one request tries Redis again, the others stay local
 * meanwhile. An outage is logged once when it starts and once when it ends (never with the
 * Redis URL, which may hold a password), and the gauge {@code parley_rate_limits_node_local}
 * is 1 while it lasts.
 */
public final class RedisBuckets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);

    /** The longest a limited request waits for Redis before it is limited on this node alone. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    /** How long after a failure the buckets stay node-local before Redis is tried again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** How long a key outlives the moment its bucket is full again (margin for the nodes' clocks). */
    static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(10);
    /** How long the start waits for the first connection; later connections are made in the background. */
    private static final Duration FIRST_CONNECT = Duration.ofSeconds(10);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final RedisURI uri;
    private final TimeMeter time;
    private final Duration requestTimeout;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;
    private volatile boolean down;
    private volatile long retryAtNanos;
    private volatile boolean closed;

    /**
     * Connects to {@code uri} with {@code client} (owned by the caller, who shuts it down after
     * {@link #close}), waiting up to ten seconds for the first connection; without it the
     * buckets start node-local and the connection is made in the background.
     */
    public RedisBuckets(RedisClient client, RedisURI uri, TimeMeter time, Duration requestTimeout, MeterRegistry metrics) {
        this.client = client;
        this.uri = uri;
        this.time = time;
        this.requestTimeout = requestTimeout;
        Gauge.builder("parley_rate_limits_node_local", this, buckets -> buckets.down ? 1 : 0)
                .description("1 while the cluster's rate limits are kept by each node alone (Redis unreachable)")
                .register(metrics);
        try {
            connected(client.connectAsync(CODEC, uri).get(FIRST_CONNECT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(e);
        } catch (Exception e) {
            failed(e);
        }
    }

    private void connected(StatefulRedisConnection<String, byte[]> opened) {
        if (closed) {
            opened.closeAsync();
            return;
        }
        connection = opened;
        buckets = Bucket4jLettuce.casBasedBuilder(opened)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                .requestTimeout(requestTimeout)
                .clientClock(time)
                .build();
    }

    /**
     * Takes {@code tokens} of the bucket {@code key} (created with {@code configuration} when
     * absent): whether they were taken, or empty when Redis cannot be used now and the caller
     * must decide on its own.
     */
    Optional<Boolean> tryConsume(String key, BucketConfiguration configuration, long tokens) {
        ProxyManager<String> manager = usable();
        if (manager == null) {
            return Optional.empty();
        }
        try {
            boolean taken = manager.builder().build(key, () -> configuration).tryConsume(tokens);
            succeeded();
            return Optional.of(taken);
        } catch (RuntimeException e) {
            failed(e);
            return Optional.empty();
        }
    }

    /** Adds {@code tokens} back to the bucket {@code key}; false when Redis cannot be used now. */
    boolean addTokens(String key, BucketConfiguration configuration, long tokens) {
        ProxyManager<String> manager = usable();
        if (manager == null) {
            return false;
        }
        try {
            manager.builder().build(key, () -> configuration).addTokens(tokens);
            succeeded();
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /** Whether the buckets are node-local now (Redis unreachable). */
    public boolean nodeLocal() {
        return down;
    }

    /** The buckets in Redis if they may be used now; null to limit on this node. */
    private ProxyManager<String> usable() {
        ProxyManager<String> manager = buckets;
        if (manager == null) {
            connectInBackground();
            return null;
        }
        if (!connection.isOpen()) {
            failed(null); // Lettuce is reconnecting; commands would wait in its queue
            return null;
        }
        if (!down) {
            return manager;
        }
        if (System.nanoTime() - retryAtNanos < 0) {
            return null;
        }
        return probing.compareAndSet(false, true) ? manager : null;
    }

    private void succeeded() {
        probing.set(false);
        if (down) {
            down = false;
            log.info("rate limits are shared through Redis again");
        }
    }

    private void failed(Throwable cause) {
        retryAtNanos = System.nanoTime() + RETRY_AFTER.toNanos();
        probing.set(false);
        if (!down) {
            down = true;
            log.warn("Redis is unreachable ({}): each node keeps the rate limits on its own until it is back",
                    cause == null ? "disconnected" : describe(cause));
        }
    }

    /** The first connection failed: one attempt at a time, {@link #RETRY_AFTER} apart, never waited for. */
    private void connectInBackground() {
        if (closed || System.nanoTime() - retryAtNanos < 0 || !connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(CODEC, uri).whenComplete((opened, error) -> {
            connecting.set(false);
            if (error != null) {
                retryAtNanos = System.nanoTime() + RETRY_AFTER.toNanos();
            } else {
                connected(opened);
            }
        });
    }

    /** The kind of failure, without its message (which may name the server and its credentials). */
    private static String describe(Throwable cause) {
        Throwable root = cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException
                ? cause.getCause() : cause;
        return (root == null ? cause : root).getClass().getSimpleName();
    }

    @Override
    public void close() {
        closed = true;
        var open = connection;
        if (open != null) {
            open.close();
        }
    }
}
