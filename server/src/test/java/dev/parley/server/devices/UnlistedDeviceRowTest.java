package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDeviceKey;
import dev.parley.server.testing.TestDevices;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server cannot add a device: a device row written straight into the database, with no
 * entry in the account's signed list, cannot log in, is named in no send and receives nothing;
 * get_devices shows it among the server's rows, so the account's devices can see it.
 */
class UnlistedDeviceRowTest extends LiveServerTest {

    @Test
    void aDeviceRowWithoutAListEntryGetsNothingAndCannotLogIn() throws Exception {
        var injectedKey = new TestDeviceKey();
        try (var victim = TestClient.registered(server, "ur_victim");
                var sender = TestClient.registered(server, "ur_sender")) {
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                    var insert = db.prepareStatement(
                            "INSERT INTO devices (username, device_id, device_key, linked_at) VALUES ('ur_victim', 5, ?, 1)")) {
                insert.setBytes(1, injectedKey.publicKey());
                insert.executeUpdate();
            }
            try (var injected = TestClient.connect(server)) {
                injected.identity(victim.identity());
                injected.asDevice(5, injectedKey);
                assertEquals("unknown_device", injected.login("ur_victim").path("code").asText());
            }
            JsonNode withInjected = sender.sendToDevices("ur_victim", "m1", null, "AAAA", List.of(1, 5));
            assertEquals("mismatched_devices", withInjected.path("code").asText());
            assertEquals("[5]", withInjected.path("extra").toString());
            assertTrue(withInjected.path("missing").isMissingNode(), withInjected::toString);
            assertEquals("stored", sender.sendToDevices("ur_victim", "m1", null, "AAAA", List.of(1)).path("type").asText());
            assertEquals("m1", victim.awaitType("relay_message").path("id").asText());
            assertEquals("unknown_device",
                    sender.request(new GetPreKeyBundle(TestClient.nextId(), "ur_victim", 5)).path("code").asText());

            JsonNode devices = victim.request(new GetDevices(TestClient.nextId(), "ur_victim"));
            assertEquals(1, devices.path("list").path("devices").size());
            assertEquals(2, devices.path("servers").size(), "the injected row is visible to the account: " + devices);
            assertEquals(5, devices.path("servers").get(1).path("id").asInt());
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                    var count = db.prepareStatement("SELECT COUNT(*) FROM messages WHERE recipient = 'ur_victim' AND recipient_device = 5");
                    var rows = count.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(0, rows.getInt(1), "nothing was queued for the injected device");
            }
            assertTrue(victim.drain(Duration.ofMillis(100)).stream().noneMatch(f -> f.path("type").asText().equals("error")));
        }
    }

    @Test
    void linkingADeviceReplacesAnInjectedRowUnderItsId() throws Exception {
        try (var owner = TestClient.registered(server, "ur_owner")) {
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                    var insert = db.prepareStatement(
                            "INSERT INTO devices (username, device_id, device_key, linked_at) VALUES ('ur_owner', 2, ?, 1)")) {
                insert.setBytes(1, new TestDeviceKey().publicKey());
                insert.executeUpdate();
            }
            try (var linked = TestDevices.link(server, owner, 2)) {
                JsonNode devices = linked.request(new GetDevices(TestClient.nextId(), "ur_owner"));
                assertEquals(2, devices.path("servers").size(), devices::toString);
                assertEquals("stored", linked.sendToDevices("ur_owner", "note", null, "AAAA", List.of(1)).path("type").asText());
            }
        }
    }
}
