package dev.parley.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.storage.Database;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Look-alike usernames ({@link dev.parley.wire.UsernameSkeleton}) are refused at registration, on a real server. */
class ConfusableUsernameTest extends LiveServerTest {


    private static String register(String name) {
        try (var client = TestClient.connect(server)) {
            JsonNode reply = client.register(name);
            return reply.path("type").asText().equals("registered") ? "registered" : reply.path("code").asText();
        }
    }

    @Test
    void lookAlikesOfExistingUsernamesAreRefused() {
        assertEquals("registered", register("cf_alice"));
        assertEquals("username_confusable", register("cf_a1ice"));
        assertEquals("registered", register("cf_mallory"));
        assertEquals("username_confusable", register("cf_rnallory"));
        assertEquals("registered", register("cf_b0b"));
        assertEquals("username_confusable", register("cf_bob"));
        assertEquals("registered", register("cf_alicia"), "not a look-alike");
        assertEquals("username_taken", register("cf_alice"), "the same name stays username_taken");
    }

    @Test
    void twoSimultaneousLookAlikeRegistrationsCannotBothSucceed() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<String> names = List.of("cs_wa" + round, "cs_vva" + round);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<TestClient> clients = List.of(TestClient.connect(server), TestClient.connect(server));
                List<Future<JsonNode>> replies = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    TestClient client = clients.get(i);
                    String name = names.get(i);
                    replies.add(pool.submit(() -> client.register(name)));
                }
                List<String> outcomes = new ArrayList<>();
                for (Future<JsonNode> reply : replies) {
                    JsonNode frame = reply.get();
                    outcomes.add(frame.path("type").asText().equals("registered") ? "registered" : frame.path("code").asText());
                }
                clients.forEach(TestClient::close);
                assertEquals(1, outcomes.stream().filter("registered"::equals).count(), outcomes::toString);
                assertEquals(1, outcomes.stream().filter("username_confusable"::equals).count(), outcomes::toString);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void lookAlikePairsInAnOlderDatabaseDoNotBreakTheMigration() throws Exception {
        var old = TestServer.databaseAtSchema("3");
        String url = old.getUrl();
        try (var connection = old.getConnection(); var statement = connection.createStatement()) {
            for (String name : List.of("alice", "a1ice", "bob")) {
                statement.executeUpdate("INSERT INTO accounts (username, signing_key, dh_key, identity_binding, recovery_hash, "
                        + "created_at, identity_since) VALUES ('" + name + "', x'00', x'00', x'00', x'00', 1, 1)");
            }
        }
        try (Database migrated = Database.open(url, new SimpleMeterRegistry());
             var connection = old.getConnection(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT username, skeleton FROM accounts ORDER BY username")) {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1) + "=" + rows.getString(2));
            }
            assertEquals(List.of("a1ice=alice", "alice=alice", "bob=bob"), found);
        }
    }
}
