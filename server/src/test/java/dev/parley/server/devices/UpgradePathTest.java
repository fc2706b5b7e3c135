package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.UsernameSkeleton;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An account created before devices (schema 4: no list) after the upgrade: its device logs in
 * once as device 1 with the identity-signed login, may do nothing but read and publish its
 * first list (version 1, itself as device 1), and is then an ordinary device that receives
 * what was queued for it before the upgrade. Until then, sends to it are refused.
 */
class UpgradePathTest {

    @Test
    void anAccountWithoutAListPublishesItsFirstListThenGetsItsQueue() throws Exception {
        var identity = new TestIdentity();
        var legacy = TestServer.databaseAtSchema("4");
        try (var db = legacy.getConnection(); var statement = db.createStatement()) {
            try (var insert = db.prepareStatement("INSERT INTO accounts (username, signing_key, dh_key, identity_binding, "
                    + "recovery_hash, created_at, identity_since, skeleton) VALUES ('up_old', ?, ?, ?, ?, 1, 1, ?)")) {
                insert.setBytes(1, identity.signingPublic());
                insert.setBytes(2, identity.dhPublic());
                insert.setBytes(3, identity.keys().binding());
                insert.setBytes(4, new byte[32]);
                insert.setString(5, UsernameSkeleton.of("up_old"));
                insert.executeUpdate();
            }
            statement.executeUpdate("INSERT INTO messages (recipient, sender, message_id, envelope, envelope_chars, server_time, "
                    + "expires_at) VALUES ('up_old', 'someone', 'queued1', 'AAAA', 4, 1, " + Long.MAX_VALUE + ")");
            statement.executeUpdate("INSERT INTO one_time_prekeys (username, key_id, public_key) VALUES ('up_old', 7, x'00')");
        }
        Path file = Path.of(legacy.getUrl().substring("jdbc:sqlite:".length()));
        try (var server = TestServer.start(TestServer.testLimits(), file);
                var friend = TestClient.registered(server, "up_friend");
                var old = TestClient.connect(server)) {
            old.identity(identity);
            JsonNode asDeviceTwo = old.request(old.signedDeviceLogin("up_old", 2, identity.firstDevice(), server.origin(),
                    System.currentTimeMillis()));
            assertEquals("unknown_device", asDeviceTwo.path("code").asText(), asDeviceTwo::toString);
            JsonNode loggedIn = old.identityLogin("up_old");
            assertEquals("logged_in", loggedIn.path("type").asText(), loggedIn::toString);
            assertEquals(1, loggedIn.path("device").asInt());

            JsonNode count = old.request(new GetPreKeyCount(TestClient.nextId()));
            assertEquals("unknown_device", count.path("code").asText(), "only the first list may be published: " + count);
            JsonNode devices = old.request(new GetDevices(TestClient.nextId(), "up_old"));
            assertTrue(devices.path("list").isMissingNode(), devices::toString);
            JsonNode toOld = friend.sendToDevices("up_old", "f1", null, "AAAA", List.of(1));
            assertEquals("unknown_device", toOld.path("code").asText(), toOld::toString);

            var key = identity.firstDevice();
            var notFirst = identity.deviceList(2, List.of(new DeviceEntry(1, key.publicKey(), 1)));
            assertEquals("bad_device_list", TestDevices.publish(old, notFirst).path("code").asText());
            var forged = new TestIdentity().deviceList(1, List.of(new DeviceEntry(1, key.publicKey(), 1)));
            assertEquals("bad_device_list", TestDevices.publish(old, forged).path("code").asText());
            JsonNode published = TestDevices.publish(old, identity.firstDeviceList());
            assertEquals("devices_published", published.path("type").asText(), published::toString);
            assertEquals(1, published.path("version").asLong());

            JsonNode queued = old.awaitType("relay_message");
            assertEquals("queued1", queued.path("id").asText());
            assertEquals(1, queued.path("fromDevice").asInt());
            assertEquals(1, old.request(new GetPreKeyCount(TestClient.nextId())).path("oneTimePreKeys").asInt(),
                    "the account's prekeys are device 1's");
            assertEquals("stored", friend.sendToDevices("up_old", "f1", null, "AAAA", List.of(1)).path("type").asText());
            assertEquals("f1", old.awaitType("relay_message").path("id").asText());
            try (var again = TestClient.connect(server)) {
                again.identity(identity);
                assertEquals("bad_signature", again.identityLogin("up_old").path("code").asText(),
                        "with a list, the identity-signed login is over");
                assertEquals("logged_in", again.login("up_old").path("type").asText());
            }
        }
    }
}
