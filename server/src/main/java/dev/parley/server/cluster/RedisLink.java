package dev.parley.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * This node's two Lettuce connections to Redis: one for commands and publishes, one for
 * subscriptions. Lettuce reconnects by itself (every 100 ms doubling to 2 s) and re-subscribes;
 * while a connection is down its commands fail at once instead of being queued for later,
 * because everything they would have done is redone when the node registers again after the
 * reconnection ({@link Watcher}). The URL may carry a password ({@code redis://:secret@host}) or
 * ask for TLS ({@code rediss://}); only its host and port are ever logged.
 */
final class RedisLink implements AutoCloseable {

    /** Told when the link is lost and when it is back (Lettuce's event threads; must not block). */
    interface Watcher {
        void lost();

        void back();
    }

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Commands queued for Redis at most; past that they fail (a lost notification, made up by the sweep). */
    private static final int REQUEST_QUEUE = 65_536;

    private final String address;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private volatile boolean closing;

    private RedisLink(String address, ClientResources resources, RedisClient client,
                      StatefulRedisConnection<String, String> commands,
                      StatefulRedisPubSubConnection<String, String> subscriptions) {
        this.address = address;
        this.resources = resources;
        this.client = client;
        this.commands = commands;
        this.subscriptions = subscriptions;
    }

    /** Connects both; throws when Redis cannot be reached. */
    static RedisLink open(String url) {
        RedisURI uri = RedisURI.create(url);
        String address = uri.getHost() + ":" + uri.getPort();
        ClientResources resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .build());
        try {
            return new RedisLink(address, resources, client, client.connect(), client.connectPubSub());
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw new IllegalStateException("cluster mode: Redis at " + address + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /** Host and port, for logs. */
    String address() {
        return address;
    }

    RedisAsyncCommands<String, String> commands() {
        return commands.async();
    }

    RedisPubSubAsyncCommands<String, String> subscriptions() {
        return subscriptions.async();
    }

    /** Starts handing every message on a subscribed channel to {@code listener} (on Lettuce's I/O thread). */
    void onMessage(BiConsumer<String, String> listener) {
        subscriptions.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                listener.accept(channel, message);
            }
        });
    }

    /** Starts telling {@code watcher} when a connection drops and when one is back. */
    void watch(Watcher watcher) {
        resources.eventBus().get().subscribe(event -> {
            if (closing) {
                return;
            }
            if (event instanceof ConnectionDeactivatedEvent) {
                watcher.lost();
            } else if (event instanceof ConnectionActivatedEvent) {
                watcher.back();
            }
        });
    }

    boolean open() {
        return commands.isOpen() && subscriptions.isOpen();
    }

    /** Drops both connections without another word to Redis (a node that halts as if killed). */
    void drop() {
        closing = true;
        subscriptions.close();
        commands.close();
    }

    @Override
    public void close() {
        if (!closing) {
            drop();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
