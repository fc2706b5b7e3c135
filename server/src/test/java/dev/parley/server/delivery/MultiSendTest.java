package dev.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code send_multi} against a live server: every listed device of every recipient gets its
 * copy once (the content, plus its own envelope when it has one), online at once or at its next
 * login; a recipient that is refused gets nothing while the others get everything, and the
 * answer says who and why; a resend stores only what is missing.
 */
class MultiSendTest extends LiveServerTest {

    static final String CONTENT = "BAAAAQIDBAUGBwgJ";

    /** Content-only copies for {@code devices} of {@code to}. */
    static MultiRecipient to(String to, Integer... devices) {
        return new MultiRecipient(to, java.util.Arrays.stream(devices).map(d -> new MultiDevice(d, null)).toList());
    }

    private static List<JsonNode> relays(TestClient client) {
        return client.drain(Duration.ofMillis(400)).stream().filter(f -> f.path("type").asText().equals("relay_message")).toList();
    }

    @Test
    void everyDeviceOfEveryRecipientGetsItsCopyOnce() {
        try (var alice = TestClient.registered(server, "ms_alice");
                var bob = TestClient.registered(server, "ms_bob");
                var carol = TestClient.registered(server, "ms_carol")) {
            var bobTwo = TestDevices.link(server, bob, 2);
            var aliceTwo = TestDevices.link(server, alice, 2);
            var recipients = List.of(new MultiRecipient("ms_bob", List.of(new MultiDevice(1, "RU5W"), new MultiDevice(2, null))),
                    to("ms_carol", 1), to("ms_alice", 2));
            JsonNode stored = alice.request(new SendMulti("g1", CONTENT, recipients));
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            assertFalse(stored.has("refused"), stored::toString);
            JsonNode toBob = bob.awaitType("relay_message");
            assertEquals("RU5W", toBob.path("envelope").asText(), "bob's device 1 has its own envelope");
            for (var device : List.of(bob, bobTwo, carol, aliceTwo)) {
                JsonNode relay = device == bob ? toBob : device.awaitType("relay_message");
                assertEquals("g1", relay.path("id").asText());
                assertEquals("ms_alice", relay.path("from").asText());
                assertEquals(1, relay.path("fromDevice").asInt());
                assertEquals(CONTENT, relay.path("content").asText());
                assertEquals(device != bob, relay.path("envelope").isMissingNode(), relay::toString);
                device.ack(relay);
                assertTrue(relays(device).isEmpty(), "one copy per device");
            }
            assertTrue(relays(alice).isEmpty(), "the sending device is not a recipient");
            bobTwo.close();
            aliceTwo.close();
        }
    }

    @Test
    void anOfflineDeviceGetsItsBacklogInOrderAtItsNextLogin() {
        TestIdentity dan = TestClient.registeredOffline(server, "ms_dan");
        try (var erin = TestClient.registered(server, "ms_erin");
                var frank = TestClient.registered(server, "ms_frank")) {
            for (int i = 0; i < 5; i++) {
                JsonNode stored = erin.request(new SendMulti("b" + i, CONTENT, List.of(to("ms_dan", 1), to("ms_frank", 1))));
                assertEquals("stored", stored.path("type").asText(), stored::toString);
                assertEquals("b" + i, frank.awaitType("relay_message").path("id").asText(), "online: at once");
            }
            try (var danOnline = TestClient.loggedIn(server, "ms_dan", dan)) {
                for (int i = 0; i < 5; i++) {
                    JsonNode relay = danOnline.awaitType("relay_message");
                    assertEquals("b" + i, relay.path("id").asText());
                    assertEquals(CONTENT, relay.path("content").asText());
                }
            }
        }
    }

    @Test
    void refusedRecipientsGetNothingTheOthersEverythingAndAResendStoresOnlyWhatIsMissing() {
        try (var gus = TestClient.registered(server, "ms_gus");
                var hana = TestClient.registered(server, "ms_hana");
                var ivan = TestClient.registered(server, "ms_ivan")) {
            var hanaTwo = TestDevices.link(server, hana, 2);
            JsonNode stored = gus.request(new SendMulti("r1", CONTENT,
                    List.of(to("ms_hana", 1, 3), to("ms_nobody", 1), to("ms_ivan", 1))));
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            JsonNode refused = stored.path("refused");
            assertEquals(2, refused.size(), stored::toString);
            assertEquals("ms_hana", refused.get(0).path("to").asText());
            assertEquals("mismatched_devices", refused.get(0).path("code").asText());
            assertEquals(List.of(2), ints(refused.get(0).path("missing")));
            assertEquals(List.of(3), ints(refused.get(0).path("extra")));
            assertEquals("ms_nobody", refused.get(1).path("to").asText());
            assertEquals("unknown_user", refused.get(1).path("code").asText());
            assertEquals("r1", ivan.awaitType("relay_message").path("id").asText());
            assertTrue(relays(hana).isEmpty() && relays(hanaTwo).isEmpty(), "nothing stored for a refused recipient");

            JsonNode resent = gus.request(new SendMulti("r1", CONTENT, List.of(to("ms_hana", 1, 2), to("ms_ivan", 1))));
            assertEquals("stored", resent.path("type").asText(), resent::toString);
            assertFalse(resent.path("duplicate").asBoolean(), "hana's copies are new");
            assertEquals("r1", hana.awaitType("relay_message").path("id").asText());
            assertEquals("r1", hanaTwo.awaitType("relay_message").path("id").asText());
            assertTrue(relays(ivan).isEmpty(), "ivan's copy was stored before: not again");
            JsonNode again = gus.request(new SendMulti("r1", CONTENT, List.of(to("ms_hana", 1, 2), to("ms_ivan", 1))));
            assertTrue(again.path("duplicate").asBoolean(), again::toString);
            hanaTwo.close();
        }
    }

    @Test
    void theSendingDeviceIsNoRecipientAndEachEnvelopeIsLimitedInSize() {
        try (var jon = TestClient.registered(server, "ms_jon");
                var kay = TestClient.registered(server, "ms_kay")) {
            JsonNode self = jon.request(new SendMulti("s1", CONTENT, List.of(to("ms_jon", 1), to("ms_kay", 1))));
            assertEquals("mismatched_devices", self.path("refused").get(0).path("code").asText(), self::toString);
            assertEquals(List.of(1), ints(self.path("refused").get(0).path("extra")));
            assertEquals("s1", kay.awaitType("relay_message").path("id").asText());
            String big = "A".repeat(48 * 1024 + 4);
            JsonNode tooLarge = jon.request(new SendMulti("s2", null,
                    List.of(new MultiRecipient("ms_kay", List.of(new MultiDevice(1, big))))));
            assertEquals("envelope_too_large", tooLarge.path("code").asText(), tooLarge::toString);
            assertTrue(tooLarge.path("message").asText().startsWith("'recipients[0].devices[0].envelope'"), tooLarge::toString);
            assertTrue(relays(kay).isEmpty(), "nothing stored");
        }
    }

    @Test
    void unlinkingTheLastDeviceWaitingForABodyOrResettingTheAccountDeletesTheBody() {
        try (var lin = TestClient.registered(server, "ms_lin");
                var mo = TestClient.registered(server, "ms_mo")) {
            var moTwo = TestDevices.link(server, mo, 2);
            moTwo.close();
            long before = bodies();
            assertEquals("stored", lin.request(new SendMulti("u1", CONTENT, List.of(to("ms_mo", 1, 2)))).path("type").asText());
            mo.ack(mo.awaitType("relay_message"));
            assertEquals(before + 1, bodies(), "device 2's copy still refers to the body");
            JsonNode unlinked = TestDevices.publish(mo, TestDevices.without(mo.identity(), TestDevices.listOf(mo, "ms_mo"), 2));
            assertEquals("devices_published", unlinked.path("type").asText(), unlinked::toString);
            Eventually.await(() -> bodies() == before, "unlinking device 2 deleted its copy, and device 1's ack the body");

            assertEquals("stored", lin.request(new SendMulti("u2", CONTENT, List.of(to("ms_mo", 1)))).path("type").asText());
            assertEquals(before + 1, bodies());
            mo.close();
            try (var device = TestClient.connect(server)) {
                assertEquals("reset_done", device.reset("ms_mo", mo.recoveryCode(), new TestIdentity()).path("type").asText());
            }
            Eventually.await(() -> bodies() == before, "the reset dropped the old identity's queue and the body with it");
        }
    }

    /** The bodies in the server's database, read on a connection of their own. */
    private static long bodies() {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                var row = connection.createStatement().executeQuery("SELECT COUNT(*) FROM message_bodies")) {
            row.next();
            return row.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }
}
