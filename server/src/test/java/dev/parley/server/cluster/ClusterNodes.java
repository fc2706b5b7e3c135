package dev.parley.server.cluster;

import dev.parley.server.config.BlobLimits;
import dev.parley.server.config.ClusterSettings;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.config.DirectorySettings;
import dev.parley.server.config.MetricsEndpoint;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.storage.Database;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.RedisProcess;
import dev.parley.server.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several Parley nodes in this JVM on one fresh PostgreSQL database and one private Redis: a
 * cluster for tests.
 * Node {@code i} is {@code n<i>}. Clients connect to a node as to any server
 * ({@code TestClient.connect(nodes.node(i))}).
 */
final class ClusterNodes implements AutoCloseable {

    final RedisProcess redis;
    final PostgresDatabases database;
    final String databaseUrl;
    final Duration sweep;
    private final List<TestServer> nodes = new ArrayList<>();
    private RedisClient inspector;
    private StatefulRedisConnection<String, String> inspection;

    private ClusterNodes(RedisProcess redis, PostgresDatabases database, Duration sweep) {
        this.redis = redis;
        this.database = database;
        this.databaseUrl = database.url();
        this.sweep = sweep;
    }

    /** {@code count} nodes with this delivery sweep, on a new database and a new Redis. */
    static ClusterNodes start(int count, Duration sweep) {
        var cluster = new ClusterNodes(RedisProcess.start(), PostgresDatabases.fresh(), sweep);
        try {
            for (int i = 1; i <= count; i++) {
                cluster.nodes.add(TestServer.start(cluster.config("n" + i)));
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    ServerConfig config(String nodeId) {
        return new ServerConfig("127.0.0.1", 0, databaseUrl, List.of(), TestServer.testLimits(), ConnectionLimits.defaults(),
                TestServer.testStorage(), MetricsEndpoint.loopback(0), BlobLimits.defaults(), DirectorySettings.defaults(),
                new ClusterSettings(redis.url(), nodeId, sweep, ClusterSettings.DEFAULT_DRAIN_TIMEOUT));
    }

    /** Node {@code n<i>}, counted from 1. */
    TestServer node(int i) {
        return nodes.get(i - 1);
    }

    /** Replaces node {@code i} with a fresh one of the same id (after it was stopped). */
    TestServer restart(int i) {
        TestServer fresh = TestServer.start(config("n" + i));
        nodes.set(i - 1, fresh);
        return fresh;
    }

    RedisCluster redisCluster(int i) {
        return (RedisCluster) node(i).server().cluster();
    }

    /** A connection of the test's own to the cluster's Redis, to look at what the nodes registered. */
    synchronized StatefulRedisConnection<String, String> inspect() {
        if (inspection == null || !inspection.isOpen()) {
            if (inspector == null) {
                inspector = RedisClient.create(redis.url());
            }
            inspection = inspector.connect();
        }
        return inspection;
    }

    /** The database, opened by the test itself: a write through it notifies no node (a node that died before notifying). */
    Database openDatabase() {
        return Database.open(databaseUrl, new SimpleMeterRegistry(), TestServer.testStorage());
    }

    @Override
    public void close() {
        for (TestServer node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                // already stopped by a test
            }
        }
        if (inspector != null) {
            inspector.shutdown();
        }
        redis.close();
        database.close();
    }
}
