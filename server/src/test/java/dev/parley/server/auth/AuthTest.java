package dev.parley.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String code(JsonNode reply) {
        return reply.path("code").asText();
    }

    @Test
    void registersThenLogsInWithTheSameKeyOnANewConnection() {
        TestIdentity identity;
        try (var alice = TestClient.registered(server, "auth_alice")) {
            identity = alice.identity();
        }
        try (var again = TestClient.connect(server)) {
            again.identity(identity);
            JsonNode reply = again.login("auth_alice");
            assertEquals("logged_in", reply.path("type").asText(), reply::toString);
        }
    }

    @Test
    void loginSignedByAnotherKeyIsRefused() {
        TestClient.registered(server, "auth_bob").close();
        try (var mallory = TestClient.connect(server)) {
            JsonNode reply = mallory.login("auth_bob");
            assertEquals("bad_signature", code(reply), reply::toString);
            // The connection stays usable: the next attempt gets a fresh challenge.
            assertEquals("unknown_user", code(mallory.login("nobody_here")));
        }
    }

    @Test
    void aReplayedLoginSignatureIsRefused() {
        TestIdentity identity;
        ObjectNode captured;
        try (var carol = TestClient.registered(server, "auth_carol")) {
            identity = carol.identity();
        }
        TestClient.registered(server, "auth_carol_b").close();
        try (var first = TestClient.connect(server)) {
            first.identity(identity);
            captured = first.authFrame("login", "auth_carol", identity);
            assertEquals("logged_in", first.request(captured.deepCopy()).path("type").asText());
        }
        // The same signed frame on a new connection: its challenge differs.
        try (var replayer = TestClient.connect(server)) {
            JsonNode reply = replayer.request(captured.deepCopy().put("id", TestClient.nextId()));
            assertEquals("bad_signature", code(reply), reply::toString);
        }
        // And on the same connection twice: the challenge is single-use.
        try (var twice = TestClient.connect(server)) {
            twice.identity(identity);
            ObjectNode frame = twice.authFrame("login", "auth_carol", identity);
            JsonNode wrongName = twice.request(frame.deepCopy().put("username", "auth_carol_b"));
            assertEquals("bad_signature", code(wrongName));
            JsonNode replay = twice.request(frame.deepCopy().put("id", TestClient.nextId()));
            assertEquals("bad_signature", code(replay), "a consumed challenge must not verify again");
        }
    }

    @Test
    void aSignatureForAnotherOriginOrTimeIsRefused() {
        TestIdentity identity;
        try (var dave = TestClient.registered(server, "auth_dave")) {
            identity = dave.identity();
        }
        try (var client = TestClient.connect(server)) {
            client.identity(identity);
            ObjectNode foreign = client.authFrame("login", "auth_dave", identity).put("origin", "http://evil.example");
            assertEquals("bad_origin", code(client.request(foreign)));
            ObjectNode stale = client.authFrame("login", "auth_dave", identity)
                    .put("timestamp", System.currentTimeMillis() - Duration.ofHours(1).toMillis());
            assertEquals("stale_timestamp", code(client.request(stale)));
        }
    }

    @Test
    void aCrossOriginUpgradeIsRefused() {
        var failure = assertThrows(CompletionException.class,
                () -> TestClient.connect(server.wsUrl(), "http://evil.example"));
        Throwable cause = failure;
        StringBuilder chain = new StringBuilder();
        while (cause != null) {
            chain.append(cause.getMessage()).append(" / ");
            cause = cause.getCause();
        }
        assertTrue(chain.toString().contains("403"), chain::toString);
        // A non-browser client without Origin is allowed (it signs the origin it targets).
        var plain = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.wsUrl()), new java.net.http.WebSocket.Listener() { }).join();
        plain.abort();
    }

    @Test
    void aUsernameTakenByAnotherKeyIsRefusedButTheSameKeyMayRetry() {
        TestIdentity identity;
        try (var erin = TestClient.registered(server, "auth_erin")) {
            identity = erin.identity();
        }
        try (var squatter = TestClient.connect(server)) {
            assertEquals("username_taken", code(squatter.register("auth_erin")));
        }
        try (var retry = TestClient.connect(server)) {
            retry.identity(identity);
            assertEquals("registered", retry.register("auth_erin").path("type").asText());
        }
    }

    @Test
    void invalidUsernamesAreRefused() {
        try (var client = TestClient.connect(server)) {
            for (String name : new String[] {"ab", "Upper", "with space", "x".repeat(33), "emoji_\u263A"}) {
                assertEquals("invalid_username", code(client.register(name)), name);
            }
        }
    }

    @Test
    void aForgedIdentityBindingIsRefused() {
        try (var client = TestClient.connect(server)) {
            ObjectNode frame = client.authFrame("register", "auth_forged", client.identity());
            ObjectNode identity = TestClient.identityJson(client.identity());
            identity.put("dhKey", TestClient.b64(new TestIdentity().dhPublic()));
            frame.set("identity", identity);
            frame.put("recoveryHash", TestClient.b64(new byte[32]));
            assertEquals("bad_signature", code(client.request(frame)));
        }
    }

    @Test
    void resetWithTheRecoveryCodeRebindsTheUsernameAndDropsTheOldQueue() {
        var frank = TestClient.registered(server, "auth_frank");
        String code = frank.recoveryCode();
        TestIdentity oldIdentity = frank.identity();
        frank.close();
        try (var sender = TestClient.registered(server, "auth_grace")) {
            assertEquals("stored", sender.sendMessage("auth_frank", "m-before-reset", "AAAA").path("type").asText());
            JsonNode directoryBefore = sender.request(TestClient.JSON.createObjectNode().put("type", "get_public_keys"));

            try (var wrong = TestClient.connect(server)) {
                assertEquals("bad_recovery_code", code(wrong.reset("auth_frank", "not-the-code", new TestIdentity())));
            }
            var fresh = new TestIdentity();
            try (var device = TestClient.connect(server)) {
                JsonNode reply = device.reset("auth_frank", code, fresh);
                assertEquals("reset_done", reply.path("type").asText(), reply::toString);
                // The old identity's queue is gone: nothing is replayed to the new identity.
                assertTrue(device.drain(Duration.ofMillis(500)).stream()
                        .noneMatch(f -> f.path("type").asText().equals("relay_message")));
            }
            // Subscribers are told, and a fresh directory fetch shows the new identity.
            JsonNode push = sender.await(f -> f.path("type").asText().equals("public_keys")
                    && !f.path("complete").asBoolean() && f.path("users").get(0).path("username").asText().equals("auth_frank"));
            assertEquals(TestClient.b64(fresh.signingPublic()), push.path("users").get(0).path("identity").path("signingKey").asText());
            JsonNode directoryAfter = sender.request(TestClient.JSON.createObjectNode().put("type", "get_public_keys"));
            assertNotEquals(signingKeyOf(directoryBefore, "auth_frank"), signingKeyOf(directoryAfter, "auth_frank"));
            assertEquals(TestClient.b64(fresh.signingPublic()), signingKeyOf(directoryAfter, "auth_frank"));
        }
        try (var old = TestClient.connect(server)) {
            old.identity(oldIdentity);
            assertEquals("bad_signature", code(old.login("auth_frank")), "the old identity no longer logs in");
        }
    }

    private static String signingKeyOf(JsonNode directory, String username) {
        for (JsonNode user : directory.path("users")) {
            if (user.path("username").asText().equals(username)) {
                return user.path("identity").path("signingKey").asText();
            }
        }
        throw new AssertionError(username + " not in directory " + directory);
    }
}
