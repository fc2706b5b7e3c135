package dev.parley.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13: a node stopped for an upgrade (SIGTERM) under load drains. It turns unready at
 * once ({@code /readyz} 503 while it still runs), closes its clients' sockets so that they
 * reconnect through the proxy to the other nodes, and exits with status 0. Nothing
 * acknowledged is lost, nothing is shown twice, and every client is on another node and
 * receiving again within {@link #RESUME_BOUND}. The node then starts again on its ports, as in
 * a rolling restart.
 */
class NodeDrainTest {

    static final Duration RESUME_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension(ClusterFixture.Options.threeNodes());

    @TempDir
    Path homes;

    @Test
    void aNodeStoppedWithSigtermDrainsItsClientsToTheOthersLosesNothingAndExitsZero() throws Exception {
        ClusterFixture cluster = CLUSTER.cluster();
        PairTraffic.Verdict verdict;
        try (var traffic = PairTraffic.start(homes, "drain", 3, i -> cluster.url("/"), Duration.ofMillis(100))) {
            traffic.awaitFlowing(RESUME_BOUND);
            NodeProcess draining = cluster.nodes().stream().max(Comparator.comparingInt(NodeProcess::connections)).orElseThrow();
            int held = draining.connections();
            assertTrue(held > 0, "no node holds a client");
            System.out.println("[drain test] stopping " + draining + ", which holds " + held + " of " + traffic.peers().size()
                    + " clients");

            long signalled = System.nanoTime();
            draining.signalTerm();
            boolean unreadySeen = false;
            while (draining.isAlive() && !unreadySeen) {
                unreadySeen = draining.status("/readyz") == 503;
                if (!unreadySeen) {
                    Waits.pause(20);
                }
            }
            int exit = draining.awaitExit(Duration.ofSeconds(60));
            long exitedAfter = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
            Duration resumed = traffic.awaitDeliveryAfter(signalled, RESUME_BOUND);
            List<NodeProcess> others = cluster.nodes().stream().filter(n -> n != draining).toList();
            Waits.until(RESUME_BOUND, () -> "every client logged in on the other nodes: "
                    + others.stream().map(n -> n.id() + "=" + n.connections()).toList(),
                    () -> others.stream().mapToInt(NodeProcess::connections).sum() == traffic.peers().size());
            System.out.println("[drain test] " + draining + " exited with " + exit + " after " + exitedAfter
                    + " ms; every client received again after " + resumed.toMillis() + " ms");

            assertTrue(unreadySeen, draining + " never answered /readyz with 503 before it exited");
            assertEquals(0, exit, draining + " exit status after SIGTERM");

            cluster.startNode(Integer.parseInt(draining.id().substring("node-".length())));
            cluster.awaitNodesReady(Duration.ofSeconds(60));
            traffic.awaitDeliveryAfter(System.nanoTime(), RESUME_BOUND);
            traffic.stop();
            verdict = traffic.verify(Duration.ofSeconds(60));
        }
        System.out.println("[drain test] " + verdict);
        assertEquals(List.of(), verdict.failures(), "sends refused");
        assertEquals(List.of(), verdict.gaveUp(), "clients that stopped reconnecting");
        assertEquals(List.of(), verdict.unflushed(), "texts never stored by the server");
        assertEquals(List.of(), verdict.lost(), "acknowledged texts lost");
        assertEquals(List.of(), verdict.shownTwice(), "texts shown twice");
        assertEquals(List.of(), verdict.historyTwice(), "histories with a text twice");
        assertTrue(verdict.checked() > 0, verdict::toString);
    }
}
