package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDeviceKey;
import dev.parley.server.testing.TestDevices;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.LinkApprove;
import dev.parley.wire.frames.DeviceFrames.LinkOpen;
import dev.parley.wire.frames.DeviceFrames.LinkPeek;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Linking: link_open, link_peek, link_approve and link_sealed; re-attaching after a reconnect;
 * the channel's end at the new device's first login; and every refusal of a link.
 */
class LinkTest extends LiveServerTest {

    @Test
    void aLinkCarriesTheRequestToTheApproverAndTheSealedMessageToTheNewDevice() {
        try (var ann = TestClient.registered(server, "lk_ann")) {
            byte[] channel = TestDevices.channel();
            byte[] request = TestDevices.request();
            var newDevice = TestClient.connect(server);
            JsonNode opened = newDevice.request(new LinkOpen(TestClient.nextId(), channel, request));
            assertEquals("link_opened", opened.path("type").asText(), opened::toString);
            long expiresAt = opened.path("expiresAt").asLong();
            assertTrue(expiresAt > System.currentTimeMillis() + 9 * 60_000, "the default TTL is 10 minutes");

            JsonNode peeked = ann.request(new LinkPeek(TestClient.nextId(), channel));
            assertEquals("link_request", peeked.path("type").asText(), peeked::toString);
            assertArrayEquals(request, WireJson.fromBase64(peeked.path("request").asText()));
            assertEquals(expiresAt, peeked.path("expiresAt").asLong());

            var key = new TestDeviceKey();
            DeviceList list = TestDevices.withDevice(ann.identity(), TestDevices.listOf(ann, "lk_ann"), 2, key);
            byte[] sealed = TestDevices.sealed();
            JsonNode approved = ann.request(new LinkApprove(TestClient.nextId(), channel, list, sealed));
            assertEquals("link_approved", approved.path("type").asText(), approved::toString);
            assertEquals(2, approved.path("device").asInt());
            JsonNode delivered = newDevice.awaitType("link_sealed");
            assertArrayEquals(sealed, WireJson.fromBase64(delivered.path("sealed").asText()));
            assertEquals(2, delivered.path("device").asInt());
            assertEquals(2, ann.awaitType("devices_changed").path("version").asLong());

            assertEquals("link_expired", ann.request(new LinkPeek(TestClient.nextId(), channel)).path("code").asText(),
                    "an approved channel is used");
            newDevice.close();
            try (var linked = TestClient.loggedInDevice(server, "lk_ann", ann.identity(), 2, key)) {
                assertEquals(List.of(1, 2), TestDevices.listOf(linked, "lk_ann").deviceIds());
            }
            Eventually.await(() -> channelRows(channel) == 0, "the first login deletes the channel and its sealed message");
            try (var late = TestClient.connect(server)) {
                JsonNode gone = late.request(new LinkOpen(TestClient.nextId(), channel, request));
                assertEquals("link_opened", gone.path("type").asText(),
                        "the first login ended the channel: the same code opens a new, unapproved one");
                assertTrue(late.drain(java.time.Duration.ofMillis(300)).stream()
                        .noneMatch(f -> f.path("type").asText().equals("link_sealed")));
            }
        }
    }

    private static int channelRows(byte[] channel) {
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                var count = db.prepareStatement("SELECT COUNT(*) FROM link_channels WHERE channel = ?")) {
            count.setBytes(1, channel);
            try (var rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNewDeviceThatReconnectsGetsTheSealedMessageWhenItOpensTheChannelAgain() {
        try (var bea = TestClient.registered(server, "lk_bea")) {
            byte[] channel = TestDevices.channel();
            byte[] request = TestDevices.request();
            try (var first = TestClient.connect(server)) {
                assertEquals("link_opened", first.request(new LinkOpen(TestClient.nextId(), channel, request)).path("type").asText());
            }
            DeviceList list = TestDevices.withDevice(bea.identity(), TestDevices.listOf(bea, "lk_bea"), 2, new TestDeviceKey());
            byte[] sealed = TestDevices.sealed();
            assertEquals("link_approved",
                    bea.request(new LinkApprove(TestClient.nextId(), channel, list, sealed)).path("type").asText());
            try (var again = TestClient.connect(server)) {
                JsonNode opened = again.request(new LinkOpen(TestClient.nextId(), channel, request));
                assertEquals("link_opened", opened.path("type").asText(), opened::toString);
                JsonNode delivered = again.awaitType("link_sealed");
                assertArrayEquals(sealed, WireJson.fromBase64(delivered.path("sealed").asText()));
                JsonNode otherRequest = again.request(new LinkOpen(TestClient.nextId(), channel, TestDevices.request()));
                assertEquals("bad_frame", otherRequest.path("code").asText(), "a channel keeps the request it was opened with");
            }
        }
    }

    @Test
    void approvalsThatBreakTheListRulesAreRefusedAndLeaveTheChannelOpen() {
        try (var cal = TestClient.registered(server, "lk_cal")) {
            byte[] channel = TestDevices.channel();
            try (var waiting = TestDevices.open(server, channel)) {
                var identity = cal.identity();
                DeviceList current = TestDevices.listOf(cal, "lk_cal");
                var key = new TestDeviceKey();
                assertEquals("unknown_link", TestDevices.approve(cal, TestDevices.channel(),
                        TestDevices.withDevice(identity, current, 2, key)).path("code").asText());
                DeviceList stale = identity.deviceList(current.version() + 2,
                        TestDevices.withDevice(identity, current, 2, key).devices());
                assertEquals("stale_device_list", TestDevices.approve(cal, channel, stale).path("code").asText());
                DeviceList twoAdded = TestDevices.withDevice(identity, TestDevices.withDevice(identity, current, 2, key), 3,
                        new TestDeviceKey());
                twoAdded = identity.deviceList(current.version() + 1, twoAdded.devices());
                assertEquals("bad_device_list", TestDevices.approve(cal, channel, twoAdded).path("code").asText());
                DeviceList forged = new dev.parley.server.testing.TestIdentity().deviceList(current.version() + 1,
                        TestDevices.withDevice(identity, current, 2, key).devices());
                assertEquals("bad_device_list", TestDevices.approve(cal, channel, forged).path("code").asText());
                assertEquals("link_request", cal.request(new LinkPeek(TestClient.nextId(), channel)).path("type").asText(),
                        "the channel is still waiting");
                assertEquals("link_approved", TestDevices.approve(cal, channel, TestDevices.withDevice(identity, current, 2, key))
                        .path("type").asText());
                waiting.awaitType("link_sealed");
                assertEquals("link_expired", TestDevices.approve(cal, channel, TestDevices.withDevice(identity,
                        TestDevices.listOf(cal, "lk_cal"), 3, new TestDeviceKey())).path("code").asText(), "a channel is used once");
            }
        }
    }

    @Test
    void deviceIdsAreNeverReusedAndSevenDevicesAreTooMany() {
        try (var dot = TestClient.registered(server, "lk_dot")) {
            var identity = dot.identity();
            var second = TestDevices.link(server, dot, 2);
            second.close();
            DeviceList current = TestDevices.listOf(dot, "lk_dot");
            assertEquals("devices_published", TestDevices.publish(dot, TestDevices.without(identity, current, 2)).path("type").asText());
            byte[] channel = TestDevices.channel();
            try (var waiting = TestDevices.open(server, channel)) {
                DeviceList reused = TestDevices.withDevice(identity, TestDevices.listOf(dot, "lk_dot"), 2, new TestDeviceKey());
                assertEquals("bad_device_list", TestDevices.approve(dot, channel, reused).path("code").asText(),
                        "id 2 was used by a device since unlinked");
            }
            for (int id = 3; id <= 7; id++) {
                TestDevices.link(server, dot, id).close();
            }
            assertEquals(6, TestDevices.listOf(dot, "lk_dot").devices().size());
            byte[] seventh = TestDevices.channel();
            try (var waiting = TestDevices.open(server, seventh)) {
                DeviceList tooMany = TestDevices.withDevice(identity, TestDevices.listOf(dot, "lk_dot"), 8, new TestDeviceKey());
                JsonNode refused = TestDevices.approve(dot, seventh, tooMany);
                assertEquals("too_many_devices", refused.path("code").asText(), refused::toString);
            }
        }
    }

    @Test
    void peekAndOpenRefusals() {
        try (var eve = TestClient.registered(server, "lk_eve")) {
            assertEquals("unknown_link", eve.request(new LinkPeek(TestClient.nextId(), TestDevices.channel())).path("code").asText());
            JsonNode loggedInOpen = eve.request(new LinkOpen(TestClient.nextId(), TestDevices.channel(), TestDevices.request()));
            assertEquals("already_authenticated", loggedInOpen.path("code").asText(), "a new device opens a link before it logs in");
        }
        try (var anonymous = TestClient.connect(server)) {
            JsonNode peek = anonymous.request(new LinkPeek(TestClient.nextId(), TestDevices.channel()));
            assertEquals("not_authenticated", peek.path("code").asText());
        }
    }
}
