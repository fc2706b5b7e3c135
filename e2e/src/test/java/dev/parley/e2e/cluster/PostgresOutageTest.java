package dev.parley.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.MessageStatus;
import dev.parley.server.testing.TestClient;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13: PostgreSQL stopped under a cluster's feet. Sends are refused with
 * {@code error unavailable} and never acknowledged, reads that need the database fail with the
 * same code, every node's {@code /readyz} answers 503 and no node goes down; once PostgreSQL is
 * back the refused send goes through (the SDK's outbox sends it again), the nodes are ready
 * again and everything resumes. The wire answers are read by a raw protocol client
 * ({@link TestClient}); the SDK clients show what a user gets.
 */
class PostgresOutageTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension(ClusterFixture.Options.threeNodes().withPrivatePostgres());

    @TempDir
    Path homes;

    @Test
    void sendsAreRefusedWithUnavailableWhileItIsDownAndEverythingResumesWhenItIsBack() throws Exception {
        ClusterFixture cluster = CLUSTER.cluster();
        NodeProcess node1 = cluster.node(1);
        NodeProcess node2 = cluster.node(2);
        try (SdkPeer alice = SdkPeer.register(homes, node1.origin(), "pg_alice");
                SdkPeer bob = SdkPeer.register(homes, node2.origin(), "pg_bob");
                TestClient rawA = TestClient.connect(node1.wsUrl(), node1.origin());
                TestClient rawB = TestClient.connect(node2.wsUrl(), node2.origin())) {
            assertEquals("registered", rawA.register("pg_raw_a").path("type").asText());
            assertEquals("registered", rawB.register("pg_raw_b").path("type").asText());
            alice.client().send("pg_bob", "before the outage");
            Waits.until(BOUND, () -> "bob shown the first text", () -> bob.wasShown("pg_alice", "before the outage"));

            cluster.stopPostgres();
            cluster.nodes().forEach(node -> Waits.until(BOUND, () -> node + " /readyz 503 without its database, not "
                    + node.status("/readyz"), () -> node.status("/readyz") == 503));

            // On the wire: a send refused with unavailable (not stored), a read refused alike.
            String id = "pg-outage-" + java.util.HexFormat.of().formatHex(random(8));
            SendMessage send = new SendMessage(id, "pg_raw_b", null, List.of(new DeviceEnvelope(1, TestClient.b64(random(64)))));
            JsonNode refused = request(rawA, send.id(), () -> rawA.send(send));
            assertEquals("error", refused.path("type").asText(), refused::toString);
            assertEquals("unavailable", refused.path("code").asText(), refused::toString);
            String devicesRequest = TestClient.nextId();
            JsonNode read = request(rawA, devicesRequest, () -> rawA.send(new GetDevices(devicesRequest, "pg_raw_b")));
            assertEquals("unavailable", read.path("code").asText(), read::toString);

            // The SDK: the text waits in the outbox, never acknowledged.
            Thread sending = Thread.startVirtualThread(() -> {
                try {
                    alice.client().send("pg_bob", "written while the database is down");
                } catch (dev.parley.client.ClientException kept) {
                    // a timeout: the text stays in the outbox
                }
            });
            Waits.until(BOUND, () -> "the text in alice's history", () -> outgoingStatus(alice, "written while the database is down").isPresent());
            JsonNode second = request(rawA, send.id(), () -> rawA.send(send)); // still down: refused again
            assertEquals("unavailable", second.path("code").asText(), second::toString);
            assertEquals(Optional.of(MessageStatus.SENDING), outgoingStatus(alice, "written while the database is down"));
            assertEquals(1, alice.acked().size(), "only the first text acknowledged: " + alice.acked());
            for (NodeProcess node : cluster.nodes()) {
                assertTrue(node.isAlive(), node + " went down with its database");
                assertEquals(200, node.status("/healthz"), node + " /healthz (alive) while the database is down");
            }

            cluster.startPostgres();
            cluster.awaitNodesReady(BOUND);
            JsonNode stored = request(rawA, send.id(), () -> rawA.send(send));
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            JsonNode relayed = awaitFrame(rawB, f -> f.path("type").asText().equals("relay_message") && f.path("id").asText().equals(id));
            rawB.ack(relayed);

            Waits.until(BOUND, () -> "the text written during the outage shown to bob; alice's status "
                    + outgoingStatus(alice, "written while the database is down"),
                    () -> bob.wasShown("pg_alice", "written while the database is down"));
            sending.join(BOUND);
            assertEquals(2, alice.acked().size(), alice.acked()::toString);
            bob.client().send("pg_alice", "after the outage");
            Waits.until(BOUND, () -> "alice shown bob's answer", () -> alice.wasShown("pg_bob", "after the outage"));
            assertEquals(List.of(), bob.shownTwiceById());
            assertEquals(List.of(), alice.disconnects());
            assertEquals(List.of(), bob.disconnects());
        }
    }

    private static Optional<MessageStatus> outgoingStatus(SdkPeer peer, String text) {
        return peer.client().history("pg_bob").stream().filter(e -> e.outgoing() && e.text().equals(text)).findFirst()
                .flatMap(e -> peer.client().status("pg_bob", e.id()));
    }

    /** Sends with {@code send} and returns the answer to {@code id} (a database that is gone may take a while to answer). */
    private static JsonNode request(TestClient client, String id, Runnable send) {
        send.run();
        return awaitFrame(client, f -> id.equals(f.path("re").asText(null)));
    }

    private static JsonNode awaitFrame(TestClient client, java.util.function.Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = client.poll(Duration.ofSeconds(1));
            if (frame != null && match.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame within " + BOUND.toSeconds() + " s");
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
