package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * V7: copies queued before it keep saying where they came from. A copy with a body was stored
 * by a send_multi and is relayed with {@code multi}; a fan-out copy whose own content starts
 * with 0x04 ({@code "B"} in base64url) is not.
 */
class MultiCopyMigrationTest {

    @Test
    void copiesWithABodyAreMultiAfterTheUpgradeFanOutsAreNot() throws Exception {
        var v6 = TestServer.databaseAtSchema("6");
        try (var connection = v6.getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO message_bodies (id, sender, content, stored_chars) VALUES (7, 's', 'BAAA', 4)");
            statement.executeUpdate("INSERT INTO messages (recipient, recipient_device, sender, sender_device, message_id, "
                    + "envelope, content, body_id, stored_chars, server_time, expires_at) VALUES "
                    + "('jo', 1, 's', 1, 'group', NULL, NULL, 7, 0, 1, " + Long.MAX_VALUE + "), "
                    + "('jo', 1, 's', 1, 'fanout', 'ZW52', 'BAAA', NULL, 8, 2, " + Long.MAX_VALUE + ")");
        }
        try (Database migrated = Database.open(v6.getUrl(), new SimpleMeterRegistry())) {
            List<StoredMessage> pending = migrated.messages().pending("jo", 1, 0, 10, 0L);
            assertEquals(List.of("group", "fanout"), pending.stream().map(StoredMessage::messageId).toList());
            assertEquals(List.of(true, false), pending.stream().map(StoredMessage::multi).toList());
            assertEquals(List.of("BAAA", "BAAA"), pending.stream().map(StoredMessage::content).toList());
        }
    }
}
