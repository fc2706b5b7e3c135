package dev.parley.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.AuthFrames.Login;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;

class AuthTest extends LiveServerTest {


    private static String code(JsonNode reply) {
        return reply.path("code").asText();
    }

    @Test
    void registersThenLogsInWithTheSameKeyOnANewConnection() {
        TestIdentity identity = TestClient.registeredOffline(server, "auth_alice");
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
        Login captured;
        TestIdentity identity = TestClient.registeredOffline(server, "auth_carol");
        TestClient.registered(server, "auth_carol_b").close();
        try (var first = TestClient.connect(server)) {
            first.identity(identity);
            captured = first.signedLogin("auth_carol", identity);
            assertEquals("logged_in", first.request(captured).path("type").asText());
        }
        // The same signed frame on a new connection: its challenge differs.
        try (var replayer = TestClient.connect(server)) {
            JsonNode reply = replayer.request(withId(captured, TestClient.nextId()));
            assertEquals("bad_signature", code(reply), reply::toString);
        }
        // And on the same connection twice: the challenge is single-use.
        try (var twice = TestClient.connect(server)) {
            twice.identity(identity);
            Login frame = twice.signedLogin("auth_carol", identity);
            JsonNode wrongName = twice.request(new Login(frame.id(), "auth_carol_b", frame.device(), frame.origin(),
                    frame.timestamp(), frame.signature()));
            assertEquals("bad_signature", code(wrongName));
            JsonNode replay = twice.request(withId(frame, TestClient.nextId()));
            assertEquals("bad_signature", code(replay), "a consumed challenge must not verify again");
        }
    }

    @Test
    void aSignatureForAnotherOriginOrTimeIsRefused() {
        TestIdentity identity = TestClient.registeredOffline(server, "auth_dave");
        try (var client = TestClient.connect(server)) {
            client.identity(identity);
            Login foreign = client.signedLogin("auth_dave", identity, "http://evil.example", System.currentTimeMillis());
            assertEquals("bad_origin", code(client.request(foreign)));
            Login stale = client.signedLogin("auth_dave", identity, server.origin(),
                    System.currentTimeMillis() - Duration.ofHours(1).toMillis());
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
        TestIdentity identity = TestClient.registeredOffline(server, "auth_erin");
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
            IdentityKeys real = client.identity().keys();
            var forged = new IdentityKeys(real.signingKey(), new TestIdentity().dhPublic(), real.binding());
            assertEquals("bad_signature", code(client.request(client.signedRegister("auth_forged", forged, new byte[32]))));
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
            JsonNode directoryBefore = sender.request(new GetPublicKeys(TestClient.nextId()));

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
            JsonNode directoryAfter = sender.request(new GetPublicKeys(TestClient.nextId()));
            assertNotEquals(signingKeyOf(directoryBefore, "auth_frank"), signingKeyOf(directoryAfter, "auth_frank"));
            assertEquals(TestClient.b64(fresh.signingPublic()), signingKeyOf(directoryAfter, "auth_frank"));
        }
        try (var old = TestClient.connect(server)) {
            old.identity(oldIdentity);
            assertEquals("bad_signature", code(old.login("auth_frank")), "the old identity no longer logs in");
        }
    }

    private static Login withId(Login login, String id) {
        return new Login(id, login.username(), login.device(), login.origin(), login.timestamp(), login.signature());
    }

    /** A typed code is accepted as the user may type it: lower case, with spaces instead of dashes. */
    @Test
    void resetAcceptsTheRecoveryCodeAsTyped() {
        String code;
        try (var henry = TestClient.registered(server, "auth_henry")) {
            code = henry.recoveryCode();
        }
        String typed = " " + code.toLowerCase(java.util.Locale.ROOT).replace('-', ' ') + " ";
        try (var device = TestClient.connect(server)) {
            JsonNode reply = device.reset("auth_henry", typed, new TestIdentity());
            assertEquals("reset_done", reply.path("type").asText(), reply::toString);
        }
        try (var again = TestClient.registered(server, "auth_ivy")) {
            String dashedLower = again.recoveryCode().toLowerCase(java.util.Locale.ROOT);
            again.close();
            try (var device = TestClient.connect(server)) {
                assertEquals("reset_done", device.reset("auth_ivy", dashedLower, new TestIdentity()).path("type").asText());
            }
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
