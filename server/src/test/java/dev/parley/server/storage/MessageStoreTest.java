package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestDatabase;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Engine.class)
class MessageStoreTest {

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
            account(database.accounts(), recipient);
        }
    }

    /** The recipients of these tests: accounts whose device list names device 1 alone. */
    private static final List<String> RECIPIENTS = List.of("bob", "ivy", "carol", "gina", "hank", "dave", "erin", "fred");

    /** Creates {@code name} with a list of device 1 (the store checks routing, not signatures). */
    static void account(AccountStore accounts, String name) {
        var list = new DeviceList(1, 1, List.of(new DeviceEntry(1, new byte[32], 1)), new byte[64]);
        accounts.create(new Account(name, new IdentityKeys(new byte[32], new byte[32], new byte[64]), new byte[32], 1, 1), list)
                .join();
    }

    /** A message for device 1 of {@code recipient}, from device 1 of {@code sender}. */
    static OutgoingMessage copy(String recipient, String sender, String id, long serverTime, long expiresAt) {
        return new OutgoingMessage(recipient, sender, 1, id, null, List.of(new DeviceEnvelope(1, "ZW52")), serverTime, expiresAt);
    }

    private static QueueLimits limits(int queueCap) {
        return QueueLimits.capOnly(queueCap);
    }

    private static QueueLimits limits(QueueLimits limits) {
        return limits;
    }

    @AfterEach
    void close() {
        opened.close();
    }

    private AppendResult append(String recipient, String id, long expiresAt) {
        return messages.append(copy(recipient, "sender", id, 1_000, expiresAt), limits(100)).join();
    }

    /**
     * A send checks the recipient's device list as its own transaction sees it, also when the
     * list was written earlier in the same batch: on PostgreSQL the batch reads its recipients'
     * lists before any of its writes run (with the queue counts), and a registration or a new
     * list in the batch must replace what was read. Sends made right after each registration,
     * without waiting, share batches with it.
     */
    @Test
    void aSendSeesADeviceListWrittenEarlierInItsBatch() {
        var identity = new IdentityKeys(new byte[32], new byte[32], new byte[64]);
        var list = new DeviceList(1, 1, List.of(new DeviceEntry(1, new byte[32], 1)), new byte[64]);
        List<CompletableFuture<AppendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = "late" + i;
            database.accounts().create(new Account(name, identity, new byte[32], 1, 1), list);
            sends.add(messages.append(copy(name, "alice", "hello", 1_000, Long.MAX_VALUE), limits(100)));
        }
        for (CompletableFuture<AppendResult> send : sends) {
            assertInstanceOf(AppendResult.Stored.class, send.join());
        }
    }

    /** The copy {@code id} that {@code sender} stores for bob's device 1. */
    private StoredMessage storedForBob(String sender, String id) {
        var stored = assertInstanceOf(AppendResult.Stored.class,
                messages.append(copy("bob", sender, id, 1_000, Long.MAX_VALUE), limits(100)).join());
        return stored.copies().getFirst();
    }

    /**
     * On PostgreSQL each stored copy carries the highest seq its device had pending before it (what
     * lets a cluster node's mailbox relay it without reading the queue back); acknowledged copies
     * no longer count. SQLite's single writer notifies in commit order and does not read it.
     */
    @Test
    void storedCopiesTellTheirDevicesPreviousPendingSeqOnPostgres() {
        StoredMessage first = storedForBob("alice", "p1");
        StoredMessage second = storedForBob("carol", "p2");
        if (engine == Engine.SQLITE) {
            assertEquals(StoredMessage.PREVIOUS_UNKNOWN, first.previousPending());
            assertEquals(StoredMessage.PREVIOUS_UNKNOWN, second.previousPending());
            return;
        }
        assertEquals(0, first.previousPending(), "nothing was pending");
        assertEquals(first.seq(), second.previousPending());
        assertTrue(messages.acknowledge("bob", 1, "alice", "p1").join());
        assertTrue(messages.acknowledge("bob", 1, "carol", "p2").join());
        messages.flush().join();
        StoredMessage third = storedForBob("alice", "p3");
        assertEquals(0, third.previousPending(), "acknowledged copies are not pending");
        var together = List.of(messages.append(copy("bob", "alice", "p5", 1_000, Long.MAX_VALUE), limits(100)),
                messages.append(copy("bob", "carol", "p6", 1_000, Long.MAX_VALUE), limits(100)));
        StoredMessage fifth = assertInstanceOf(AppendResult.Stored.class, together.get(0).join()).copies().getFirst();
        StoredMessage sixth = assertInstanceOf(AppendResult.Stored.class, together.get(1).join()).copies().getFirst();
        assertEquals(third.seq(), fifth.previousPending());
        assertEquals(fifth.seq(), sixth.previousPending(), "in one batch or two, the copy before counts");
        StoredMessage ivys = assertInstanceOf(AppendResult.Stored.class,
                messages.append(copy("ivy", "alice", "p4", 1_000, Long.MAX_VALUE), limits(100)).join()).copies().getFirst();
        assertEquals(0, ivys.previousPending(), "another account's queue does not count");
    }

    @Test
    void concurrentAppendsShareCommitsAndKeepTheirOrder() {
        var batches = metrics.get("parley_db_write_batch_size").summary();
        long commitsBefore = batches.count();
        double writesBefore = batches.totalAmount();
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            futures.add(messages.append(copy("bob", "alice", "m" + i, 1_000, Long.MAX_VALUE), limits(10_000)));
        }
        long previous = 0;
        for (CompletableFuture<AppendResult> future : futures) {
            var stored = assertInstanceOf(AppendResult.Stored.class, future.join());
            assertTrue(stored.copies().getFirst().seq() > previous, "seq follows submission order");
            previous = stored.copies().getFirst().seq();
        }
        long commits = batches.count() - commitsBefore;
        assertTrue(commits < 2_000, "2000 writes took " + commits + " commits: group commit works");
        assertEquals(2_000, (long) (batches.totalAmount() - writesBefore));
        assertEquals(2_000, messages.pending("bob", 1, 0, 5_000, 0L).size());
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
            appends.add(messages.append(copy("ivy", "sam", "a" + i, 1_000, Long.MAX_VALUE), limits(limits)));
        }
        CompletableFuture<Object> failing = database.writes().submit(connection -> {
            throw new java.sql.SQLException("a write that fails: the batch is rolled back and run again");
        });
        for (int i = 30; i < 60; i++) {
            appends.add(messages.append(copy("ivy", "sam", "a" + i, 1_000, Long.MAX_VALUE), limits(limits)));
        }
        writerBusy.countDown();
        assertTrue(failing.handle((ok, e) -> e != null).join(), "the failing write fails alone");
        long stored = appends.stream().map(CompletableFuture::join).filter(AppendResult.Stored.class::isInstance).count();
        long refused = appends.stream().map(CompletableFuture::join).filter(AppendResult.QueueShareFull.class::isInstance).count();
        assertEquals(40, stored, "exactly the share is stored");
        assertEquals(20, refused);
        assertEquals(40, messages.pending("ivy", 1, 0, 100, 0L).size());
        for (int i = 0; i < 40; i++) {
            assertTrue(messages.acknowledge("ivy", 1, "sam", "a" + i).join());
        }
        assertInstanceOf(AppendResult.Stored.class,
                messages.append(copy("ivy", "sam", "after", 1_000, Long.MAX_VALUE), limits(limits)).join(),
                "acks free the share again");
    }

    @Test
    void acknowledgedMessagesAreErasedButTheirIdStillDeduplicates() {
        assertInstanceOf(AppendResult.Stored.class, append("carol", "x", Long.MAX_VALUE));
        assertTrue(messages.acknowledge("carol", 1, "sender", "x").join());
        assertFalse(messages.acknowledge("carol", 1, "sender", "x").join(), "second ack finds nothing pending");
        assertTrue(messages.pending("carol", 1, 0, 10, 0L).isEmpty());
        assertInstanceOf(AppendResult.Duplicate.class, append("carol", "x", Long.MAX_VALUE));
    }

    @Test
    void aDeferredAcknowledgementCommitsAloneWhenNothingElseIsWritten() {
        append("gina", "only", Long.MAX_VALUE);
        assertTrue(messages.acknowledge("gina", 1, "sender", "only").orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join(),
                "committed within the deferral delay though no other write came");
        assertTrue(messages.pending("gina", 1, 0, 10, 0L).isEmpty());
    }

    @Test
    void flushWaitsForDeferredAcknowledgements() {
        append("hank", "m", Long.MAX_VALUE);
        messages.acknowledge("hank", 1, "sender", "m");
        messages.flush().join();
        assertTrue(messages.pending("hank", 1, 0, 10, 0L).isEmpty(), "the erasure is visible once flush completes");
    }

    @Test
    void theQueueCapCountsOnlyUndeliveredMessages() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(AppendResult.Stored.class,
                    messages.append(copy("dave", "s", "c" + i, 1, Long.MAX_VALUE), limits(3)).join());
        }
        assertInstanceOf(AppendResult.QueueFull.class, messages.append(copy("dave", "s", "c3", 1, Long.MAX_VALUE), limits(3)).join());
        assertInstanceOf(AppendResult.Duplicate.class, messages.append(copy("dave", "s", "c0", 1, Long.MAX_VALUE), limits(3)).join(),
                "a resend of a stored message is a duplicate even when the queue is full");
        messages.acknowledge("dave", 1, "s", "c0").join();
        assertInstanceOf(AppendResult.Stored.class, messages.append(copy("dave", "s", "c3", 1, Long.MAX_VALUE), limits(3)).join());
    }

    @Test
    void expiredMessagesAndTombstonesArePurged() {
        append("erin", "old", 5_000);
        append("erin", "new", 50_000);
        assertEquals(1, messages.purgeExpired(10_000).join());
        List<StoredMessage> left = messages.pending("erin", 1, 0, 10, 0L);
        assertEquals(List.of("new"), left.stream().map(StoredMessage::messageId).toList());
    }

    /** An expired copy is never handed out for relaying, even while the sweep has not deleted it yet. */
    @Test
    void pendingLeavesOutCopiesPastTheirExpiry() {
        append("fred", "soon", 5_000);
        append("fred", "later", 50_000);
        assertEquals(List.of("soon", "later"), messages.pending("fred", 1, 0, 10, 4_999).stream()
                .map(StoredMessage::messageId).toList());
        assertEquals(List.of("later"), messages.pending("fred", 1, 0, 10, 5_000).stream().map(StoredMessage::messageId).toList());
        assertEquals(java.util.OptionalLong.of(5_000), messages.earliestExpiry());
        assertEquals(1, messages.purgeExpired(5_000).join());
        assertEquals(java.util.OptionalLong.of(50_000), messages.earliestExpiry());
    }

    @Test
    void expiredUndeliveredMessagesNoLongerCountTowardsTheCap() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(AppendResult.Stored.class, messages.append(copy("ivy", "s", "e" + i, 1, 5_000), limits(3)).join());
        }
        assertInstanceOf(AppendResult.QueueFull.class, messages.append(copy("ivy", "s", "late", 1, Long.MAX_VALUE), limits(3)).join());
        assertEquals(3, messages.purgeExpired(6_000).join());
        assertInstanceOf(AppendResult.Stored.class, messages.append(copy("ivy", "s", "late", 1, Long.MAX_VALUE), limits(3)).join());
    }

    @Test
    void aFailingWriteFailsAloneInItsBatch() {
        var accounts = database.accounts();
        var identity = new IdentityKeys(new byte[32], new byte[32], new byte[64]);
        List<CompletableFuture<Void>> creates = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            var list = new DeviceList(1, 1, List.of(new DeviceEntry(1, new byte[32], 1)), new byte[64]);
            creates.add(accounts.create(new Account(i % 2 == 0 ? "same" : "user" + i, identity, new byte[32], 1, 1), list));
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
        assertEquals(26 + RECIPIENTS.size(), accounts.all().size());
    }
}
