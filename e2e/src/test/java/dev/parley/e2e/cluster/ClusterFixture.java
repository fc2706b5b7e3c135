package dev.parley.e2e.cluster;

import dev.parley.e2e.support.ChatServer;
import dev.parley.server.testing.ChildServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Parley cluster of real processes on this machine, for one test class: PostgreSQL (a fresh
 * database on the machine's server, or a private server the test may stop), a private Redis,
 * {@code N} node processes ({@link NodeProcess}) and HAProxy in front of them
 * ({@link HaproxyProcess}, the repository's template). The logs and the proxy's configuration
 * are in one temporary directory; {@link #close} stops everything and removes them (the private
 * PostgreSQL removes its own files).
 *
 * <p>Clients that go through {@link #url} land where the proxy sends them; {@link #node} gives
 * each node's own address to put a client on a given node. The operations are those of the
 * failure tests: kill a node with SIGKILL and start it again on the same ports, stop and start
 * Redis, stop and start PostgreSQL.
 */
public final class ClusterFixture implements ChatServer {

    /**
     * @param nodes           how many nodes
     * @param privatePostgres a PostgreSQL server of the fixture's own (needed to stop it, or to
     *                        search its files); otherwise a fresh database on the machine's
     * @param nodeArguments   more options for every node (e.g. {@code --delivery-sweep PT20S})
     */
    public record Options(int nodes, boolean privatePostgres, List<String> nodeArguments) {
        public Options {
            nodeArguments = List.copyOf(nodeArguments);
        }

        public static Options threeNodes() {
            return new Options(3, false, List.of());
        }

        public Options withPrivatePostgres() {
            return new Options(nodes, true, nodeArguments);
        }

        public Options withNodeArguments(String... arguments) {
            return new Options(nodes, privatePostgres, List.of(arguments));
        }
    }

    private final Path directory;
    private final ClusterStores stores;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private HaproxyProcess proxy;

    private ClusterFixture(Path directory, ClusterStores stores) {
        this.directory = directory;
        this.stores = stores;
    }

    /** Starts PostgreSQL, Redis, the nodes (in parallel) and the proxy; returns once a request through the proxy reaches a node. */
    public static ClusterFixture start(Options options) {
        Path directory;
        try {
            directory = Files.createTempDirectory("parley-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long begun = System.nanoTime();
        ClusterStores shared;
        try {
            shared = ClusterStores.start(options.privatePostgres());
        } catch (RuntimeException | Error e) {
            delete(directory);
            throw e;
        }
        var cluster = new ClusterFixture(directory, shared);
        long stores = System.nanoTime();
        try {
            cluster.startProcesses(options);
            System.out.printf("[cluster] started in %d ms (PostgreSQL and Redis %d ms, nodes and proxy %d ms)%n",
                    (System.nanoTime() - begun) / 1_000_000, (stores - begun) / 1_000_000, (System.nanoTime() - stores) / 1_000_000);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startProcesses(Options options) {
        int count = options.nodes();
        int proxyPort = freePort();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
        String origins = Stream.concat(Stream.of(proxyPort), ports.stream()).map(p -> "http://127.0.0.1:" + p)
                .collect(Collectors.joining(","));
        for (int i = 0; i < count; i++) {
            String id = "node-" + (i + 1);
            List<String> arguments = new ArrayList<>(List.of(
                    "--database-url", stores.jdbcUrl(), "--redis-url", stores.redisUrl(),
                    "--allowed-origins", origins, "--trusted-proxies", "127.0.0.1/32",
                    // Every client of a test comes from 127.0.0.1 and many messages are sent
                    // quickly: the per-address and per-account limits of a public server would
                    // refuse them (as ServerProcess does for one server).
                    "--message-rate", "10000", "--message-burst", "10000", "--registrations-per-ip", "10000",
                    "--connections-per-ip", "10000", "--bundles-per-minute", "10000",
                    "--one-time-prekeys-per-target", "10000"));
            arguments.addAll(options.nodeArguments());
            nodes.add(new NodeProcess(id, ports.get(i), directory.resolve(id + ".log"), arguments));
        }
        inParallel(nodes, NodeProcess::start);
        proxy = HaproxyProcess.start(directory, proxyPort, nodes);
        proxy.awaitServing();
    }

    // ---- addresses -------------------------------------------------------------------------

    /** Through the proxy. */
    @Override
    public String url(String path) {
        return proxy.origin() + path;
    }

    @Override
    public String origin() {
        return proxy.origin();
    }

    @Override
    public String wsUrl() {
        return "ws://127.0.0.1:" + proxy.port() + "/ws";
    }

    /** Node {@code number} (1 to N), to reach it directly or to kill it. */
    public NodeProcess node(int number) {
        return nodes.get(number - 1);
    }

    public List<NodeProcess> nodes() {
        return List.copyOf(nodes);
    }

    // ---- failures ----------------------------------------------------------------------------

    /** Kills node {@code number} with SIGKILL (checked: it died of it). */
    public void kill(int number) {
        node(number).kill();
    }

    /** Starts node {@code number} again on its ports and waits until it is healthy. */
    public void startNode(int number) {
        node(number).start();
    }

    public void stopRedis() {
        stores.stopRedis();
    }

    /** Starts Redis again on the same port (empty: it keeps nothing, as the design allows). */
    public void startRedis() {
        stores.startRedis();
    }

    /** Stops the private PostgreSQL server (fast shutdown: its clients' connections are cut). */
    public void stopPostgres() {
        stores.stopPostgres();
    }

    public void startPostgres() {
        stores.startPostgres();
    }

    /** Waits (at most {@code timeout}) until every running node answers {@code /readyz} with 200. */
    public void awaitNodesReady(java.time.Duration timeout) {
        Waits.until(timeout, () -> "every node ready: " + nodes.stream().map(n -> n.id() + " /readyz " + n.status("/readyz")).toList(),
                () -> nodes.stream().filter(NodeProcess::isAlive).allMatch(n -> n.status("/readyz") == 200));
    }

    public String jdbcUrl() {
        return stores.jdbcUrl();
    }

    // ---- ChatServer: the whole cluster as the one server of a browser test ----------------------

    /** Stops every node (SIGTERM, in parallel); the proxy stays and answers that nothing is there. */
    @Override
    public void stop() {
        long begun = System.nanoTime();
        inParallel(nodes, NodeProcess::stop);
        System.out.printf("[cluster] every node stopped in %d ms%n", (System.nanoTime() - begun) / 1_000_000);
    }

    /** Starts every node again (in parallel) and waits until the proxy reaches one. */
    @Override
    public void restart() {
        long begun = System.nanoTime();
        inParallel(nodes.stream().filter(n -> !n.isAlive()).toList(), NodeProcess::start);
        proxy.awaitServing();
        System.out.printf("[cluster] nodes started again and served through the proxy in %d ms%n", (System.nanoTime() - begun) / 1_000_000);
    }

    /** The nodes' and the proxy's logs, the private PostgreSQL's files for the database if it has one, and {@link #database} written now. */
    @Override
    public List<Path> filesWritten() {
        DatabaseDump.write(stores.jdbcUrl(), database());
        try (var files = Files.walk(directory)) {
            return Stream.concat(files.filter(Files::isRegularFile), stores.postgresFiles().stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every value of the cluster's database, as stored ({@link DatabaseDump}); written by {@link #filesWritten}. */
    @Override
    public Path database() {
        return directory.resolve("database-dump.bin");
    }

    /** Every node's log, one after the other. */
    @Override
    public String readLog() {
        return nodes.stream().map(NodeProcess::readLog).collect(Collectors.joining("\n"));
    }

    /** Kills the proxy and the nodes (nothing of them is kept), stops Redis and PostgreSQL, drops the database and deletes the files. */
    @Override
    public void close() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            try {
                inParallel(nodes, NodeProcess::killIfRunning);
            } finally {
                try {
                    stores.close();
                } finally {
                    delete(directory);
                }
            }
        }
    }

    private static void delete(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "cluster of " + nodes + " behind HAProxy " + (proxy == null ? "-" : proxy.origin()) + " (files in " + directory + ")";
    }

    /** Runs {@code action} on every target at once (each waits for a JVM); rethrows the first failure as it was. */
    private static void inParallel(List<NodeProcess> targets, Consumer<NodeProcess> action) {
        var all = targets.stream().map(n -> CompletableFuture.runAsync(() -> action.accept(n), Thread::startVirtualThread)).toList();
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    static int freePort() {
        try {
            return ChildServer.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
