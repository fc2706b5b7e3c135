package dev.parley.server.cluster;

import static dev.parley.server.cluster.NodeLiveness.await;

import dev.parley.server.cluster.ClusterEvent.PresenceChanged;
import dev.parley.server.cluster.RedisNames.Device;
import dev.parley.server.config.ClusterSettings;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireFrame;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: nodes on one PostgreSQL database tell each other through one Redis
 * (docs/ARCHITECTURE.md, "Cluster"; key and channel names in {@link RedisNames}, message texts
 * in {@link BusCodec}), over a {@link RedisLink}: one connection for commands and publishes, one
 * subscribed to {@link RedisNames#EVENTS} and to the channel of every device this node holds.
 *
 * <p>Threads: device-channel messages (notifications, replacements, frames) are handled on
 * Lettuce's I/O thread and never block; events for every node, presence included, run one at a
 * time on {@code parley-cluster-events} (they may read the database), and so does every
 * re-registration; the heartbeat and the reaping of dead nodes run on {@code parley-cluster-timer},
 * the delivery sweep on {@code parley-delivery-sweep}.
 *
 * <p>What a node keeps in memory is its own sockets ({@link OnlineUsers}), what it registered for
 * them ({@link DeviceRegistry}) and a mirror of which accounts are online anywhere, kept from the
 * presence events in their order and compared with {@code parley:online} at every
 * re-registration. Redis holds nothing that these cannot rebuild: after Lettuce reconnects, or
 * when this node's heartbeat was found lapsed, the node registers its devices again, refreshes
 * the mirror, reloads the usernames and reads every held queue.
 */
public final class RedisCluster implements Cluster {

    static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    /** How long a login waits for the subscription to its device's channel before its queue replay starts anyway. */
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);
    private static final Duration RESYNC_RETRY = Duration.ofSeconds(1);
    /** How long a re-registration waits for Redis to answer for every held device (one script each). */
    private static final Duration REGISTER_ALL_WAIT = Duration.ofSeconds(60);

    private final ClusterSettings settings;
    private final String node;
    private final OnlineUsers online;
    private final RedisLink link;
    private final RedisAsyncCommands<String, String> redis;
    private final NodeLiveness liveness;
    private final DeviceRegistry devices;
    /** The accounts online anywhere, as the presence events in their order said (and each re-registration checked). */
    private final Set<String> onlineAccounts = ConcurrentHashMap.newKeySet();
    private final ExecutorService events = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("parley-cluster-events").daemon(true).factory());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-cluster-timer").daemon(true).factory());
    /** Apart from the timer, whose heartbeat may wait for a Redis that does not answer: the sweep never waits for Redis. */
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-delivery-sweep").daemon(true).factory());
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    /** Set when a registration command failed: the next heartbeat registers everything again. */
    private final AtomicBoolean registrationsDoubtful = new AtomicBoolean();
    private volatile boolean synced;
    private volatile boolean lostTouch;
    private volatile boolean halted;
    private volatile NodeEffects effects;
    private final Counter published;
    private final Counter resyncs;
    private final Counter reaped;

    private RedisCluster(ClusterSettings settings, OnlineUsers online, RedisLink link, MeterRegistry metrics) {
        this.settings = settings;
        this.node = settings.nodeId();
        this.online = online;
        this.link = link;
        this.redis = link.commands();
        this.liveness = new NodeLiveness(node, redis);
        this.devices = new DeviceRegistry(node, online, redis, link.subscriptions(), () -> registrationsDoubtful.set(true));
        this.published = Counter.builder("parley_cluster_published").description("Messages this node published to the others")
                .register(metrics);
        this.resyncs = Counter.builder("parley_cluster_resyncs")
                .description("Times this node registered everything it holds again (start, Redis reconnects)").register(metrics);
        this.reaped = Counter.builder("parley_cluster_nodes_reaped")
                .description("Dead nodes whose presence and sockets this node removed").register(metrics);
        Gauge.builder("parley_cluster_connected", this, cluster -> cluster.connected() ? 1 : 0)
                .description("1 while this node is in touch with the others through Redis").register(metrics);
        Gauge.builder("parley_cluster_online_accounts", onlineAccounts, Set::size)
                .description("Accounts online on any node, as this node knows them").register(metrics);
    }

    /** Connects to the Redis of {@code settings}; throws when it cannot be reached. */
    static RedisCluster start(ClusterSettings settings, OnlineUsers online, MeterRegistry metrics) {
        RedisLink link = RedisLink.open(settings.redisUrl());
        log.info("cluster: node {} connected to Redis at {}", settings.nodeId(), link.address());
        return new RedisCluster(settings, online, link, metrics);
    }

    @Override
    public String nodeId() {
        return node;
    }

    @Override
    public void attach(NodeEffects nodeEffects) {
        this.effects = nodeEffects;
        link.onMessage(this::received);
        link.watch(new RedisLink.Watcher() {
            @Override
            public void lost() {
                if (!lostTouch) {
                    log.warn("cluster: lost the connection to Redis at {}; reconnecting", link.address());
                }
                lostTouch = true;
                synced = false;
            }

            @Override
            public void back() {
                if (lostTouch) {
                    queueResync();
                }
            }
        });
        liveness.claim();
        try {
            events.submit(this::resync).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cluster mode: could not register with Redis: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long beat = NodeLiveness.HEARTBEAT.toMillis();
        timer.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long sweep = settings.deliverySweep().toMillis();
        sweeper.scheduleAtFixedRate(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean notifiesInCommitOrder() {
        return false;
    }

    @Override
    public void arrived(ClientConnection connection, OnlineUsers.Login login) {
        try {
            devices.sync(DeviceRegistry.device(connection)).get(SUBSCRIBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Redis is away: the re-registration once it is back subscribes and reads the queue.
            log.debug("cluster: subscribing for connection={} failed: {}", connection.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void departed(ClientConnection connection, OnlineUsers.Departure departure) {
        if (connection.username() == null) {
            return;
        }
        try {
            devices.sync(DeviceRegistry.device(connection));
        } catch (RuntimeException e) {
            log.debug("cluster: unregistering connection={} failed: {}", connection.id(), e.toString());
        }
    }

    @Override
    public void notifyElsewhere(String account, int device) {
        publish(new Device(account, device).channel(), BusCodec.POKE);
    }

    @Override
    public void sendToDevice(String account, int device, Supplier<WireFrame> frame) {
        ClientConnection here = online.get(account, device);
        if (here == null && !onlineAccounts.contains(account)) {
            return; // no device of the account is connected anywhere
        }
        WireFrame built = frame.get();
        if (built == null) {
            return;
        }
        if (here != null) {
            here.send(built);
        } else {
            publish(new Device(account, device).channel(), BusCodec.frame(FrameCatalogue.encode(built)));
        }
    }

    @Override
    public void announce(ClusterEvent event) {
        if (event instanceof PresenceChanged) {
            throw new IllegalArgumentException("presence is announced by the shared presence scripts only");
        }
        effects.apply(event);
        publish(RedisNames.EVENTS, BusCodec.encode(node, event));
    }

    @Override
    public boolean isOnline(String account) {
        return online.isOnline(account) || onlineAccounts.contains(account);
    }

    @Override
    public boolean connected() {
        return synced && link.open();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sweeper.shutdownNow();
        events.shutdownNow();
        if (!halted) {
            try {
                liveness.release();
            } catch (RuntimeException e) {
                log.warn("cluster: could not remove this node's registrations (its heartbeat will lapse): {}", e.getMessage());
            }
        }
        link.close();
    }

    /**
     * Stops talking to Redis as a crashed node would (tests of node death): no heartbeat, nothing
     * removed, no more commands; the other nodes reap what it registered once its heartbeat lapses.
     */
    void halt() {
        halted = true;
        timer.shutdownNow();
        sweeper.shutdownNow();
        events.shutdownNow();
        link.drop();
    }

    /** Publishes, at most once: never throws, never waits (a failure is a lost message; the sweep makes up for notifications). */
    private void publish(String channel, String message) {
        published.increment();
        try {
            redis.publish(channel, message).whenComplete((receivers, failure) -> {
                if (failure != null) {
                    log.debug("cluster: publishing failed: {}", failure.toString());
                }
            });
        } catch (RuntimeException e) {
            log.debug("cluster: publishing failed: {}", e.toString());
        }
    }

    /** A message on a subscribed channel (Lettuce's I/O thread). */
    private void received(String channel, String message) {
        if (RedisNames.EVENTS.equals(channel)) {
            try {
                events.execute(() -> event(message));
            } catch (RejectedExecutionException closing) {
                // this node is leaving
            }
            return;
        }
        Device device = Device.ofChannel(channel);
        ClientConnection held = device == null ? null : online.get(device.account(), device.device());
        if (held == null) {
            return;
        }
        switch (BusCodec.kind(message)) {
            case BusCodec.POKE -> effects.readQueue(held);
            case BusCodec.REPLACED -> {
                if (devices.names(BusCodec.argument(message), held)) {
                    effects.replaced(held);
                }
            }
            case BusCodec.FRAME -> held.sendEncoded(BusCodec.argument(message));
            default -> log.debug("cluster: ignored a device message of unknown kind");
        }
    }

    /** An event for every node ({@code parley-cluster-events}). */
    private void event(String line) {
        try {
            BusCodec.Decoded decoded = BusCodec.decode(line);
            if (decoded == null) {
                log.debug("cluster: ignored an event of unknown kind");
            } else if (decoded.event() instanceof PresenceChanged presence) {
                presence(presence.account(), presence.online());
            } else if (!decoded.origin().equals(node)) {
                effects.apply(decoded.event());
            }
        } catch (RuntimeException e) {
            log.warn("cluster: handling an event failed: {}", e.toString());
        }
    }

    /** Sets the mirror; a change is pushed to this node's subscribers and watchers. */
    private void presence(String account, boolean isOnline) {
        if (isOnline ? onlineAccounts.add(account) : onlineAccounts.remove(account)) {
            effects.apply(new PresenceChanged(account, isOnline));
        }
    }

    private void queueResync() {
        if (resyncQueued.compareAndSet(false, true) && !events.isShutdown()) {
            events.execute(() -> {
                resyncQueued.set(false);
                try {
                    resync();
                } catch (RuntimeException e) {
                    log.warn("cluster: registering with Redis again failed ({}); retrying in {}", e.getMessage(), RESYNC_RETRY);
                    timer.schedule(this::queueResync, RESYNC_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }
    }

    /**
     * Registers everything this node holds again and catches up with what it may have missed
     * ({@code parley-cluster-events}, so no event interleaves): the events channel and every
     * held device's channel subscribed, the heartbeat, every held device's socket key and
     * presence, the presence mirror compared with {@code parley:online}, the usernames reloaded,
     * and every held queue read.
     */
    private void resync() {
        synced = false;
        registrationsDoubtful.set(false);
        await(link.subscriptions().subscribe(RedisNames.EVENTS));
        liveness.beat();
        Set<String> listed = await(redis.smembers(RedisNames.nodeDevices(node)));
        NodeLiveness.await(devices.registerAll(listed, effects::replaced, events), REGISTER_ALL_WAIT);
        Set<String> snapshot = new HashSet<>(await(redis.smembers(RedisNames.ONLINE)));
        for (String account : List.copyOf(onlineAccounts)) {
            if (!snapshot.contains(account)) {
                presence(account, false);
            }
        }
        snapshot.forEach(account -> presence(account, true));
        catchUp();
        synced = true;
        if (lostTouch) {
            log.info("cluster: in touch with Redis again; {} devices registered again", online.devices().size());
        }
        lostTouch = false;
        resyncs.increment();
        sweep();
    }

    /**
     * What this node may have missed while out of touch, read from the database; retried until
     * the database answers (a send to an account registered meanwhile is refused until then).
     */
    private void catchUp() {
        try {
            effects.resynced();
        } catch (RuntimeException e) {
            log.warn("cluster: reloading what events may have missed failed ({}); retrying in {}", e.toString(), RESYNC_RETRY);
            timer.schedule(() -> events.execute(this::catchUp), RESYNC_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Renews the heartbeat (a lapsed one: register everything again) and reaps dead nodes ({@code parley-cluster-timer}). */
    private void heartbeat() {
        try {
            if (liveness.beat() && synced) {
                log.warn("cluster: this node's heartbeat had lapsed (Redis restarted, or the node was found dead); "
                        + "registering again");
                queueResync();
            } else if (synced && registrationsDoubtful.compareAndSet(true, false)) {
                log.info("cluster: a registration with Redis failed (it timed out, or Redis was away); registering again");
                queueResync();
            }
            long dead = liveness.reapDead();
            if (dead > 0) {
                reaped.increment(dead);
                log.info("cluster: removed the presence and sockets of {} node(s) whose heartbeat lapsed", dead);
            }
        } catch (RuntimeException e) {
            log.debug("cluster: heartbeat failed: {}", e.getMessage());
        }
    }

    /** Every held device's mailbox reads its queue: the bound on the delay a lost notification causes. */
    private void sweep() {
        NodeEffects target = effects;
        for (ClientConnection held : online.devices()) {
            target.readQueue(held);
        }
    }
}
