package dev.parley.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ClientException;
import dev.parley.client.MessageStatus;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13: the cluster's PostgreSQL stopped. On the wire (a raw protocol client,
 * {@link TestClient}): a send is answered {@code error unavailable} and nothing is stored, a read
 * that needs the database fails with the same code (the answer to {@code get_devices}, or the
 * node's own read of the socket's queue, after which it closes the socket: "log in again
 * later"); every node's {@code /readyz} answers 503 while {@code /healthz} stays 200 and no
 * node goes down. For a user (SDK clients on two nodes): a text written meanwhile stays
 * {@code SENDING}, never acknowledged. Once PostgreSQL is back the nodes are ready again, the
 * refused send is stored when sent again under its id and relayed across nodes, the SDK's outbox
 * sends the text by itself and both users talk again.
 */
class ClusterPostgresOutageTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String DURING = "written while the database is down";

    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension(ClusterFixture.Options.threeNodes().withPrivatePostgres());

    @TempDir
    Path homes;

    @Test
    void sendsAreRefusedWithUnavailableWhileItIsDownAndEverythingResumesWhenItIsBack() throws Exception {
        ClusterFixture cluster = CLUSTER.cluster();
        NodeProcess node1 = cluster.node(1);
        NodeProcess node2 = cluster.node(2);
        String id = "pg-outage-" + HexFormat.of().formatHex(random(8));
        SendMessage send = new SendMessage(id, "pg_raw_b", null, List.of(new DeviceEnvelope(1, TestClient.b64(random(64)))));
        try (SdkPeer alice = SdkPeer.register(homes, node1.origin(), "pg_alice");
                SdkPeer bob = SdkPeer.register(homes, node2.origin(), "pg_bob");
                TestClient rawA = TestClient.connect(node1.wsUrl(), node1.origin());
                TestClient rawB = TestClient.connect(node2.wsUrl(), node2.origin())) {
            assertEquals("registered", rawA.register("pg_raw_a").path("type").asText());
            assertEquals("registered", rawB.register("pg_raw_b").path("type").asText());
            alice.client().send("pg_bob", "before the outage");
            Waits.until(BOUND, () -> "bob shown the first text", () -> bob.wasShown("pg_alice", "before the outage"));

            cluster.stopPostgres();
            // Sent at once: a node also reads every socket's queue on its delivery sweep, and closes
            // the socket when that read fails, so a later request may find the socket closed.
            rawA.send(send);
            JsonNode refused = awaitFrame(rawA, answerTo(id));
            assertEquals("error", refused.path("type").asText(), refused::toString);
            assertEquals("unavailable", refused.path("code").asText(), refused::toString);
            String devices = TestClient.nextId();
            rawA.send(new GetDevices(devices, "pg_raw_b"));
            JsonNode read = awaitFrame(rawA, answerTo(devices).or(f -> f.path("type").asText().equals("error") && !f.has("re")));
            assertEquals("unavailable", read.path("code").asText(), "a read without the database: " + read);

            for (NodeProcess node : cluster.nodes()) {
                Waits.until(BOUND, () -> node + " /readyz 503 without its database, not " + node.status("/readyz"),
                        () -> node.status("/readyz") == 503);
            }
            Thread sending = Thread.startVirtualThread(() -> {
                try {
                    alice.client().send("pg_bob", DURING);
                } catch (ClientException kept) {
                    // not confirmed in time (or disconnected): the text stays in the outbox
                }
            });
            Waits.until(BOUND, () -> "the text in alice's history", () -> outgoingStatus(alice, DURING).isPresent());
            for (NodeProcess node : cluster.nodes()) {
                assertTrue(node.isAlive(), node + " went down with its database");
                assertEquals(200, node.status("/healthz"), node + " /healthz (alive) while the database is down");
            }
            assertEquals(Optional.of(MessageStatus.SENDING), outgoingStatus(alice, DURING));
            assertEquals(1, alice.acked().size(), "only the first text acknowledged: " + alice.acked());

            cluster.startPostgres();
            cluster.awaitNodesReady(BOUND);
            assertEquals(0, rows(cluster.jdbcUrl(), id), "the refused send stored nothing");
            try (TestClient againA = loggedIn(node1, "pg_raw_a", rawA.identity());
                    TestClient againB = loggedIn(node2, "pg_raw_b", rawB.identity())) {
                againA.send(send);
                JsonNode stored = awaitFrame(againA, answerTo(id));
                assertEquals("stored", stored.path("type").asText(), stored::toString);
                JsonNode relayed = awaitFrame(againB, f -> f.path("type").asText().equals("relay_message") && f.path("id").asText().equals(id));
                againB.ack(relayed);
                assertEquals(1, rows(cluster.jdbcUrl(), id), "stored once");
            }

            Waits.until(BOUND, () -> "bob shown the text written during the outage; alice's status " + outgoingStatus(alice, DURING),
                    () -> bob.wasShown("pg_alice", DURING));
            sending.join(BOUND);
            assertEquals(2, alice.acked().size(), alice.acked()::toString);
            bob.client().send("pg_alice", "after the outage");
            Waits.until(BOUND, () -> "alice shown bob's answer", () -> alice.wasShown("pg_bob", "after the outage"));
            assertEquals(List.of(), bob.shownTwiceById());
            assertEquals(List.of(), alice.disconnects(), "alice's client stopped reconnecting");
            assertEquals(List.of(), bob.disconnects(), "bob's client stopped reconnecting");
        }
    }

    private static Optional<MessageStatus> outgoingStatus(SdkPeer peer, String text) {
        return peer.client().history("pg_bob").stream().filter(e -> e.outgoing() && e.text().equals(text)).findFirst()
                .flatMap(e -> peer.client().status("pg_bob", e.id()));
    }

    private static TestClient loggedIn(NodeProcess node, String name, TestIdentity identity) {
        TestClient client = TestClient.connect(node.wsUrl(), node.origin());
        client.identity(identity);
        JsonNode reply = client.login(name);
        assertEquals("logged_in", reply.path("type").asText(), () -> "login of " + name + " on " + node + ": " + reply);
        return client;
    }

    private static Predicate<JsonNode> answerTo(String requestId) {
        return frame -> requestId.equals(frame.path("re").asText(null));
    }

    /** The first frame {@code match} accepts, waiting up to {@link #BOUND} (a database that is gone may take the pool's timeout to answer). */
    private static JsonNode awaitFrame(TestClient client, Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (JsonNode frame : client.drain(Duration.ofMillis(500))) {
                if (match.test(frame)) {
                    return frame;
                }
                skipped.add(frame);
            }
        }
        throw new AssertionError("no matching frame within " + BOUND.toSeconds() + " s; skipped " + skipped);
    }

    /** Rows of {@code messages} with the message id {@code id} (one per recipient device). */
    private static long rows(String jdbcUrl, String id) throws SQLException {
        try (var db = DriverManager.getConnection(jdbcUrl); var select = db.prepareStatement("SELECT COUNT(*) FROM messages WHERE message_id = ?")) {
            select.setString(1, id);
            try (var result = select.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
