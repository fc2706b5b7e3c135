package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Delivery per device: a send names exactly the recipient's listed devices (one's own account:
 * all but the sending device) or nothing is stored and mismatched_devices says what is missing
 * and extra; each device receives its own envelope with the shared content and the sending
 * device; an ack erases only the acking device's copy; each device replays its own queue.
 */
class DeviceDeliveryTest extends LiveServerTest {

    @Test
    void eachDeviceGetsItsEnvelopeTheSharedContentAndTheSendersDevice() {
        try (var ida = TestClient.registered(server, "dd_ida");
                var jon = TestClient.registered(server, "dd_jon")) {
            var jonTwo = TestDevices.link(server, jon, 2);
            var copies = List.of(new DeviceEnvelope(1, "AAAA"), new DeviceEnvelope(2, "BBBB"));
            JsonNode stored = ida.request(new SendMessage("m1", "dd_jon", "Q09OVEVOVA", copies));
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            JsonNode toOne = jon.awaitType("relay_message");
            JsonNode toTwo = jonTwo.awaitType("relay_message");
            assertEquals("AAAA", toOne.path("envelope").asText());
            assertEquals("BBBB", toTwo.path("envelope").asText());
            for (JsonNode relay : List.of(toOne, toTwo)) {
                assertEquals("Q09OVEVOVA", relay.path("content").asText());
                assertEquals("dd_ida", relay.path("from").asText());
                assertEquals(1, relay.path("fromDevice").asInt());
                assertEquals("m1", relay.path("id").asText());
            }
            jonTwo.close();
        }
    }

    @Test
    void aSendForOtherDevicesThanTheListIsRefusedAndStoresNothing() {
        try (var kim = TestClient.registered(server, "dd_kim");
                var lee = TestClient.registered(server, "dd_lee")) {
            TestDevices.link(server, lee, 2).close();
            TestDevices.link(server, lee, 3).close();
            JsonNode refused = kim.sendToDevices("dd_lee", "m1", null, "AAAA", List.of(1, 4));
            assertEquals("mismatched_devices", refused.path("code").asText(), refused::toString);
            assertEquals("m1", refused.path("re").asText());
            assertEquals(List.of(2, 3), ints(refused.path("missing")));
            assertEquals(List.of(4), ints(refused.path("extra")));
            assertTrue(lee.drain(Duration.ofMillis(300)).stream().noneMatch(f -> f.path("type").asText().equals("relay_message")),
                    "nothing was stored for device 1 either");
            // Sent again under the same id to the right devices, it is stored once per device.
            assertEquals("stored", kim.sendToDevices("dd_lee", "m1", null, "AAAA", List.of(1, 2, 3)).path("type").asText());
            assertEquals("m1", lee.awaitType("relay_message").path("id").asText());
            JsonNode again = kim.sendToDevices("dd_lee", "m1", null, "AAAA", List.of(1, 2, 3));
            assertTrue(again.path("duplicate").asBoolean(), again::toString);
        }
    }

    @Test
    void ownAccountSendsGoToEveryOtherDevice() {
        try (var max = TestClient.registered(server, "dd_max")) {
            var two = TestDevices.link(server, max, 2);
            var three = TestDevices.link(server, max, 3);
            JsonNode withSelf = two.sendToDevices("dd_max", "s1", null, "AAAA", List.of(1, 2, 3));
            assertEquals("mismatched_devices", withSelf.path("code").asText());
            assertEquals(List.of(2), ints(withSelf.path("extra")), "the sending device is not a recipient");
            assertEquals("stored", two.sendToDevices("dd_max", "s1", null, "AAAA", List.of(1, 3)).path("type").asText());
            assertEquals(2, max.awaitType("relay_message").path("fromDevice").asInt());
            assertEquals(2, three.awaitType("relay_message").path("fromDevice").asInt());
            assertTrue(two.drain(Duration.ofMillis(300)).stream().noneMatch(f -> f.path("type").asText().equals("relay_message")));
            two.close();
            three.close();
        }
    }

    @Test
    void anAckErasesOnlyTheAckingDevicesCopyAndEachDeviceReplaysItsOwnQueue() {
        try (var ned = TestClient.registered(server, "dd_ned");
                var olga = TestClient.registered(server, "dd_olga")) {
            var olgaTwo = TestDevices.link(server, olga, 2);
            var olgaTwoKey = olgaTwo.deviceKey();
            olgaTwo.close();
            olga.close();
            for (int i = 0; i < 3; i++) {
                assertEquals("stored", ned.sendToDevices("dd_olga", "q" + i, null, "AAAA", List.of(1, 2)).path("type").asText());
            }
            try (var one = TestClient.loggedIn(server, "dd_olga", olga.identity())) {
                for (int i = 0; i < 3; i++) {
                    one.ack(one.awaitType("relay_message"));
                }
            }
            try (var two = TestClient.loggedInDevice(server, "dd_olga", olga.identity(), 2, olgaTwoKey)) {
                Set<String> ids = new TreeSet<>();
                for (int i = 0; i < 3; i++) {
                    ids.add(two.awaitType("relay_message").path("id").asText());
                }
                assertEquals(Set.of("q0", "q1", "q2"), ids, "device 1's acks left device 2's copies");
            }
            try (var oneAgain = TestClient.loggedIn(server, "dd_olga", olga.identity())) {
                assertFalse(oneAgain.drain(Duration.ofMillis(500)).stream()
                        .anyMatch(f -> f.path("type").asText().equals("relay_message")), "device 1's copies are erased");
            }
        }
    }

    @Test
    void eachEnvelopeAndTheContentAreLimitedInSize() {
        try (var pam = TestClient.registered(server, "dd_pam");
                var quin = TestClient.registered(server, "dd_quin")) {
            String big = "A".repeat(48 * 1024 + 4);
            JsonNode content = pam.request(new SendMessage("z1", "dd_quin", big, List.of(new DeviceEnvelope(1, "AAAA"))));
            assertEquals("envelope_too_large", content.path("code").asText());
            assertTrue(content.path("message").asText().startsWith("'content'"), content::toString);
            JsonNode envelope = pam.request(new SendMessage("z2", "dd_quin", null, List.of(new DeviceEnvelope(1, big))));
            assertEquals("envelope_too_large", envelope.path("code").asText());
            assertTrue(envelope.path("message").asText().startsWith("'devices[0].envelope'"), envelope::toString);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }
}
