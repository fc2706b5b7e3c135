package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestDatabase;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code send_multi} body is stored once, whatever the number of copies, counts once against
 * the sender's quota, and is deleted in the transaction that erases or deletes its last pending
 * copy: the last ack, or expiry.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class MultiBodyStoreTest {

    private static final List<String> RECIPIENTS = List.of("bob", "ivy", "carol");
    private static final String CONTENT = "BA" + "x".repeat(998);

    @Parameter
    Engine engine;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    TestDatabase opened;
    Database database;
    MessageStore messages;

    @BeforeEach
    void open() {
        opened = TestDatabase.open(engine, metrics);
        database = opened.database();
        messages = database.messages();
        for (String recipient : RECIPIENTS) {
            MessageStoreTest.account(database.accounts(), recipient);
        }
    }

    @AfterEach
    void close() {
        opened.close();
    }

    /** From device 1 of {@code sender} to device 1 of each of {@code recipients}, the content alone. */
    private static OutgoingMulti multi(String sender, String id, long expiresAt, List<String> recipients) {
        return new OutgoingMulti(sender, 1, id, CONTENT,
                recipients.stream().map(to -> new MultiRecipient(to, List.of(new MultiDevice(1, null)))).toList(), 1_000, expiresAt);
    }

    private long bodies() throws SQLException {
        try (Connection connection = DriverManager.getConnection(opened.url());
             ResultSet row = connection.createStatement().executeQuery("SELECT COUNT(*) FROM message_bodies")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void theBodyIsStoredOnceAndLeavesWithTheLastAck() throws Exception {
        var stored = assertInstanceOf(MultiAppendResult.Stored.class,
                messages.appendMulti(multi("alice", "g1", Long.MAX_VALUE, RECIPIENTS), QueueLimits.capOnly(10)).join());
        assertEquals(3, stored.copies().size());
        assertEquals(1, bodies(), "one body for three copies");
        for (String recipient : RECIPIENTS) {
            StoredMessage copy = messages.pending(recipient, 1, 0, 10, 0L).getFirst();
            assertEquals(CONTENT, copy.content());
            assertNull(copy.envelope());
        }
        assertTrue(messages.acknowledge("bob", 1, "alice", "g1").join());
        assertTrue(messages.acknowledge("ivy", 1, "alice", "g1").join());
        assertEquals(1, bodies(), "carol's copy still needs the body");
        assertEquals(CONTENT, messages.pending("carol", 1, 0, 10, 0L).getFirst().content());
        assertTrue(messages.acknowledge("carol", 1, "alice", "g1").join());
        assertFalse(messages.acknowledge("carol", 1, "alice", "g1").join(), "a second ack finds nothing");
        assertEquals(0, bodies(), "gone with the last copy");
        var again = assertInstanceOf(MultiAppendResult.Stored.class,
                messages.appendMulti(multi("alice", "g1", Long.MAX_VALUE, RECIPIENTS), QueueLimits.capOnly(10)).join());
        assertTrue(again.duplicate(), "the tombstones still deduplicate");
        assertEquals(0, bodies(), "a resend that stores nothing keeps no body");
    }

    @Test
    void expiryDeletesTheBodyWithItsCopies() throws Exception {
        messages.appendMulti(multi("alice", "old", 5_000, RECIPIENTS), QueueLimits.capOnly(10)).join();
        messages.appendMulti(multi("alice", "new", 50_000, List.of("bob")), QueueLimits.capOnly(10)).join();
        assertEquals(2, bodies());
        assertEquals(3, messages.purgeExpired(10_000).join());
        assertEquals(1, bodies());
        assertEquals(List.of("new"), messages.pending("bob", 1, 0, 10, 0L).stream().map(StoredMessage::messageId).toList());
    }

    @Test
    void theQuotaCountsTheBodyOnceAndIsFreedWithIt() {
        var quota = new QueueLimits(100, 100, 2 * CONTENT.length() + 10);
        assertInstanceOf(MultiAppendResult.Stored.class,
                messages.appendMulti(multi("sam", "q1", Long.MAX_VALUE, RECIPIENTS), quota).join(), "three copies, one body");
        assertInstanceOf(MultiAppendResult.Stored.class,
                messages.appendMulti(multi("sam", "q2", Long.MAX_VALUE, RECIPIENTS), quota).join());
        assertInstanceOf(MultiAppendResult.QuotaExceeded.class,
                messages.appendMulti(multi("sam", "q3", Long.MAX_VALUE, RECIPIENTS), quota).join(), "a third body is over");
        assertInstanceOf(MultiAppendResult.Stored.class,
                messages.appendMulti(multi("sam", "q1", Long.MAX_VALUE, RECIPIENTS), quota).join(),
                "a resend of a stored send is not refused for its own copies");
        for (String recipient : RECIPIENTS) {
            messages.acknowledge(recipient, 1, "sam", "q1").join();
        }
        assertInstanceOf(MultiAppendResult.Stored.class,
                messages.appendMulti(multi("sam", "q3", Long.MAX_VALUE, RECIPIENTS), quota).join(), "the acks freed one body");
    }

    @Test
    void aFullQueueRefusesItsRecipientAloneAndUnlistedDevicesAreMismatched() {
        messages.append(MessageStoreTest.copy("ivy", "sam", "first", 1, Long.MAX_VALUE), QueueLimits.capOnly(1)).join();
        var wrongDevice = new MultiRecipient("carol", List.of(new MultiDevice(2, "AAAA")));
        var message = new OutgoingMulti("sam", 1, "g2", CONTENT, List.of(new MultiRecipient("bob", List.of(new MultiDevice(1, null))),
                new MultiRecipient("ivy", List.of(new MultiDevice(1, null))), wrongDevice), 1, Long.MAX_VALUE);
        var stored = assertInstanceOf(MultiAppendResult.Stored.class, messages.appendMulti(message, QueueLimits.capOnly(1)).join());
        assertEquals(List.of("bob"), stored.copies().stream().map(StoredMessage::recipient).toList());
        assertEquals(List.of(ErrorCode.QUEUE_FULL, ErrorCode.MISMATCHED_DEVICES),
                stored.refused().stream().map(r -> r.code()).toList());
        assertEquals(List.of(1), stored.refused().get(1).missing());
        assertEquals(List.of(2), stored.refused().get(1).extra());
        assertFalse(stored.duplicate());
    }
}
