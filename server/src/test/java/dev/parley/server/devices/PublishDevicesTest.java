package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDeviceKey;
import dev.parley.server.testing.TestDevices;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * get_devices and publish_devices: the stored list with the server's rows; a new version that
 * removes devices, in one transaction with their rows, queues and prekeys; the removed devices'
 * connections told device_unlinked and closed, their logins refused; everything else refused
 * with the code that says why; devices_changed pushed to subscribers and the account's devices.
 */
class PublishDevicesTest extends LiveServerTest {

    @Test
    void getDevicesShowsLastSeenOnlyForOnesOwnAccount() {
        try (var erin = TestClient.registered(server, "pd_erin");
                var other = TestClient.registered(server, "pd_other")) {
            // The last-seen day is written with the next commit after the login, at most 50 ms later.
            Eventually.await(() -> erin.request(new GetDevices(TestClient.nextId(), "pd_erin")).path("servers").path(0)
                    .has("lastSeen"), "device 1's login is recorded");
            JsonNode own = erin.request(new GetDevices(TestClient.nextId(), "pd_erin"));
            assertEquals(1, own.path("servers").size(), own::toString);
            assertEquals(1, own.path("servers").get(0).path("id").asInt());
            assertTrue(own.path("servers").get(0).has("lastSeen"), own::toString);
            JsonNode theirs = other.request(new GetDevices(TestClient.nextId(), "pd_erin"));
            assertFalse(theirs.path("servers").get(0).has("lastSeen"), theirs::toString);
            assertEquals(own.path("list"), theirs.path("list"));
            JsonNode nobody = other.request(new GetDevices(TestClient.nextId(), "pd_nobody"));
            assertEquals("unknown_user", nobody.path("code").asText());
        }
    }

    @Test
    void unlinkingADeviceClosesItAndRefusesItsLogins() {
        try (var fay = TestClient.registered(server, "pd_fay");
                var sender = TestClient.registered(server, "pd_sender")) {
            sender.request(new GetPublicKeys(TestClient.nextId()));
            var second = TestDevices.link(server, fay, 2);
            TestDeviceKey secondKey = second.deviceKey();
            second.close();
            assertEquals("stored", sender.sendMessage("pd_fay", "before", "AAAA").path("type").asText());
            var third = TestDevices.link(server, fay, 3);
            DeviceList current = TestDevices.listOf(fay, "pd_fay");
            assertEquals(List.of(1, 2, 3), current.deviceIds());

            JsonNode published = TestDevices.publish(fay, TestDevices.without(fay.identity(), current, 2, 3));
            assertEquals("devices_published", published.path("type").asText(), published::toString);
            assertEquals(current.version() + 1, published.path("version").asLong());
            JsonNode unlinked = third.awaitType("error");
            assertEquals("device_unlinked", unlinked.path("code").asText());
            assertTrue(third.isClosed(Duration.ofSeconds(5)));
            JsonNode changed = sender.await(f -> f.path("type").asText().equals("devices_changed")
                    && f.path("version").asLong() == current.version() + 1);
            assertEquals("pd_fay", changed.path("username").asText());
            fay.awaitType("devices_changed");

            try (var again = TestClient.connect(server)) {
                again.identity(fay.identity());
                again.asDevice(2, secondKey);
                assertEquals("unknown_device", again.login("pd_fay").path("code").asText());
            }
            JsonNode rows = fay.request(new GetDevices(TestClient.nextId(), "pd_fay"));
            assertEquals(1, rows.path("servers").size(), "the removed devices' rows are deleted: " + rows);
            // Sends now name device 1 only; device 2's queued copy went with it.
            assertEquals("mismatched_devices", sender.sendToDevices("pd_fay", "after", null, "AAAA", List.of(1, 2))
                    .path("code").asText());
        }
    }

    @Test
    void aDeviceMaySignItselfOut() {
        try (var gus = TestClient.registered(server, "pd_gus")) {
            var second = TestDevices.link(server, gus, 2);
            DeviceList current = TestDevices.listOf(second, "pd_gus");
            JsonNode published = TestDevices.publish(second, TestDevices.without(gus.identity(), current, 2));
            assertEquals("devices_published", published.path("type").asText(), published::toString);
            assertEquals("device_unlinked", second.awaitType("error").path("code").asText());
            assertTrue(second.isClosed(Duration.ofSeconds(5)));
            assertFalse(gus.isClosed(Duration.ofMillis(200)));
        }
    }

    @Test
    void listsThatDoNotOnlyRemoveAreRefusedAndChangeNothing() {
        try (var hal = TestClient.registered(server, "pd_hal")) {
            var second = TestDevices.link(server, hal, 2);
            DeviceList current = TestDevices.listOf(hal, "pd_hal");
            var identity = hal.identity();
            DeviceList adding = TestDevices.withDevice(identity, current, 3, new TestDeviceKey());
            assertEquals("bad_device_list", TestDevices.publish(hal, adding).path("code").asText(), "devices are added by linking");
            DeviceList same = identity.deviceList(current.version() + 1, current.devices());
            assertEquals("bad_device_list", TestDevices.publish(hal, same).path("code").asText(), "removes nothing");
            DeviceList skipping = identity.deviceList(current.version() + 2, List.of(current.devices().getFirst()));
            assertEquals("stale_device_list", TestDevices.publish(hal, skipping).path("code").asText());
            DeviceList old = identity.deviceList(current.version(), List.of(current.devices().getFirst()));
            assertEquals("stale_device_list", TestDevices.publish(hal, old).path("code").asText());
            DeviceList forged = new dev.parley.server.testing.TestIdentity()
                    .deviceList(current.version() + 1, List.of(current.devices().getFirst()));
            assertEquals("bad_device_list", TestDevices.publish(hal, forged).path("code").asText(), "not signed by the account");
            assertEquals(current.version(), TestDevices.listOf(hal, "pd_hal").version(), "nothing was stored");
            assertFalse(second.isClosed(Duration.ofMillis(200)));
            assertEquals("prekey_count", second.request(new GetPreKeyCount(TestClient.nextId())).path("type").asText());
        }
    }
}
