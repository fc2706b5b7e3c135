package dev.parley.server.cluster;

import static dev.parley.server.cluster.ClusterFrames.presence;
import static dev.parley.server.cluster.ClusterFrames.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDeviceKey;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DirectoryFrames.FindUsers;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What concerns sockets on several nodes behaves as on one node: one connection per device
 * (a login on one node replaces the device's socket on another), presence and directory pushes
 * to subscribers and watchers on every node, identity resets and unlinks closing devices
 * wherever they are, a link approved on one node sealed to the new device waiting on another,
 * and prekey stock warnings reaching the device's node.
 */
@ExtendWith(SharedNodes.class)
class CrossNodeSessionsTest {

    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(20);
    private static ClusterNodes nodes;

    @BeforeAll
    static void nodes(ClusterNodes shared) {
        nodes = shared;
    }

    @Test
    void aLoginOnOneNodeReplacesTheDevicesConnectionOnAnother() {
        TestIdentity bob = TestClient.registeredOffline(nodes.node(3), "xr_bob");
        try (var first = TestClient.loggedIn(nodes.node(1), "xr_bob", bob);
                var sender = TestClient.registered(nodes.node(3), "xr_sender")) {
            try (var second = TestClient.loggedIn(nodes.node(2), "xr_bob", bob)) {
                JsonNode replaced = first.awaitType("error");
                assertEquals("session_replaced", replaced.path("code").asText(), replaced::toString);
                assertNotNull(first.closeCode(CLOSED_WITHIN), "the replaced connection is closed");

                assertEquals("stored", sender.sendMessage("xr_bob", "r1", "cmVwbGFjZWQ").path("type").asText());
                receive(second, "r1");
                assertTrue(second.drain(Duration.ofMillis(300)).stream().noneMatch(f -> f.path("code").asText().equals("session_replaced")),
                        "the newer connection stays");
            }
        }
    }

    @Test
    void presenceAndNewAccountsReachSubscribersAndWatchersOnEveryNode() {
        TestIdentity pam = TestClient.registeredOffline(nodes.node(2), "xp_pam");
        try (var watcher = TestClient.registered(nodes.node(1), "xp_watcher");
                var subscriber = TestClient.registered(nodes.node(3), "xp_subscriber")) {
            JsonNode found = watcher.request(new FindUsers(TestClient.nextId(), List.of("xp_pam")));
            assertEquals(false, found.path("users").path(0).path("online").asBoolean(), found::toString);
            assertEquals("public_keys", subscriber.request(new GetPublicKeys(TestClient.nextId())).path("type").asText());

            try (var pamOnline = TestClient.loggedIn(nodes.node(2), "xp_pam", pam)) {
                watcher.await(presence("xp_pam", true));
                subscriber.await(presence("xp_pam", true));
                JsonNode list = subscriber.request(new GetPublicKeys(TestClient.nextId()));
                assertTrue(userOf(list, "xp_pam").path("online").asBoolean(), "the list says online too: " + list);
            }
            watcher.await(presence("xp_pam", false));
            subscriber.await(presence("xp_pam", false));

            // An account registered on another node: subscribers hear of it, and a send from
            // this node may name it at once (the node's usernames learned it).
            try (var newcomer = TestClient.registered(nodes.node(2), "xp_newcomer")) {
                JsonNode pushed = subscriber.await(f -> f.path("type").asText().equals("public_keys")
                        && userOf(f, "xp_newcomer") != null);
                assertNotNull(pushed);
                JsonNode stored = subscriber.sendMessage("xp_newcomer", "n1", "aGVsbG8");
                assertEquals("stored", stored.path("type").asText(), stored::toString);
                receive(newcomer, "n1");
            }
        }
    }

    @Test
    void anIdentityResetClosesTheAccountsDevicesOnEveryNode() {
        try (var rita = TestClient.registered(nodes.node(1), "xi_rita"); var watcher = TestClient.registered(nodes.node(3), "xi_watch")) {
            String code = rita.recoveryCode();
            watcher.request(new FindUsers(TestClient.nextId(), List.of("xi_rita")));
            try (var ritaTwo = TestDevices.link(nodes.node(3), rita, 2); var resetter = TestClient.connect(nodes.node(2))) {
                var fresh = new TestIdentity();
                assertEquals("reset_done", resetter.reset("xi_rita", code, fresh).path("type").asText());
                for (var old : List.of(rita, ritaTwo)) {
                    JsonNode told = old.await(f -> f.path("type").asText().equals("error")
                            && List.of("identity_reset", "session_replaced").contains(f.path("code").asText()));
                    assertNotNull(told);
                    assertNotNull(old.closeCode(CLOSED_WITHIN), "a device of the old identity is closed");
                }
                JsonNode identity = watcher.await(f -> f.path("type").asText().equals("public_keys") && userOf(f, "xi_rita") != null);
                assertArrayEquals(fresh.keys().signingKey(),
                        WireJson.fromBase64(userOf(identity, "xi_rita").path("identity").path("signingKey").asText()),
                        "a watcher on another node gets the new identity");
                assertEquals("stored", watcher.sendMessage("xi_rita", "i1", "bmV3").path("type").asText());
                receive(resetter, "i1");
            }
        }
    }

    @Test
    void anUnlinkClosesTheRemovedDeviceOnItsNodeAndEveryNodeHearsOfTheList() {
        try (var uma = TestClient.registered(nodes.node(1), "xu_uma"); var watcher = TestClient.registered(nodes.node(3), "xu_watch")) {
            watcher.request(new FindUsers(TestClient.nextId(), List.of("xu_uma")));
            try (var umaTwo = TestDevices.link(nodes.node(2), uma, 2)) {
                assertEquals(2, watcher.awaitType("devices_changed").path("version").asLong());
                DeviceList without = TestDevices.without(uma.identity(), TestDevices.listOf(uma, "xu_uma"), 2);
                assertEquals("devices_published", TestDevices.publish(uma, without).path("type").asText());
                JsonNode unlinked = umaTwo.awaitType("error");
                assertEquals("device_unlinked", unlinked.path("code").asText(), unlinked::toString);
                assertNotNull(umaTwo.closeCode(CLOSED_WITHIN));
                assertEquals(3, watcher.awaitType("devices_changed").path("version").asLong());
            }
        }
    }

    @Test
    void aLinkApprovedOnOneNodeIsSealedToTheNewDeviceWaitingOnAnother() {
        try (var lea = TestClient.registered(nodes.node(1), "xk_lea")) {
            byte[] channel = TestDevices.channel();
            var key = new TestDeviceKey();
            try (var waiting = TestDevices.open(nodes.node(3), channel)) {
                DeviceList list = TestDevices.withDevice(lea.identity(), TestDevices.listOf(lea, "xk_lea"), 2, key);
                JsonNode approved = TestDevices.approve(lea, channel, list);
                assertEquals("link_approved", approved.path("type").asText(), approved::toString);
                JsonNode sealed = waiting.awaitType("link_sealed");
                assertEquals(2, sealed.path("device").asInt());
                assertArrayEquals(channel, WireJson.fromBase64(sealed.path("channel").asText()));
            }
            try (var linked = TestClient.loggedInDevice(nodes.node(3), "xk_lea", lea.identity(), 2, key)) {
                assertEquals(List.of(1, 2), TestDevices.listOf(linked, "xk_lea").deviceIds());
            }
        }
    }

    @Test
    void aLowPrekeyStockIsReportedToTheDeviceOnItsNode() {
        try (var owner = TestClient.registered(nodes.node(2), "xq_owner"); var asker = TestClient.registered(nodes.node(1), "xq_asker")) {
            JsonNode stored = owner.request(ClusterFrames.upload(owner.identity(), 21, 10));
            assertEquals(21, stored.path("oneTimePreKeys").asInt(), stored::toString);
            for (int i = 0; i < 2; i++) {
                JsonNode bundle = asker.request(new GetPreKeyBundle(TestClient.nextId(), "xq_owner", 1));
                assertEquals("prekey_bundle", bundle.path("type").asText(), bundle::toString);
            }
            JsonNode low = owner.awaitType("prekeys_low");
            assertEquals(19, low.path("oneTimePreKeys").asInt(), low::toString);
            assertEquals(8, low.path("kemOneTimePreKeys").asInt(), low::toString);
        }
    }

    private static JsonNode userOf(JsonNode publicKeys, String username) {
        for (JsonNode user : publicKeys.path("users")) {
            if (user.path("username").asText().equals(username)) {
                return user;
            }
        }
        return null;
    }
}
