package dev.parley.server.cluster;

import static dev.parley.server.cluster.ClusterFrames.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery between nodes: a message stored through one node reaches the recipient's device on
 * another at once (the nodes' delivery sweep is a minute, longer than any wait here), group
 * messages reach each recipient where it is, messages from several nodes to one device all
 * arrive in each sender's order, a resend is delivered even when the first store's
 * notification was lost, and recipient sets stay with the node that issued them.
 */
@ExtendWith(SharedNodes.class)
class CrossNodeDeliveryTest {

    private static final String CONTENT = "BAAAAQIDBAUGBwgJ";
    private static ClusterNodes nodes;

    @BeforeAll
    static void nodes(ClusterNodes shared) {
        nodes = shared;
    }

    @Test
    void aMessageStoredThroughOneNodeReachesTheRecipientConnectedToAnother() {
        try (var bob = TestClient.registered(nodes.node(2), "xd_bob"); var alice = TestClient.registered(nodes.node(1), "xd_alice")) {
            JsonNode stored = alice.sendMessage("xd_bob", "x1", "ZW52ZWxvcGU");
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            JsonNode relay = receive(bob, "x1");
            assertEquals("xd_alice", relay.path("from").asText());
            assertEquals("ZW52ZWxvcGU", relay.path("envelope").asText());

            // And back, to a sender on the first node.
            assertEquals("stored", bob.sendMessage("xd_alice", "y1", "cmVwbHk").path("type").asText());
            receive(alice, "y1");
        }
    }

    @Test
    void eachDeviceOfAnAccountGetsItsCopyOnItsOwnNode() {
        try (var ann = TestClient.registered(nodes.node(1), "xd_ann"); var sender = TestClient.registered(nodes.node(3), "xd_sender")) {
            try (var annTwo = TestDevices.link(nodes.node(2), ann, 2)) {
                assertEquals("stored", sender.sendMessage("xd_ann", "d1", "Zm9yYm90aA").path("type").asText());
                receive(ann, "d1");
                receive(annTwo, "d1");
            }
        }
    }

    @Test
    void messagesFromTwoNodesToOneDeviceAllArriveEachInItsSendersOrder() throws Exception {
        int each = 40;
        try (var bob = TestClient.registered(nodes.node(2), "xo_bob");
                var alice = TestClient.registered(nodes.node(1), "xo_alice");
                var carol = TestClient.registered(nodes.node(3), "xo_carol")) {
            var fromAlice = CompletableFuture.runAsync(() -> sendMany(alice, "xo_bob", "a", each));
            var fromCarol = CompletableFuture.runAsync(() -> sendMany(carol, "xo_bob", "c", each));
            fromAlice.get(60, java.util.concurrent.TimeUnit.SECONDS);
            fromCarol.get(60, java.util.concurrent.TimeUnit.SECONDS);
            ConcurrentMap<String, List<String>> bySender = new ConcurrentHashMap<>();
            for (int i = 0; i < 2 * each; i++) {
                JsonNode relay = bob.awaitType("relay_message");
                bySender.computeIfAbsent(relay.path("from").asText(), from -> new ArrayList<>()).add(relay.path("id").asText());
                bob.ack(relay);
            }
            assertEquals(numbered("a", each), bySender.get("xo_alice"));
            assertEquals(numbered("c", each), bySender.get("xo_carol"));
            assertTrue(bob.drain(Duration.ofMillis(500)).stream().noneMatch(ClusterFrames.type("relay_message")),
                    "nothing is relayed twice");
        }
    }

    @Test
    void aResendIsDeliveredAtOnceWhenTheFirstStoresNotificationWasLost() {
        try (var bob = TestClient.registered(nodes.node(2), "xl_bob"); var alice = TestClient.registered(nodes.node(1), "xl_alice")) {
            // Stored as a node that died before notifying would leave it: nobody tells node 2.
            ClusterFrames.storeUnnotified(nodes, "xl_alice", "xl_bob", List.of(1), "lost1", "bG9zdA");
            assertTrue(bob.drain(Duration.ofMillis(500)).stream().noneMatch(ClusterFrames.type("relay_message")),
                    "without a notification the copy waits for the sweep (a minute here)");
            JsonNode again = alice.sendMessage("xl_bob", "lost1", "bG9zdA");
            assertEquals("stored", again.path("type").asText(), again::toString);
            assertTrue(again.path("duplicate").asBoolean(), again::toString);
            receive(bob, "lost1");
        }
    }

    @Test
    void aGroupMessageReachesEveryRecipientOnItsNode() {
        try (var bob = TestClient.registered(nodes.node(2), "xm_bob");
                var dave = TestClient.registered(nodes.node(3), "xm_dave");
                var carol = TestClient.registered(nodes.node(1), "xm_carol")) {
            var recipients = List.of(to("xm_bob"), to("xm_dave"), to("xm_carol_self_missing"));
            JsonNode stored = carol.request(new SendMulti("g1", CONTENT, recipients));
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            assertEquals("unknown_user", stored.path("refused").path(0).path("code").asText(), stored::toString);
            for (var recipient : List.of(bob, dave)) {
                JsonNode relay = receive(recipient, "g1");
                assertTrue(relay.path("multi").asBoolean());
                assertEquals(CONTENT, relay.path("content").asText());
            }
        }
    }

    @Test
    void aRecipientSetIsKnownOnlyToTheNodeThatIssuedItAndTheClientNamesItsRecipientsAgain() {
        try (var bob = TestClient.registered(nodes.node(2), "xs_bob"); var erin = TestClient.registered(nodes.node(1), "xs_erin")) {
            JsonNode first = erin.request(new SendMulti("s1", CONTENT, List.of(to("xs_bob"))));
            String set = first.path("recipientSet").asText();
            assertEquals(22, set.length(), first::toString);
            receive(bob, "s1");
            var identity = erin.identity();
            erin.close();
            // Erin's next connection lands on another node: the set is that node's unknown.
            try (var moved = TestClient.loggedIn(nodes.node(3), "xs_erin", identity)) {
                JsonNode refused = moved.request(SendMulti.toSet("s2", CONTENT, set));
                assertEquals("unknown_recipient_set", refused.path("code").asText(), refused::toString);
                JsonNode named = moved.request(new SendMulti("s2", CONTENT, List.of(to("xs_bob"))));
                assertEquals("stored", named.path("type").asText(), named::toString);
                receive(bob, "s2");
            }
        }
    }

    private static MultiRecipient to(String username) {
        return new MultiRecipient(username, List.of(new MultiDevice(1, null)));
    }

    private static void sendMany(TestClient client, String to, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            JsonNode stored = client.sendMessage(to, prefix + i, "bXNnLQ");
            assertEquals("stored", stored.path("type").asText(), stored::toString);
        }
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }
}
