package dev.parley.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13: Redis restarted under a light load loses nothing (PostgreSQL is the truth) and
 * delivery continues. Two pairs of SDK clients, each peer on another node than its partner (so
 * every text crosses nodes, and its notification goes through Redis), send each other texts.
 * Redis is stopped while they do: texts are still stored and reach their recipients through
 * the nodes' delivery sweep (the design's bound for a lost notification, set to
 * {@link #SWEEP} here). It is started again, empty; once the nodes are ready again and every
 * client was shown a newer text, texts arrive by notification again: 90 % of those sent in the
 * next 5 s arrive within a quarter of {@link #SWEEP}, which the sweep alone would give only if
 * it happened to run in the last half second of those 5 s. No node goes down; nothing acknowledged is lost and nothing is shown
 * twice.
 */
class RedisRestartTest {

    static final Duration SWEEP = Duration.ofSeconds(20);
    /** Generous for a loaded machine: the sweep interval plus the time to notice. */
    static final Duration OUTAGE_BOUND = SWEEP.plusSeconds(25);

    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension(ClusterFixture.Options.threeNodes()
            .withNodeArguments("--delivery-sweep", SWEEP.toString()));

    @TempDir
    Path homes;

    @Test
    void redisStoppedAndStartedAgainLosesNothingAndDeliveryContinues() throws Exception {
        ClusterFixture cluster = CLUSTER.cluster();
        // Peers a1 b1 a2 b2 on nodes 1 2 2 3: each pair spans two nodes.
        int[] nodeOf = {1, 2, 2, 3};
        PairTraffic.Verdict verdict;
        List<Duration> afterRestart;
        try (var traffic = PairTraffic.start(homes, "redis", 2, i -> cluster.node(nodeOf[i]).origin(), Duration.ofMillis(250))) {
            traffic.awaitFlowing(Duration.ofSeconds(30));

            long stoppedAt = System.nanoTime();
            cluster.stopRedis();
            Duration duringOutage = traffic.awaitDeliveryAfter(stoppedAt, OUTAGE_BOUND);
            System.out.println("[redis test] Redis down: texts sent after the stop reached every client within "
                    + duringOutage.toMillis() + " ms");

            cluster.startRedis();
            cluster.awaitNodesReady(Duration.ofSeconds(60));
            long readyAt = System.nanoTime();
            Duration resumed = traffic.awaitDeliveryAfter(readyAt, Duration.ofSeconds(30));
            long measuredFrom = System.nanoTime();
            Waits.pause(5_000); // five more seconds of traffic to measure
            long measuredUntil = System.nanoTime();
            traffic.stop();
            verdict = traffic.verify(Duration.ofSeconds(60));
            afterRestart = traffic.latencies(measuredFrom, measuredUntil);
            System.out.println("[redis test] Redis back and the nodes ready: every client shown a newer text within "
                    + resumed.toMillis() + " ms; then delays of the " + afterRestart.size() + " texts sent in 5 s: median "
                    + percentile(afterRestart, 50).toMillis() + " ms, 90th percentile " + percentile(afterRestart, 90).toMillis()
                    + " ms, max " + percentile(afterRestart, 100).toMillis() + " ms");
        }
        System.out.println("[redis test] " + verdict);
        for (NodeProcess node : cluster.nodes()) {
            assertTrue(node.isAlive(), node + " went down");
            assertEquals(200, node.status("/healthz"), node + " /healthz");
        }
        assertEquals(List.of(), verdict.failures(), "sends refused");
        assertEquals(List.of(), verdict.gaveUp(), "clients that stopped reconnecting");
        assertEquals(List.of(), verdict.unflushed(), "texts never stored by the server");
        assertEquals(List.of(), verdict.lost(), "acknowledged texts lost");
        assertEquals(List.of(), verdict.shownTwice(), "texts shown twice");
        assertEquals(List.of(), verdict.historyTwice(), "histories with a text twice");
        assertTrue(afterRestart.size() >= 10, "texts measured after the restart: " + afterRestart.size());
        assertTrue(percentile(afterRestart, 90).compareTo(SWEEP.dividedBy(4)) < 0, "after Redis came back, texts still wait"
                + " for the sweep instead of being notified: 90th percentile delay " + percentile(afterRestart, 90).toMillis() + " ms");
    }

    /** The {@code p}th percentile of sorted durations (the largest for 100). */
    private static Duration percentile(List<Duration> sorted, int p) {
        return sorted.isEmpty() ? Duration.ZERO : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
