package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** SQLite only: a database of the first schema keeps its queued messages' counts through every migration. */
class QueueLengthMigrationTest {

    SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private static QueueLimits limits(int queueCap) {
        return QueueLimits.capOnly(queueCap);
    }

    private static OutgoingMessage copy(String recipient, String sender, String id, long serverTime, long expiresAt) {
        return MessageStoreTest.copy(recipient, sender, id, serverTime, expiresAt);
    }

    private static void account(AccountStore accounts, String name) {
        MessageStoreTest.account(accounts, name);
    }

    @Test
    void queueLengthsAreCarriedOverFromADatabaseOfTheFirstSchema() throws Exception {
        var v1 = TestServer.databaseAtSchema("1");
        String url = v1.getUrl();
        try (var connection = v1.getConnection(); var statement = connection.createStatement()) {
            for (int i = 0; i < 3; i++) {
                statement.executeUpdate("INSERT INTO messages (recipient, sender, message_id, envelope, server_time, expires_at) "
                        + "VALUES ('jo', 's', 'old" + i + "', 'ZW52', 1, " + Long.MAX_VALUE + ")");
            }
        }
        try (Database migrated = Database.open(url, metrics)) {
            account(migrated.accounts(), "jo");
            MessageStore store = migrated.messages();
            assertInstanceOf(AppendResult.QueueFull.class, store.append(copy("jo", "s", "new", 1, Long.MAX_VALUE), limits(3)).join(),
                    "the three messages queued before the upgrade count");
            assertTrue(store.acknowledge("jo", 1, "s", "old0").join());
            assertInstanceOf(AppendResult.Stored.class, store.append(copy("jo", "s", "new", 1, Long.MAX_VALUE), limits(3)).join());
        }
    }

}
