package dev.parley.e2e.cluster;

import dev.parley.e2e.support.ChatServer;
import java.util.function.Supplier;

/**
 * What serves the cluster variants of the browser tests ({@code @ServedBy(ThreeNodeCluster.class)}):
 * three nodes behind HAProxy on a fresh database of the machine's PostgreSQL and a private Redis.
 */
public final class ThreeNodeCluster implements Supplier<ChatServer> {

    @Override
    public ChatServer get() {
        return started(ClusterFixture.Options.threeNodes());
    }

    static ClusterFixture started(ClusterFixture.Options options) {
        ClusterFixture cluster = ClusterFixture.start(options);
        System.out.println("[cluster] " + cluster);
        return cluster;
    }

    /**
     * The same on a private PostgreSQL server, so that a search of every file the server side
     * wrote covers the database server's own files (data directory, WAL) too.
     */
    public static final class OwnPostgres implements Supplier<ChatServer> {
        @Override
        public ChatServer get() {
            return started(ClusterFixture.Options.threeNodes().withPrivatePostgres());
        }
    }
}
