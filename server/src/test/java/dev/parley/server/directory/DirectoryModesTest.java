package dev.parley.server.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.DirectorySettings;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.DirectoryFrames.FindUsers;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.SessionFrames.GetServerLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both directory modes against real servers: a private directory never lists its accounts
 * (not in answers, not in pushes), finds accounts by exact name, limits look-ups per account by
 * names counted, and pushes presence, identity and device-list changes to the connections that
 * found an account; an open one still lists everyone and subscribes.
 */
class DirectoryModesTest {

    private static TestServer open;
    private static TestServer closed;
    private static TestServer limited;

    @BeforeAll
    static void start() {
        open = TestServer.start(DirectorySettings.defaults().withLookupsPerMinute(10_000));
        closed = TestServer.start(new DirectorySettings(DirectorySettings.Mode.PRIVATE, 10_000));
        limited = TestServer.start(new DirectorySettings(DirectorySettings.Mode.PRIVATE, 5));
    }

    @AfterAll
    static void stop() {
        open.close();
        closed.close();
        limited.close();
    }

    private static boolean is(JsonNode frame, String type) {
        return frame.path("type").asText().equals(type);
    }

    private static List<String> usernames(JsonNode publicKeys) {
        List<String> names = new ArrayList<>();
        publicKeys.path("users").forEach(user -> names.add(user.path("username").asText()));
        return names;
    }

    @Test
    void serverLimitsSayWhichMode() {
        try (var anyone = TestClient.connect(open); var someone = TestClient.connect(closed)) {
            assertEquals("open", anyone.request(new GetServerLimits(TestClient.nextId())).path("directory").asText());
            assertEquals("private", someone.request(new GetServerLimits(TestClient.nextId())).path("directory").asText());
        }
    }

    @Test
    void aPrivateDirectoryRefusesTheListAndFindsExactNamesOnly() {
        TestClient.registeredOffline(closed, "priv_bob");
        TestClient.registeredOffline(closed, "priv_bobby");
        try (var alice = TestClient.registered(closed, "priv_alice")) {
            JsonNode refused = alice.request(new GetPublicKeys(TestClient.nextId()));
            assertEquals("error", refused.path("type").asText(), refused::toString);
            assertEquals("directory_private", refused.path("code").asText());

            JsonNode found = alice.request(new FindUsers(TestClient.nextId(), List.of("priv_bob", "priv_nobody", "priv_bo", "priv_bob")));
            assertEquals("public_keys", found.path("type").asText(), found::toString);
            assertFalse(found.path("complete").asBoolean());
            assertEquals(List.of("priv_bob"), usernames(found), "absent and partial names are left out, each name once");
            assertTrue(found.path("users").get(0).path("identity").has("signingKey"));
        }
    }

    @Test
    void aPrivateDirectoryNeverPushesNewAccountsAndPushesOnlyWhatAConnectionFound() {
        TestIdentity carol = TestClient.registeredOffline(closed, "priv_carol");
        TestIdentity dave = TestClient.registeredOffline(closed, "priv_dave");
        try (var alice = TestClient.registered(closed, "priv_alice2")) {
            assertEquals(List.of("priv_carol"), usernames(alice.request(new FindUsers(TestClient.nextId(), List.of("priv_carol")))));
            TestClient.registered(closed, "priv_newcomer").close();
            try (var c = TestClient.loggedIn(closed, "priv_carol", carol); var d = TestClient.loggedIn(closed, "priv_dave", dave)) {
                JsonNode presence = alice.await(f -> is(f, "presence"));
                assertEquals("priv_carol", presence.path("username").asText());
                assertTrue(presence.path("online").asBoolean());
            }
            List<JsonNode> later = alice.drain(Duration.ofMillis(700));
            for (JsonNode frame : later) {
                assertFalse(frame.toString().contains("priv_newcomer"), "a new account is never pushed: " + frame);
                assertFalse(frame.toString().contains("priv_dave"), "an account not found is never pushed: " + frame);
            }
            assertTrue(later.stream().anyMatch(f -> is(f, "presence") && f.path("username").asText().equals("priv_carol")
                    && !f.path("online").asBoolean()), "carol going offline is pushed: " + later);
        }
    }

    @Test
    void aResetAndItsNewDeviceListArePushedToTheConnectionsThatFoundTheAccount() {
        var erin = TestClient.registered(closed, "priv_erin");
        String code = erin.recoveryCode();
        erin.close();
        try (var alice = TestClient.registered(closed, "priv_alice3"); var bystander = TestClient.registered(closed, "priv_bystander")) {
            alice.request(new FindUsers(TestClient.nextId(), List.of("priv_erin")));
            try (var device = TestClient.connect(closed)) {
                assertEquals("reset_done", device.reset("priv_erin", code, new TestIdentity()).path("type").asText());
            }
            JsonNode identity = alice.await(f -> is(f, "public_keys") && !f.path("complete").asBoolean());
            assertEquals(List.of("priv_erin"), usernames(identity));
            JsonNode devices = alice.await(f -> is(f, "devices_changed"));
            assertEquals("priv_erin", devices.path("username").asText());
            assertTrue(bystander.drain(Duration.ofMillis(500)).stream().noneMatch(f -> f.toString().contains("priv_erin")),
                    "a connection that did not find erin hears nothing of her");
        }
    }

    @Test
    void lookUpsAreLimitedPerAccountCountingNamesNotFrames() {
        TestClient.registeredOffline(limited, "lim_bob");
        TestIdentity identity;
        try (var alice = TestClient.registered(limited, "lim_alice")) {
            identity = alice.identity();
            List<String> six = IntStream.range(0, 6).mapToObj(i -> "lim_x" + i).toList();
            JsonNode tooMany = alice.request(new FindUsers(TestClient.nextId(), six));
            assertEquals("rate_limited", tooMany.path("code").asText(), "six names with five a minute: " + tooMany);
            assertEquals(List.of("lim_bob"), usernames(alice.request(new FindUsers(TestClient.nextId(),
                    List.of("lim_bob", "lim_a", "lim_b", "lim_c")))));
            JsonNode twoMore = alice.request(new FindUsers(TestClient.nextId(), List.of("lim_bob", "lim_d")));
            assertEquals("rate_limited", twoMore.path("code").asText(), "four of five used, two more refused: " + twoMore);
        }
        try (var again = TestClient.loggedIn(limited, "lim_alice", identity)) {
            assertEquals(List.of("lim_bob"), usernames(again.request(new FindUsers(TestClient.nextId(), List.of("lim_bob")))));
            JsonNode spent = again.request(new FindUsers(TestClient.nextId(), List.of("lim_bob")));
            assertEquals("rate_limited", spent.path("code").asText(), "the budget is the account's, not the connection's: " + spent);
        }
    }

    @Test
    void anOpenDirectoryListsEveryoneAndPushesNewAccountsToSubscribers() {
        TestClient.registeredOffline(open, "open_bob");
        try (var alice = TestClient.registered(open, "open_alice")) {
            JsonNode all = alice.request(new GetPublicKeys(TestClient.nextId()));
            assertTrue(all.path("complete").asBoolean());
            assertTrue(usernames(all).containsAll(List.of("open_alice", "open_bob")));
            assertEquals(List.of("open_bob"), usernames(alice.request(new FindUsers(TestClient.nextId(), List.of("open_bob", "open_zed")))));
            TestClient.registered(open, "open_newcomer").close();
            JsonNode push = alice.await(f -> is(f, "public_keys") && usernames(f).contains("open_newcomer"));
            assertFalse(push.path("complete").asBoolean());
        }
    }
}
