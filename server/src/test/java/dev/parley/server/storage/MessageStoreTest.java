package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessageStoreTest {

    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Database database;
    MessageStore messages;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:sqlite:" + TestServer.newDatabaseFile(), metrics);
        messages = database.messages();
    }

    @AfterEach
    void close() {
        database.close();
    }

    private AppendResult append(String recipient, String id, long expiresAt) {
        return messages.append(recipient, "sender", id, "ZW52", 1_000, expiresAt, 100).join();
    }

    @Test
    void concurrentAppendsShareCommitsAndKeepTheirOrder() {
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            futures.add(messages.append("bob", "alice", "m" + i, "ZW52", 1_000, Long.MAX_VALUE, 10_000));
        }
        long previous = 0;
        for (CompletableFuture<AppendResult> future : futures) {
            var stored = assertInstanceOf(AppendResult.Stored.class, future.join());
            assertTrue(stored.message().seq() > previous, "seq follows submission order");
            previous = stored.message().seq();
        }
        var batches = metrics.get("parley_db_write_batch_size").summary();
        assertTrue(batches.count() < 2_000, "2000 writes took " + batches.count() + " commits: group commit works");
        assertEquals(2_000, (long) batches.totalAmount());
        assertEquals(2_000, messages.pending("bob", 0, 5_000).size());
    }

    /**
     * The queue counts live in memory beside the table (QueueCounts): a batch that is rolled
     * back and run again must not count its messages twice, nor keep counts of writes undone.
     */
    @Test
    void queueCountsStayExactWhenABatchIsRolledBackAndRunAgain() throws Exception {
        var limits = new QueueLimits(1_000, 40, Long.MAX_VALUE);
        var writerBusy = new java.util.concurrent.CountDownLatch(1);
        database.writes().submit(connection -> {
            try {
                writerBusy.await(); // everything below queues up behind this and runs as one batch
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            appends.add(messages.append("ivy", "sam", "a" + i, "ZW52", 1_000, Long.MAX_VALUE, limits));
        }
        CompletableFuture<Object> failing = database.writes().submit(connection -> {
            throw new java.sql.SQLException("a write that fails: the batch is rolled back and run again");
        });
        for (int i = 30; i < 60; i++) {
            appends.add(messages.append("ivy", "sam", "a" + i, "ZW52", 1_000, Long.MAX_VALUE, limits));
        }
        writerBusy.countDown();
        assertTrue(failing.handle((ok, e) -> e != null).join(), "the failing write fails alone");
        long stored = appends.stream().map(CompletableFuture::join).filter(AppendResult.Stored.class::isInstance).count();
        long refused = appends.stream().map(CompletableFuture::join).filter(AppendResult.QueueShareFull.class::isInstance).count();
        assertEquals(40, stored, "exactly the share is stored");
        assertEquals(20, refused);
        assertEquals(40, messages.pending("ivy", 0, 100).size());
        for (int i = 0; i < 40; i++) {
            assertTrue(messages.acknowledge("ivy", "sam", "a" + i).join());
        }
        assertInstanceOf(AppendResult.Stored.class,
                messages.append("ivy", "sam", "after", "ZW52", 1_000, Long.MAX_VALUE, limits).join(),
                "acks free the share again");
    }

    @Test
    void acknowledgedMessagesAreErasedButTheirIdStillDeduplicates() {
        assertInstanceOf(AppendResult.Stored.class, append("carol", "x", Long.MAX_VALUE));
        assertTrue(messages.acknowledge("carol", "sender", "x").join());
        assertFalse(messages.acknowledge("carol", "sender", "x").join(), "second ack finds nothing pending");
        assertTrue(messages.pending("carol", 0, 10).isEmpty());
        assertInstanceOf(AppendResult.Duplicate.class, append("carol", "x", Long.MAX_VALUE));
    }

    @Test
    void aDeferredAcknowledgementCommitsAloneWhenNothingElseIsWritten() {
        append("gina", "only", Long.MAX_VALUE);
        assertTrue(messages.acknowledge("gina", "sender", "only").orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join(),
                "committed within the deferral delay though no other write came");
        assertTrue(messages.pending("gina", 0, 10).isEmpty());
    }

    @Test
    void flushWaitsForDeferredAcknowledgements() {
        append("hank", "m", Long.MAX_VALUE);
        messages.acknowledge("hank", "sender", "m");
        messages.flush().join();
        assertTrue(messages.pending("hank", 0, 10).isEmpty(), "the erasure is visible once flush completes");
    }

    @Test
    void theQueueCapCountsOnlyUndeliveredMessages() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(AppendResult.Stored.class,
                    messages.append("dave", "s", "c" + i, "ZW52", 1, Long.MAX_VALUE, 3).join());
        }
        assertInstanceOf(AppendResult.QueueFull.class, messages.append("dave", "s", "c3", "ZW52", 1, Long.MAX_VALUE, 3).join());
        assertInstanceOf(AppendResult.Duplicate.class, messages.append("dave", "s", "c0", "ZW52", 1, Long.MAX_VALUE, 3).join(),
                "a resend of a stored message is a duplicate even when the queue is full");
        messages.acknowledge("dave", "s", "c0").join();
        assertInstanceOf(AppendResult.Stored.class, messages.append("dave", "s", "c3", "ZW52", 1, Long.MAX_VALUE, 3).join());
    }

    @Test
    void expiredMessagesAndTombstonesArePurged() {
        append("erin", "old", 5_000);
        append("erin", "new", 50_000);
        assertEquals(1, messages.purgeExpired(10_000).join());
        List<StoredMessage> left = messages.pending("erin", 0, 10);
        assertEquals(List.of("new"), left.stream().map(StoredMessage::messageId).toList());
    }

    @Test
    void expiredUndeliveredMessagesNoLongerCountTowardsTheCap() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(AppendResult.Stored.class, messages.append("ivy", "s", "e" + i, "ZW52", 1, 5_000, 3).join());
        }
        assertInstanceOf(AppendResult.QueueFull.class, messages.append("ivy", "s", "late", "ZW52", 1, Long.MAX_VALUE, 3).join());
        assertEquals(3, messages.purgeExpired(6_000).join());
        assertInstanceOf(AppendResult.Stored.class, messages.append("ivy", "s", "late", "ZW52", 1, Long.MAX_VALUE, 3).join());
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
            MessageStore store = migrated.messages();
            assertInstanceOf(AppendResult.QueueFull.class, store.append("jo", "s", "new", "ZW52", 1, Long.MAX_VALUE, 3).join(),
                    "the three messages queued before the upgrade count");
            assertTrue(store.acknowledge("jo", "s", "old0").join());
            assertInstanceOf(AppendResult.Stored.class, store.append("jo", "s", "new", "ZW52", 1, Long.MAX_VALUE, 3).join());
        }
    }

    @Test
    void aFailingWriteFailsAloneInItsBatch() {
        var accounts = database.accounts();
        var identity = new IdentityKeys(new byte[32], new byte[32], new byte[64]);
        List<CompletableFuture<Void>> creates = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            creates.add(accounts.create(new Account(i % 2 == 0 ? "same" : "user" + i, identity, new byte[32], 1, 1)));
        }
        long failed = creates.stream().filter(f -> {
            try {
                f.join();
                return false;
            } catch (RuntimeException e) {
                assertInstanceOf(UsernameTakenException.class, e.getCause());
                return true;
            }
        }).count();
        assertEquals(24, failed, "25 creates of 'same': one wins, 24 fail; the 25 others all commit");
        assertEquals(26, accounts.all().size());
    }
}
