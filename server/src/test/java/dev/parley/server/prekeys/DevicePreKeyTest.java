package dev.parley.server.prekeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Prekeys per device: an upload is the connection's device's; a bundle is fetched for one
 * listed device; prekeys_low goes to the device whose stock ran low; unlinking deletes a
 * device's prekeys.
 */
class DevicePreKeyTest extends LiveServerTest {

    @Test
    void eachDeviceHasItsOwnPreKeysAndBundle() {
        try (var rex = TestClient.registered(server, "dk_rex");
                var asker = TestClient.registered(server, "dk_asker")) {
            var two = TestDevices.link(server, rex, 2);
            assertEquals("prekeys_stored", rex.request(PreKeyTest.upload(rex.identity(), 1, 30, 6)).path("type").asText());
            JsonNode storedTwo = two.request(PreKeyTest.upload(rex.identity(), 1, 20, 6));
            assertEquals(20, storedTwo.path("oneTimePreKeys").asInt(), storedTwo::toString);
            assertEquals(30, rex.request(new GetPreKeyCount(TestClient.nextId())).path("oneTimePreKeys").asInt());

            JsonNode one = asker.request(new GetPreKeyBundle(TestClient.nextId(), "dk_rex", 1));
            JsonNode bundleTwo = asker.request(new GetPreKeyBundle(TestClient.nextId(), "dk_rex", 2));
            assertEquals("prekey_bundle", bundleTwo.path("type").asText(), bundleTwo::toString);
            assertNotEquals(one.path("bundle").path("signedPreKey").path("key"), bundleTwo.path("bundle").path("signedPreKey").path("key"));
            assertEquals(one.path("bundle").path("identity"), bundleTwo.path("bundle").path("identity"), "one identity per account");

            // Device 2's stock fell to 20 - 1 = 19 < 20: device 2 is told, device 1 is not.
            JsonNode low = two.awaitType("prekeys_low");
            assertEquals(19, low.path("oneTimePreKeys").asInt());
            assertFalse(rex.drain(Duration.ofMillis(300)).stream().anyMatch(f -> f.path("type").asText().equals("prekeys_low")));

            JsonNode unlisted = asker.request(new GetPreKeyBundle(TestClient.nextId(), "dk_rex", 3));
            assertEquals("unknown_device", unlisted.path("code").asText(), unlisted::toString);

            two.close();
            var current = TestDevices.listOf(rex, "dk_rex");
            assertEquals("devices_published", TestDevices.publish(rex, TestDevices.without(rex.identity(), current, 2)).path("type").asText());
            assertEquals("unknown_device", asker.request(new GetPreKeyBundle(TestClient.nextId(), "dk_rex", 2)).path("code").asText());
        }
    }

    @Test
    void theOneTimeAllowanceIsPerTargetDevice() {
        try (var server = TestServer.start(TestServer.testStorage().withOneTimePreKeysPerTargetPerHour(1));
                var tom = TestClient.registered(server, "dk_tom");
                var asker = TestClient.registered(server, "dk_asker3")) {
            var two = TestDevices.link(server, tom, 2);
            tom.request(PreKeyTest.upload(tom.identity(), 1, 30, 6));
            two.request(PreKeyTest.upload(tom.identity(), 1, 30, 6));
            assertTrue(bundle(asker, "dk_tom", 1).has("oneTimePreKey"));
            assertFalse(bundle(asker, "dk_tom", 1).has("oneTimePreKey"), "device 1's allowance is used up");
            assertTrue(bundle(asker, "dk_tom", 2).has("oneTimePreKey"), "device 2 has an allowance of its own");
            two.close();
        }
    }

    private static JsonNode bundle(TestClient asker, String username, int device) {
        JsonNode reply = asker.request(new GetPreKeyBundle(TestClient.nextId(), username, device));
        assertEquals("prekey_bundle", reply.path("type").asText(), reply::toString);
        return reply.path("bundle");
    }

    @Test
    void aLinkedDeviceWithoutPreKeysYetHasNoBundle() {
        try (var sue = TestClient.registered(server, "dk_sue");
                var asker = TestClient.registered(server, "dk_asker2")) {
            var two = TestDevices.link(server, sue, 2);
            JsonNode none = asker.request(new GetPreKeyBundle(TestClient.nextId(), "dk_sue", 2));
            assertEquals("no_prekeys", none.path("code").asText(), none::toString);
            two.close();
        }
    }
}
