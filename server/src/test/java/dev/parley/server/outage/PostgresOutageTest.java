package dev.parley.server.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.PostgresProcess;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a running server: a send is answered {@code unavailable} (never
 * {@code stored}: nothing was stored), a login and a bundle fetch are answered
 * {@code unavailable} within the pool's connection timeout (not {@code internal_error}, not a
 * hang); once PostgreSQL is back, the same send is stored and delivered, and logins work again.
 */
class PostgresOutageTest {

    /** Generous: the pool waits 3 s for a connection, and the machine is shared. */
    private static final Duration ANSWER = Duration.ofSeconds(60);

    @Test
    void sendsAndReadsAreUnavailableWhileTheDatabaseIsDownAndResumeAfter() throws Exception {
        try (var postgres = PostgresProcess.start();
             var database = PostgresDatabases.fresh(postgres.url());
             var server = TestServer.onDatabase(database.url());
             var bob = TestClient.registered(server, "out_bob");
             var alice = TestClient.registered(server, "out_alice")) {
            TestIdentity carol = TestClient.registeredOffline(server, "out_carol");
            assertEquals("stored", alice.sendMessage("out_bob", "before", "ZW52MQ").path("type").asText());
            bob.ack(bob.awaitType("relay_message"));

            postgres.stop();

            alice.send(new SendMessage("during", "out_bob", null, List.of(new DeviceEnvelope(1, "ZW52Mg")), null));
            JsonNode refused = answerTo(alice, "during");
            assertEquals("error", refused.path("type").asText(), refused::toString);
            assertEquals("unavailable", refused.path("code").asText(), refused::toString);

            alice.send(new GetPreKeyBundle("bundle", "out_bob", 1));
            assertEquals("unavailable", answerTo(alice, "bundle").path("code").asText());

            try (var carolAgain = TestClient.connect(server)) {
                carolAgain.identity(carol);
                var login = carolAgain.signedDeviceLogin("out_carol", 1, carol.firstDevice(), server.origin(),
                        System.currentTimeMillis());
                carolAgain.send(login);
                JsonNode answer = answerTo(carolAgain, login.id());
                assertEquals("unavailable", answer.path("code").asText(), answer::toString);
            }

            postgres.startAgain();
            assertEquals(0, rows(database.url(), "during"), "the refused send stored nothing");

            // The client's outbox sends the same message again, under the same id, until it is stored.
            JsonNode stored = null;
            long deadline = System.nanoTime() + ANSWER.toNanos();
            while (stored == null || !"stored".equals(stored.path("type").asText())) {
                assertTrue(System.nanoTime() < deadline, "stored after the database came back; last answer: " + stored);
                alice.send(new SendMessage("during", "out_bob", null, List.of(new DeviceEnvelope(1, "ZW52Mg")), null));
                stored = answerTo(alice, "during");
                if (!"stored".equals(stored.path("type").asText())) {
                    assertEquals("unavailable", stored.path("code").asText(), stored::toString);
                    Thread.sleep(500);
                }
            }
            JsonNode relay = bob.await(frame -> "relay_message".equals(frame.path("type").asText()));
            assertEquals("during", relay.path("id").asText());
            assertEquals("ZW52Mg", relay.path("envelope").asText());
            assertEquals(1, rows(database.url(), "during"));
            try (var carolBack = TestClient.loggedIn(server, "out_carol", carol)) {
                assertEquals("out_carol", carolBack.username());
            }
        }
    }

    /** The first frame answering request {@code id}, waiting up to {@link #ANSWER}. */
    private static JsonNode answerTo(TestClient client, String id) {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (true) {
            JsonNode frame = client.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (id.equals(frame.path("re").asText(null))) {
                return frame;
            }
        }
    }

    private static long rows(String url, String messageId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             var select = connection.prepareStatement("SELECT COUNT(*) FROM messages WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
