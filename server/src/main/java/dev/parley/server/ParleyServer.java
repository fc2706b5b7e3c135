package dev.parley.server;

import dev.parley.server.auth.AuthHandlers;
import dev.parley.server.auth.Challenges;
import dev.parley.server.blobs.BlobIds;
import dev.parley.server.blobs.BlobLife;
import dev.parley.server.blobs.BlobRoutes;
import dev.parley.server.blobs.BlobStore;
import dev.parley.server.blobs.BlobSweeper;
import dev.parley.server.blobs.BlobTransfers;
import dev.parley.server.blobs.BlobUploads;
import dev.parley.server.blobs.DatabaseBlobStore;
import dev.parley.server.blobs.DirectoryBlobStore;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.cluster.ClusterEvent;
import dev.parley.server.cluster.LocalEffects;
import dev.parley.server.cluster.RedisCluster;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.delivery.DeliveryHandlers;
import dev.parley.server.delivery.ExpirySweeps;
import dev.parley.server.devices.DeviceHandlers;
import dev.parley.server.devices.DeviceNotices;
import dev.parley.server.devices.DeviceSessions;
import dev.parley.server.devices.LinkHandlers;
import dev.parley.server.devices.LinkWaiters;
import dev.parley.server.directory.DirectoryHandlers;
import dev.parley.server.directory.Watchers;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.Drain;
import dev.parley.server.gateway.Gateway;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.http.CachedProbe;
import dev.parley.server.http.MetricsServer;
import dev.parley.server.http.PlainErrorHandler;
import dev.parley.server.http.Readiness;
import dev.parley.server.http.SecurityHeaders;
import dev.parley.server.http.WebAssets;
import dev.parley.server.limits.RateLimiters;
import dev.parley.server.limits.RedisBuckets;
import dev.parley.server.prekeys.PreKeyHandlers;
import dev.parley.server.storage.Database;
import dev.parley.server.storage.QueueLimits;
import io.github.bucket4j.TimeMeter;
import io.lettuce.core.RedisURI;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires Parley's server together: storage, the domain handlers, the WebSocket gateway, the web
 * client's static files, health, and metrics on their own port. {@link #start} binds; {@link #close} stops
 * accepting, drains the database writer and closes everything.
 */
public final class ParleyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);
    /** The longest time between two purges of expired queue entries and tombstones. */
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    /**
     * The shortest time between two purges: a disappearing message's copy still queued leaves
     * the database within this of its expiry (and the WAL within the erasure bound after).
     */
    private static final Duration PURGE_MIN_GAP = Duration.ofSeconds(1);
    /**
     * How often expired link channels are deleted. A channel may hold a sealed link message
     * (an identity key, encrypted to the new device): it leaves the database within this of
     * its expiry, and is refused as expired from the expiry on.
     */
    private static final Duration LINK_PURGE_INTERVAL = Duration.ofMinutes(1);
    /** How long the database's answer to {@code /readyz} is kept, and how long a check waits for it. */
    private static final Duration READINESS_FRESH = Duration.ofSeconds(1);
    private static final Duration READINESS_TIMEOUT = Duration.ofMillis(500);

    private final ServerConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutorService deliveryExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-housekeeping").daemon(true).factory());
    private final OnlineUsers online = new OnlineUsers();
    private Database database;
    private Cluster cluster;
    private LocalEffects clusterEffects;
    private ExpirySweeps expirySweeps;
    private BlobStore blobStore;
    private RedisBuckets redisBuckets;
    private Javalin app;
    private MetricsServer metricsServer;
    private final Drain drain = new Drain(online);
    private final Readiness readiness = new Readiness();
    private boolean closed;

    public ParleyServer(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public static ParleyServer start(ServerConfig config) {
        var server = new ParleyServer(config, Clock.systemUTC());
        server.start();
        return server;
    }

    public synchronized void start() {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        database = Database.open(config.databaseUrl(), metrics, config.storage());
        expirySweeps = new ExpirySweeps(database.messages(), housekeeping, clock, PURGE_MIN_GAP, PURGE_INTERVAL);
        var blobLife = new BlobLife(clock, config.blobs().ttl());
        blobStore = switch (config.blobs().storeFor(config.databaseUrl(), config.cluster().enabled())) {
            case DIRECTORY -> new DirectoryBlobStore(config.blobs().directoryFor(database.file()), database.blobs(), blobLife);
            case DATABASE -> DatabaseBlobStore.open(config.databaseUrl(), database.blobs(), blobLife);
        };
        cluster = Cluster.start(config.cluster(), online, metrics);
        registerReadinessChecks();
        // The port is only known after binding when 0 was asked for, and the allowed origins
        // depend on it: bind first with a late-bound origin list.
        var origins = new LateOrigins();
        app = Javalin.create(javalin -> configure(javalin, origins));
        cluster.attach(clusterEffects); // in touch with the other nodes before the first connection
        app.start(config.host(), config.port());
        origins.set(config.effectiveOrigins(app.port()));
        if (config.metrics().enabled()) {
            metricsServer = MetricsServer.start(config.metrics(), metrics);
            log.info("metrics at http://{}:{}/metrics{}", config.metrics().host(), metricsServer.port(),
                    config.metrics().token() == null ? "" : " (bearer token required)");
        }
        expirySweeps.start();
        long blobSweepMillis = BlobSweeper.interval(config.blobs()).toMillis();
        housekeeping.scheduleWithFixedDelay(new BlobSweeper(blobStore, database.blobs(), clock), blobSweepMillis, blobSweepMillis,
                TimeUnit.MILLISECONDS);
        housekeeping.scheduleAtFixedRate(this::purgeExpiredLinks, LINK_PURGE_INTERVAL.toSeconds(),
                LINK_PURGE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        log.info("Parley server listening on http://{}:{} (database {})", config.host(), app.port(),
                config.databaseUrl().startsWith("jdbc:sqlite:") ? config.databaseUrl() : "external");
    }

    private void configure(io.javalin.config.JavalinConfig javalin, LateOrigins origins) {
        var limits = config.limits();
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        var challenges = new Challenges(new SecureRandom());
        var rates = rateLimiters(time);
        var directory = new DirectoryHandlers(database.accounts(), online, cluster, config.directory(), new Watchers(),
                rates.keyed("lookups", config.directory().lookupsPerMinute(), Duration.ofMinutes(1)));
        var delivery = new DeliveryHandlers(database.accounts(), database.messages(), online, cluster, clock,
                limits.maxEnvelopeChars(), new QueueLimits(limits.queueCap(), config.storage().queueShare(),
                        config.storage().queuedBytesPerAccount()), database.disk(), limits.queueTtl(), limits.deliveryWindow(),
                config.storage().recipientSetBytes(), deliveryExecutor, metrics, expirySweeps);
        var devices = database.devices();
        var notices = new DeviceNotices(online, directory);
        var linkWaiters = new LinkWaiters();
        var sessions = new DeviceSessions(online, cluster, delivery, directory, devices, linkWaiters, clock);
        var registrations = rates.keyed("registrations", limits.registrationsPerIpPerHour(), Duration.ofHours(1));
        var auth = new AuthHandlers(database.accounts(), devices, challenges, clock, origins, limits.authClockSkew(),
                registrations, database.disk(),
                new AuthHandlers.AuthEvents() {
                    @Override
                    public void authenticated(ClientConnection connection) {
                        sessions.loggedIn(connection);
                    }

                    @Override
                    public void identityReset(String username, ClientConnection resetBy) {
                        cluster.announce(new ClusterEvent.IdentityReset(username, LocalEffects.qualified(cluster.nodeId(), resetBy)));
                    }

                    @Override
                    public void registered(String username) {
                        cluster.announce(new ClusterEvent.AccountRegistered(username));
                    }
                });
        var deviceHandlers = new DeviceHandlers(database.accounts(), devices, cluster, database.disk(), sessions::deviceReady);
        var links = new LinkHandlers(devices, linkWaiters, cluster, registrations, database.disk(), clock,
                config.storage().linkTtl());
        clusterEffects = new LocalEffects(cluster.nodeId(), online, delivery, directory, notices, links);
        var preKeys = new PreKeyHandlers(database.accounts(), devices, database.preKeys(), cluster,
                rates.keyed("bundles", limits.bundlesPerMinute(), Duration.ofMinutes(1)),
                rates.keyed("one_time_prekeys", config.storage().oneTimePreKeysPerTargetPerHour(), Duration.ofHours(1)),
                database.disk());

        var blobs = config.blobs();
        var blobUploads = new BlobUploads(blobStore, database.blobs(), blobs, config.storage().diskWatermarkBytes(), database.disk(),
                rates.keyed("uploads", blobs.uploadsPerHour(), Duration.ofHours(1)), new BlobIds(new SecureRandom()), clock,
                metrics);
        var blobRoutes = new BlobRoutes(new BlobTransfers(blobStore, database.blobs(), clock, metrics));

        var routes = WireRoutes.table(new WireRoutes.Handlers(auth, directory, deviceHandlers, links, preKeys, delivery,
                blobUploads), config);
        var gateway = new Gateway(routes, online, challenges, sessions, limits, config.connections(), origins, time,
                deliveryExecutor, metrics, drain);

        javalin.startup.showJavalinBanner = false;
        javalin.concurrency.useVirtualThreads = true;
        // The WebSocket endpoint is a Jetty WebSocket core upgrade in front of Javalin's servlet context
        // (Javalin nests its context inside this wrapper), not a Javalin WebSocket route.
        javalin.jetty.modifyServer(server -> {
            server.setHandler(gateway.upgradeHandler(server));
            server.setErrorHandler(new PlainErrorHandler());
        });
        // The web client: the page, its service worker and its versioned modules and
        // stylesheets (cached for good), the rest of web/ and the WebJars as static files.
        var web = WebAssets.fromClasspath("web", config.webBundle());
        log.info("web client {}: {}", web.version(), web.bundled() ? "one bundled script" : "modules one by one");
        web.register(javalin);
        javalin.routes.before(ctx -> SecurityHeaders.HEADERS.forEach(ctx::header));
        blobRoutes.register(javalin);
        javalin.routes.get("/healthz", ctx -> {
            if (database.disk().refusing()) { // not ready: sends are refused with storage_full
                ctx.status(503).json(Map.of("status", "not_ready", "reason", "storage_full"));
            } else {
                ctx.json(Map.of("status", "ok"));
            }
        });
        javalin.routes.get("/readyz", readiness::answer);
    }

    /**
     * The checks of {@code /readyz}: the database answered a trivial query (kept a second,
     * bounded by a short timeout), the disk has room, the node is not draining, and in cluster
     * mode Redis is connected. Other parts may add theirs ({@link #readiness()}).
     */
    private void registerReadinessChecks() {
        readiness.register("database", new CachedProbe("database", database::ping, READINESS_FRESH, READINESS_TIMEOUT));
        readiness.register("storage", () -> database.disk().refusing()
                ? Readiness.State.notReady("storage_full") : Readiness.State.ready("ok"));
        readiness.register("draining", () -> drain.draining()
                ? Readiness.State.notReady("draining") : Readiness.State.ready("no"));
        if (config.cluster().enabled()) {
            // In touch with the other nodes: subscribed, and this node's sockets registered again after a reconnect.
            readiness.register("redis", () -> cluster.connected()
                    ? Readiness.State.ready("connected") : Readiness.State.notReady("disconnected"));
        }
    }

    /**
     * The rate limits per key: in this node's memory, or in a cluster in Redis (node-local
     * while Redis is unreachable, {@link RedisBuckets}).
     */
    private RateLimiters rateLimiters(TimeMeter time) {
        if (!(cluster instanceof RedisCluster redis)) {
            return RateLimiters.local(time);
        }
        redisBuckets = new RedisBuckets(redis.client(), RedisURI.create(config.cluster().redisUrl()), time,
                RedisBuckets.REQUEST_TIMEOUT, metrics);
        return RateLimiters.shared(redisBuckets, time);
    }

    private void purgeExpiredLinks() {
        try {
            int purged = database.devices().purgeExpiredLinks(clock.millis()).join();
            if (purged > 0) {
                log.info("purged {} expired link channels", purged);
            }
        } catch (RuntimeException e) {
            log.warn("purging expired link channels failed: {}", e.toString());
        }
    }

    public int port() {
        return app.port();
    }

    /** The port of the metrics endpoint; -1 when it is off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** What {@code /readyz} checks: a part with a condition of its own registers it here. */
    public Readiness readiness() {
        return readiness;
    }

    /**
     * Stops this node without losing anything acknowledged (docs/OPERATIONS.md, "Draining"):
     * {@code /readyz} fails at once; after {@link dev.parley.server.config.ClusterSettings#noticeBeforeDrain}
     * upgrades are refused and every socket is closed with 1012 so that its client reconnects
     * elsewhere; after the sockets are gone (at most {@code --drain-timeout}) the server is
     * {@link #close closed}, which flushes the database writer.
     */
    public void drainAndClose() {
        try {
            drain.run(config.cluster().noticeBeforeDrain(), config.cluster().drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("drain interrupted: closing now");
        } finally {
            close();
        }
    }


    /** How this node reaches the others (a {@code LocalCluster} alone); null before {@link #start}. */
    public Cluster cluster() {
        return cluster;
    }

    /** Stops everything; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.shutdownNow();
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (app != null) {
            app.stop();
        }
        if (cluster != null) {
            cluster.close(); // after the sockets: what is left of this node's presence goes with it
        }
        if (redisBuckets != null) {
            redisBuckets.close(); // on the cluster's client, closed with it (closing it first would read there as Redis lost)
        }
        deliveryExecutor.shutdown();
        if (blobStore != null) {
            blobStore.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** The origin allow-list, filled in once the port is bound. */
    private static final class LateOrigins extends java.util.AbstractList<String> {
        private volatile List<String> origins = List.of();

        void set(List<String> value) {
            origins = List.copyOf(value);
        }

        @Override
        public String get(int index) {
            return origins.get(index);
        }

        @Override
        public int size() {
            return origins.size();
        }
    }
}
