package dev.parley.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13's kill -9 acceptance test: SDK clients in pairs, all through the proxy, send each
 * other texts without pause while, ten times at random moments, one of the three nodes is killed
 * with SIGKILL and started again. Their clients reconnect through the proxy to the others and
 * carry on. At the end every text whose {@code stored} its sender received was shown to its
 * recipient (0 lost), none twice, and after each kill delivery resumed for every client within
 * {@link #RESUME_BOUND}.
 *
 * <p>The moments and victims come from a seeded random (the seed is printed; set
 * {@code PARLEY_KILL_SEED} to run one sequence again). A victim is drawn among the nodes that
 * hold clients at that moment, so that every kill cuts connections.
 */
class NodeKillTest {

    static final int KILLS = 10;
    static final int PAIRS = 4;
    /** At most one text per sender per 80 ms (8 senders: up to 100 texts a second, each with its delivery receipt). */
    static final Duration INTERVAL = Duration.ofMillis(80);
    /** Generous for a shared 2-core machine: the clients' reconnect backoff, HAProxy's health checks and a loaded JVM. */
    static final Duration RESUME_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension(ClusterFixture.Options.threeNodes());

    @TempDir
    Path homes;

    @Test
    void tenKillsUnderLoadLoseNoAcknowledgedMessageAndShowNoneTwice() throws Exception {
        ClusterFixture cluster = CLUSTER.cluster();
        String seedText = System.getenv("PARLEY_KILL_SEED");
        long seed = seedText == null || seedText.isBlank() ? System.nanoTime() : Long.parseLong(seedText.strip());
        System.out.println("[kill test] seed " + seed + " (PARLEY_KILL_SEED=" + seed + " runs this sequence again)");
        Random random = new Random(seed);

        List<Duration> resumed = new ArrayList<>();
        PairTraffic.Verdict verdict;
        try (var traffic = PairTraffic.start(homes, "kill", PAIRS, i -> cluster.url("/"), INTERVAL)) {
            traffic.awaitFlowing(RESUME_BOUND);
            System.out.println("[kill test] clients per node at the start: " + connections(cluster));
            for (int kill = 1; kill <= KILLS; kill++) {
                Waits.pause(300 + random.nextInt(2700)); // the random moment: 0.3 to 3 s into the traffic
                List<Integer> holding = IntStream.rangeClosed(1, 3).filter(n -> cluster.node(n).connections() > 0).boxed().toList();
                assertTrue(!holding.isEmpty(), "no node holds a client: " + connections(cluster));
                int victim = holding.get(random.nextInt(holding.size()));
                String before = connections(cluster);
                long killedAt = System.nanoTime();
                cluster.kill(victim);
                // Started again at once, as a supervisor would; its clients reconnect to the others meanwhile.
                var restart = java.util.concurrent.CompletableFuture.runAsync(() -> cluster.startNode(victim), Thread::startVirtualThread);
                Duration resume = traffic.awaitDeliveryAfter(killedAt, RESUME_BOUND);
                resumed.add(resume);
                restart.join();
                System.out.printf("[kill test] kill %d: node-%d (clients per node before: %s), delivery resumed for every client"
                        + " after %d ms, %d sends begun so far%n", kill, victim, before, resume.toMillis(), traffic.attempted());
            }
            traffic.stop();
            verdict = traffic.verify(Duration.ofSeconds(90));
        }
        System.out.println("[kill test] " + verdict);
        System.out.println("[kill test] delivery resumed after each kill within (ms): " + resumed.stream().map(Duration::toMillis).toList());

        assertEquals(List.of(), verdict.failures(), "sends refused");
        assertEquals(List.of(), verdict.gaveUp(), "clients that stopped reconnecting");
        assertEquals(List.of(), verdict.unflushed(), "texts never stored by the server");
        assertEquals(List.of(), verdict.lost(), "acknowledged texts lost");
        assertEquals(List.of(), verdict.shownTwice(), "texts shown twice");
        assertEquals(List.of(), verdict.historyTwice(), "histories with a text twice");
        assertTrue(verdict.checked() >= 1000, "too few texts checked to mean anything: " + verdict);
        assertEquals(KILLS, resumed.size());
    }

    private static String connections(ClusterFixture cluster) {
        return cluster.nodes().stream().map(n -> n.id() + "=" + n.connections()).toList().toString();
    }
}
