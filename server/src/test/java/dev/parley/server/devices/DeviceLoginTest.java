package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDeviceKey;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Device logins: register and reset make device 1 from a signed list; a device logs in with
 * its own key, as the list names it; a second login replaces only the same device; an
 * account is online while any device is.
 */
class DeviceLoginTest extends LiveServerTest {

    @Test
    void registerAnswersDeviceOneAndStoresListVersionOne() {
        TestIdentity identity;
        try (var alice = TestClient.registered(server, "dl_alice")) {
            identity = alice.identity();
            DeviceList list = TestDevices.listOf(alice, "dl_alice");
            assertEquals(1, list.version());
            assertEquals(List.of(1), list.deviceIds());
            assertTrue(java.util.Arrays.equals(identity.firstDevice().publicKey(), list.device(1).key()));
        }
        try (var again = TestClient.connect(server)) {
            again.identity(identity);
            JsonNode reply = again.login("dl_alice");
            assertEquals("logged_in", reply.path("type").asText(), reply::toString);
            assertEquals(1, reply.path("device").asInt());
        }
    }

    @Test
    void registerRefusesAListThatIsNotVersionOneWithDeviceOneAloneOrNotSignedByTheIdentity() {
        var identity = new TestIdentity();
        var key = new TestDeviceKey();
        var version2 = identity.deviceList(2, List.of(new DeviceEntry(1, key.publicKey(), 1)));
        var deviceTwo = identity.deviceList(1, List.of(new DeviceEntry(2, key.publicKey(), 1)));
        var twoDevices = identity.deviceList(1, List.of(new DeviceEntry(1, key.publicKey(), 1),
                new DeviceEntry(2, new TestDeviceKey().publicKey(), 1)));
        var otherSigner = new TestIdentity().deviceList(1, List.of(new DeviceEntry(1, key.publicKey(), 1)));
        try (var client = TestClient.connect(server)) {
            client.identity(identity);
            for (DeviceList list : List.of(version2, deviceTwo, twoDevices, otherSigner)) {
                JsonNode reply = client.request(client.signedRegister("dl_bad", identity.keys(), new byte[32], list));
                assertEquals("bad_device_list", reply.path("code").asText(), reply::toString);
            }
            JsonNode good = client.request(client.signedRegister("dl_bad", identity.keys(), new byte[32], identity.firstDeviceList()));
            assertEquals("registered", good.path("type").asText(), good::toString);
            assertEquals(1, good.path("device").asInt());
        }
        try (var retry = TestClient.connect(server)) {
            retry.identity(identity);
            var otherDevice = identity.deviceList(1, List.of(new DeviceEntry(1, new TestDeviceKey().publicKey(), 1)));
            JsonNode taken = retry.request(retry.signedRegister("dl_bad", identity.keys(), new byte[32], otherDevice));
            assertEquals("username_taken", taken.path("code").asText(), "a retry must be the same device: " + taken);
        }
    }

    @Test
    void aDeviceLogsInWithItsOwnKeyOnly() {
        TestIdentity identity = TestClient.registeredOffline(server, "dl_carol");
        try (var client = TestClient.connect(server)) {
            client.identity(identity);
            // The identity key is not a device key: an account with a list refuses the old login.
            JsonNode identitySigned = client.identityLogin("dl_carol");
            assertEquals("bad_signature", identitySigned.path("code").asText(), identitySigned::toString);
            client.asDevice(1, new TestDeviceKey());
            assertEquals("bad_signature", client.login("dl_carol").path("code").asText(), "another key for device 1");
            client.asDevice(2, identity.firstDevice());
            assertEquals("unknown_device", client.login("dl_carol").path("code").asText(), "a device the list does not name");
            client.asDevice(1, null);
            JsonNode ok = client.login("dl_carol");
            assertEquals("logged_in", ok.path("type").asText(), ok::toString);
            assertEquals(1, ok.path("device").asInt());
        }
    }

    @Test
    void aResetUnlinksEveryOtherDeviceAndStartsTheListAgain() {
        try (var fred = TestClient.registered(server, "dl_fred");
                var watcher = TestClient.registered(server, "dl_watch2")) {
            watcher.request(new GetPublicKeys(TestClient.nextId()));
            var two = TestDevices.link(server, fred, 2);
            var twoKey = two.deviceKey();
            try (var resetting = TestClient.connect(server)) {
                JsonNode done = resetting.reset("dl_fred", fred.recoveryCode(), new TestIdentity());
                assertEquals("reset_done", done.path("type").asText(), done::toString);
                assertEquals(1, done.path("device").asInt());
                for (TestClient old : List.of(fred, two)) {
                    assertEquals("identity_reset", old.awaitType("error").path("code").asText());
                    assertTrue(old.isClosed(Duration.ofSeconds(5)));
                }
                DeviceList list = TestDevices.listOf(resetting, "dl_fred");
                assertEquals(1, list.version());
                assertEquals(List.of(1), list.deviceIds());
                JsonNode changed = watcher.await(f -> f.path("type").asText().equals("devices_changed")
                        && f.path("username").asText().equals("dl_fred") && f.path("version").asLong() == 1);
                assertEquals(1, changed.path("version").asLong());
            }
            try (var unlinked = TestClient.connect(server)) {
                unlinked.identity(fred.identity());
                unlinked.asDevice(2, twoKey);
                assertEquals("unknown_device", unlinked.login("dl_fred").path("code").asText());
            }
        }
    }

    @Test
    void aSecondLoginReplacesTheSameDeviceOnlyAndPresenceFollowsTheLastDevice() {
        try (var dave = TestClient.registered(server, "dl_dave");
                var watcher = TestClient.registered(server, "dl_watch")) {
            watcher.request(new GetPublicKeys(TestClient.nextId()));
            var second = TestDevices.link(server, dave, 2);
            try (var sameDevice = TestClient.loggedInDevice(server, "dl_dave", dave.identity(), 2, second.deviceKey())) {
                JsonNode replaced = second.awaitType("error");
                assertEquals("session_replaced", replaced.path("code").asText());
                assertTrue(second.isClosed(Duration.ofSeconds(5)));
                assertFalse(dave.isClosed(Duration.ofMillis(300)), "device 1 stays logged in");
            }
            second.close();
            // Device 1 is still online: no "offline" presence for dl_dave yet.
            List<JsonNode> frames = watcher.drain(Duration.ofMillis(500));
            assertFalse(frames.stream().anyMatch(f -> f.path("type").asText().equals("presence")
                    && f.path("username").asText().equals("dl_dave") && !f.path("online").asBoolean()), frames::toString);
            dave.close();
            JsonNode offline = watcher.await(f -> f.path("type").asText().equals("presence")
                    && f.path("username").asText().equals("dl_dave"));
            assertFalse(offline.path("online").asBoolean());
        }
    }
}
