package dev.parley.server.delivery;

import static dev.parley.server.delivery.MultiSendTest.CONTENT;
import static dev.parley.server.delivery.MultiSendTest.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code send_multi} to a recipient set against a live server: the set a frame's recipients
 * got is delivered to every device again when named; each recipient is still checked against
 * its current device list; a set this device does not hold is refused with nothing stored; a
 * device keeps its eight most recently used sets. Every copy of a {@code send_multi} is relayed
 * with {@code multi}, a {@code send_message} copy without.
 */
class MultiSendRecipientSetTest extends LiveServerTest {

    private static List<JsonNode> relays(TestClient client) {
        return client.drain(Duration.ofMillis(400)).stream().filter(f -> f.path("type").asText().equals("relay_message")).toList();
    }

    /** The next relayed copy of {@code client}, acknowledged, after checking its id and that it says multi. */
    private static void receivesMulti(TestClient client, String id) {
        JsonNode relay = client.awaitType("relay_message");
        assertEquals(id, relay.path("id").asText(), relay::toString);
        assertTrue(relay.path("multi").asBoolean(), relay::toString);
        assertEquals(CONTENT, relay.path("content").asText());
        client.ack(relay);
    }

    @Test
    void aSetIsIssuedAndNamedAgainReachesEveryDevice() {
        try (var alice = TestClient.registered(server, "rs_alice");
                var bob = TestClient.registered(server, "rs_bob");
                var carol = TestClient.registered(server, "rs_carol")) {
            var bobTwo = TestDevices.link(server, bob, 2);
            var recipients = List.of(new MultiRecipient("rs_bob", List.of(new MultiDevice(1, "RU5W"), new MultiDevice(2, null))),
                    to("rs_carol", 1), to("rs_nobody", 1));
            JsonNode first = alice.request(new SendMulti("m1", CONTENT, recipients));
            String set = first.path("recipientSet").asText();
            assertEquals(22, set.length(), first::toString);
            for (var device : List.of(bob, bobTwo, carol)) {
                receivesMulti(device, "m1");
            }

            JsonNode second = alice.request(SendMulti.toSet("m2", CONTENT, set));
            assertEquals("stored", second.path("type").asText(), second::toString);
            assertFalse(second.has("recipientSet"), "a frame to a set gets no new set");
            assertEquals("unknown_user", second.path("refused").get(0).path("code").asText(), "the set is what was named");
            for (var device : List.of(bob, bobTwo, carol)) {
                JsonNode relay = device.awaitType("relay_message");
                assertEquals("m2", relay.path("id").asText());
                assertTrue(relay.path("envelope").isMissingNode(), "a set has no envelopes");
                assertTrue(relay.path("multi").asBoolean());
                device.ack(relay);
            }
            JsonNode again = alice.request(SendMulti.toSet("m2", CONTENT, set));
            assertTrue(again.path("duplicate").asBoolean(), "deduplicated like any send_multi: " + again);
            assertEquals(set, alice.request(new SendMulti("m3", CONTENT, recipients)).path("recipientSet").asText(),
                    "the same list from the same device: the same set");

            assertEquals("stored", alice.sendMessage("rs_carol", "p1", "AAAA").path("type").asText());
            JsonNode pairwise = carol.await(f -> f.path("id").asText().equals("p1"));
            assertFalse(pairwise.has("multi"), "a send_message copy is not multi: " + pairwise);
            bobTwo.close();
        }
    }

    @Test
    void eachRecipientOfASetIsCheckedAgainstItsCurrentDevices() {
        try (var dan = TestClient.registered(server, "rs_dan");
                var erin = TestClient.registered(server, "rs_erin");
                var fay = TestClient.registered(server, "rs_fay")) {
            String set = dan.request(new SendMulti("d1", CONTENT, List.of(to("rs_erin", 1), to("rs_fay", 1))))
                    .path("recipientSet").asText();
            receivesMulti(erin, "d1");
            receivesMulti(fay, "d1");
            var erinTwo = TestDevices.link(server, erin, 2);

            JsonNode stored = dan.request(SendMulti.toSet("d2", CONTENT, set));
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            JsonNode refused = stored.path("refused");
            assertEquals(1, refused.size(), stored::toString);
            assertEquals("rs_erin", refused.get(0).path("to").asText());
            assertEquals("mismatched_devices", refused.get(0).path("code").asText());
            assertEquals(List.of(2), MultiSendTest.ints(refused.get(0).path("missing")));
            receivesMulti(fay, "d2");
            assertTrue(relays(erin).isEmpty() && relays(erinTwo).isEmpty(), "nothing stored for the refused recipient");

            String fresh = dan.request(new SendMulti("d2", CONTENT, List.of(to("rs_erin", 1, 2), to("rs_fay", 1))))
                    .path("recipientSet").asText();
            assertNotEquals(set, fresh, "a new list, a new set");
            receivesMulti(erin, "d2");
            receivesMulti(erinTwo, "d2");
            assertTrue(relays(fay).isEmpty(), "fay's copy was stored before");
            erinTwo.close();
        }
    }

    @Test
    void aSetThisDeviceDoesNotHoldIsRefusedWithNothingStored() {
        try (var gus = TestClient.registered(server, "rs_gus");
                var hal = TestClient.registered(server, "rs_hal");
                var ida = TestClient.registered(server, "rs_ida")) {
            String set = gus.request(new SendMulti("g1", CONTENT, List.of(to("rs_hal", 1)))).path("recipientSet").asText();
            receivesMulti(hal, "g1");
            var gusTwo = TestDevices.link(server, gus, 2);
            for (var sender : List.of(gusTwo, ida)) {
                JsonNode refused = sender.request(SendMulti.toSet("g2", CONTENT, set));
                assertEquals("error", refused.path("type").asText(), refused::toString);
                assertEquals("unknown_recipient_set", refused.path("code").asText(), "another device's or account's set");
                assertEquals("g2", refused.path("re").asText());
            }
            JsonNode unknown = gus.request(SendMulti.toSet("g3", CONTENT, "AAAAAAAAAAAAAAAAAAAAAA"));
            assertEquals("unknown_recipient_set", unknown.path("code").asText(), unknown::toString);
            assertTrue(relays(hal).isEmpty(), "nothing stored");
            gusTwo.close();
        }
    }

    @Test
    void aDeviceKeepsItsEightMostRecentlyUsedSets() {
        try (var jo = TestClient.registered(server, "rs_jo");
                var kim = TestClient.registered(server, "rs_kim");
                var lu = TestClient.registered(server, "rs_lu")) {
            var kimTwo = TestDevices.link(server, kim, 2);
            // Nine different lists: kim's device 1, 2, both, and six with lu.
            List<List<MultiRecipient>> lists = List.of(List.of(to("rs_kim", 1)), List.of(to("rs_kim", 2)),
                    List.of(to("rs_kim", 1, 2)), List.of(to("rs_lu", 1)), List.of(to("rs_lu", 1), to("rs_kim", 1)),
                    List.of(to("rs_kim", 1), to("rs_lu", 1)), List.of(to("rs_lu", 1), to("rs_kim", 2)),
                    List.of(to("rs_lu", 1), to("rs_kim", 1, 2)), List.of(to("rs_kim", 2), to("rs_lu", 1)));
            String[] sets = new String[lists.size()];
            for (int i = 0; i < lists.size(); i++) {
                sets[i] = jo.request(new SendMulti("l" + i, CONTENT, lists.get(i))).path("recipientSet").asText();
                if (i == 0) {
                    assertEquals("stored", jo.request(SendMulti.toSet("u0", CONTENT, sets[0])).path("type").asText());
                }
                if (i == 7) {
                    // Set 1 is now the least recently used (set 0 was used after it).
                    assertEquals("stored", jo.request(SendMulti.toSet("u7", CONTENT, sets[0])).path("type").asText());
                }
            }
            assertEquals(lists.size(), java.util.Arrays.stream(sets).distinct().count());
            assertEquals("unknown_recipient_set", jo.request(SendMulti.toSet("x1", CONTENT, sets[1])).path("code").asText(),
                    "the least recently used of nine is gone");
            for (int i : new int[] {0, 2, 3, 4, 5, 6, 7, 8}) {
                JsonNode stored = jo.request(SendMulti.toSet("k" + i, CONTENT, sets[i]));
                assertEquals("stored", stored.path("type").asText(), "set " + i + ": " + stored);
            }
            kimTwo.close();
        }
    }
}
