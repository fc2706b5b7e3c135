package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.PostgresDatabases;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (two {@link Database}s, each with its own writer) on one PostgreSQL database,
 * writing the same device queues at once from many threads. A mailbox reads
 * {@code pending(seq > lastSent)}: it must never miss a copy, so per device queue the commit
 * order must be the {@code seq} order across nodes; no batch may fail (a deadlock would fail
 * one); the queue limits must hold exactly over both nodes; and a {@code send_multi} body must
 * leave with its last copy when the last acks commit on different nodes.
 */
class CrossNodeWritesTest {

    private static final List<String> RECIPIENTS = List.of("r_ann", "r_ben", "r_cat", "r_dan");
    private static final int THREADS_PER_NODE = 6;
    private static final int SENDS_PER_THREAD = 150;

    PostgresDatabases fresh;
    Database nodeA;
    Database nodeB;
    ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_NODE + 2 * RECIPIENTS.size());

    @BeforeEach
    void open() {
        fresh = PostgresDatabases.fresh();
        nodeA = Database.open(fresh.url(), new SimpleMeterRegistry());
        nodeB = Database.open(fresh.url(), new SimpleMeterRegistry());
        for (String recipient : RECIPIENTS) {
            var list = new DeviceList(1, 1, List.of(new DeviceEntry(1, new byte[32], 1), new DeviceEntry(2, new byte[32], 1)),
                    new byte[64]);
            nodeA.accounts().create(new Account(recipient, new IdentityKeys(new byte[32], new byte[32], new byte[64]),
                    new byte[32], 1, 1), list).join();
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        nodeA.close();
        nodeB.close();
        fresh.close();
    }

    private static OutgoingMessage message(String recipient, String sender, String id) {
        return new OutgoingMessage(recipient, sender, 1, id, null,
                List.of(new DeviceEnvelope(1, "ZW52"), new DeviceEnvelope(2, "ZW52")), 1_000, Long.MAX_VALUE);
    }

    @Test
    void aPollingReaderMissesNothingAndNoBatchFails() throws Exception {
        var limits = new QueueLimits(1_000_000, 1_000_000, Long.MAX_VALUE);
        var done = new AtomicBoolean();
        var seen = new ConcurrentHashMap<String, Set<Long>>();
        List<CompletableFuture<?>> readers = new ArrayList<>();
        for (String recipient : RECIPIENTS) {
            for (int device = 1; device <= 2; device++) {
                Set<Long> seqs = ConcurrentHashMap.newKeySet();
                seen.put(recipient + "/" + device, seqs);
                // Device 1 is read through node A, device 2 through node B.
                Database reader = device == 1 ? nodeA : nodeB;
                int d = device;
                readers.add(CompletableFuture.runAsync(() -> poll(reader, recipient, d, seqs, done), threads));
            }
        }
        var failures = new ConcurrentLinkedQueue<Throwable>();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < 2 * THREADS_PER_NODE; t++) {
            Database node = t % 2 == 0 ? nodeA : nodeB;
            String sender = "s" + t;
            writers.add(CompletableFuture.runAsync(() -> {
                List<CompletableFuture<AppendResult>> sends = new ArrayList<>();
                for (int i = 0; i < SENDS_PER_THREAD; i++) {
                    String recipient = RECIPIENTS.get(i % RECIPIENTS.size());
                    sends.add(node.messages().append(message(recipient, sender, "m" + i), limits));
                    if (sends.size() == 20) { // a window of sends in flight, as a connection has
                        sends.forEach(send -> expectStored(send, failures));
                        sends.clear();
                    }
                }
                sends.forEach(send -> expectStored(send, failures));
            }, threads));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
        done.set(true);
        CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertTrue(failures.isEmpty(), "no write failed (no deadlock, no serialization failure): " + failures);
        int total = 0;
        for (String recipient : RECIPIENTS) {
            for (int device = 1; device <= 2; device++) {
                Set<Long> stored = storedSeqs(recipient, device);
                Set<Long> missed = new TreeSet<>(stored);
                missed.removeAll(seen.get(recipient + "/" + device));
                assertEquals(Set.of(), missed, "copies for " + recipient + "/" + device + " a polling reader skipped "
                        + "(committed after a higher seq was read)");
                total += stored.size();
            }
        }
        assertEquals(2 * THREADS_PER_NODE * SENDS_PER_THREAD * 2, total, "every send stored a copy per device");
    }

    private static void expectStored(CompletableFuture<AppendResult> send, ConcurrentLinkedQueue<Throwable> failures) {
        try {
            AppendResult result = send.get(120, TimeUnit.SECONDS);
            if (!(result instanceof AppendResult.Stored)) {
                failures.add(new AssertionError("not stored: " + result));
            }
        } catch (Exception e) {
            failures.add(e);
        }
    }

    /** A mailbox: reads the device's queue after the highest seq it has seen, until the writers are done, then once more. */
    private static void poll(Database node, String recipient, int device, Set<Long> seen, AtomicBoolean done) {
        long last = 0;
        boolean finalRound = false;
        while (true) {
            List<StoredMessage> page = node.messages().pending(recipient, device, last, 200, 0L);
            for (StoredMessage message : page) {
                seen.add(message.seq());
                last = Math.max(last, message.seq());
            }
            if (page.isEmpty()) {
                if (finalRound) {
                    return;
                }
                finalRound = done.get();
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void queueLimitsHoldExactlyOverBothNodes() throws Exception {
        // r_ann's devices take at most 90 copies each, each sender at most 25 of them; s_quota may
        // queue 160 characters: 20 sends of two 4-character envelopes.
        var capAndShare = new QueueLimits(90, 25, Long.MAX_VALUE);
        var quota = new QueueLimits(1_000_000, 1_000_000, 20 * 8);
        var capped = new ConcurrentLinkedQueue<CompletableFuture<AppendResult>>();
        var quotaSends = new ConcurrentLinkedQueue<CompletableFuture<AppendResult>>();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < 2 * THREADS_PER_NODE; t++) {
            Database node = t % 2 == 0 ? nodeA : nodeB;
            int thread = t;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 30; i++) {
                    String sender = "cap" + (i % 6);
                    capped.add(node.messages().append(message("r_ann", sender, "t" + thread + "m" + i), capAndShare));
                    quotaSends.add(node.messages().append(message(RECIPIENTS.get(1 + i % 3), "s_quota", "t" + thread + "q" + i),
                            quota));
                }
            }, threads));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long storedCapped = 0;
        for (var send : capped) {
            AppendResult result = send.get(120, TimeUnit.SECONDS);
            assertTrue(result instanceof AppendResult.Stored || result instanceof AppendResult.QueueFull
                    || result instanceof AppendResult.QueueShareFull, "a send is stored or refused, never failed: " + result);
            storedCapped += result instanceof AppendResult.Stored ? 1 : 0;
        }
        assertEquals(90, storedCapped, "the cap, exactly: 6 senders of 60 each, at most 25 each, 90 per device");
        assertEquals(90, storedSeqs("r_ann", 1).size());
        assertEquals(90, storedSeqs("r_ann", 2).size());
        for (int s = 0; s < 6; s++) {
            long bySender = countWhere("recipient = 'r_ann' AND recipient_device = 1 AND sender = 'cap" + s + "'");
            assertTrue(bySender <= 25, "cap" + s + " holds " + bySender + " of r_ann's device 1 (share 25)");
        }
        long storedQuota = 0;
        for (var send : quotaSends) {
            AppendResult result = send.get(120, TimeUnit.SECONDS);
            assertTrue(result instanceof AppendResult.Stored || result instanceof AppendResult.QuotaExceeded, "" + result);
            storedQuota += result instanceof AppendResult.Stored ? 1 : 0;
        }
        assertEquals(20, storedQuota, "the quota holds 20 sends of two 4-character copies, exactly");
        assertEquals(40, countWhere("sender = 's_quota'"));
    }

    @Test
    void aBodyLeavesWithItsLastCopyWhenTheLastAcksCommitOnTwoNodes() throws Exception {
        var limits = new QueueLimits(1_000_000, 1_000_000, Long.MAX_VALUE);
        int sends = 120;
        List<CompletableFuture<MultiAppendResult>> stored = new ArrayList<>();
        for (int i = 0; i < sends; i++) {
            List<MultiRecipient> to = List.of("r_ann", "r_ben").stream()
                    .map(r -> new MultiRecipient(r, List.of(new MultiDevice(1, null), new MultiDevice(2, null)))).toList();
            stored.add((i % 2 == 0 ? nodeA : nodeB).messages().appendMulti(
                    new OutgoingMulti("s_multi", 1, "g" + i, "BA" + "x".repeat(200), to, 1_000, Long.MAX_VALUE), limits));
        }
        for (var send : stored) {
            assertTrue(send.get(120, TimeUnit.SECONDS) instanceof MultiAppendResult.Stored);
        }
        assertEquals(sends, countBodies());
        for (int i = 0; i < sends; i++) { // each body is left with two copies: r_ann's device 1 and r_ben's
            assertTrue(nodeA.messages().acknowledge("r_ann", 2, "s_multi", "g" + i).get(60, TimeUnit.SECONDS));
            assertTrue(nodeB.messages().acknowledge("r_ben", 2, "s_multi", "g" + i).get(60, TimeUnit.SECONDS));
        }
        assertEquals(sends, countBodies());
        // The last two copies of each body are acknowledged at the same moment, one through each
        // node: each round, both acks join their node's next batch at once.
        var barrier = new java.util.concurrent.CyclicBarrier(2);
        List<CompletableFuture<Void>> ackers = new ArrayList<>();
        for (String recipient : List.of("r_ann", "r_ben")) {
            Database node = recipient.equals("r_ann") ? nodeA : nodeB;
            ackers.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < sends; i++) {
                        barrier.await(60, TimeUnit.SECONDS);
                        assertTrue(node.messages().acknowledge(recipient, 1, "s_multi", "g" + i).get(60, TimeUnit.SECONDS),
                                "every ack erased its copy");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads));
        }
        CompletableFuture.allOf(ackers.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        nodeA.messages().flush().get(60, TimeUnit.SECONDS);
        nodeB.messages().flush().get(60, TimeUnit.SECONDS);
        assertEquals(0, countWhere("envelope IS NOT NULL OR body_id IS NOT NULL"));
        assertEquals(0, countBodies(), "no body outlives its last copy");
    }

    @Test
    void ofTwoLookAlikeRegistrationsOnTwoNodesAtOnceOnlyOnePasses() throws Exception {
        var list = new DeviceList(1, 1, List.of(new DeviceEntry(1, new byte[32], 1)), new byte[64]);
        var identity = new IdentityKeys(new byte[32], new byte[32], new byte[64]);
        List<CompletableFuture<Void>> onA = new ArrayList<>();
        List<CompletableFuture<Void>> onB = new ArrayList<>();
        for (int i = 0; i < 60; i++) { // "lookNo" and "lookN0" share their skeleton
            onA.add(nodeA.accounts().create(new Account("look" + i + "o", identity, new byte[32], 1, 1), list));
            onB.add(nodeB.accounts().create(new Account("look" + i + "0", identity, new byte[32], 1, 1), list));
        }
        for (int i = 0; i < 60; i++) {
            int passed = 0;
            for (CompletableFuture<Void> create : List.of(onA.get(i), onB.get(i))) {
                try {
                    create.get(60, TimeUnit.SECONDS);
                    passed++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof UsernameConfusableException, "refused as a look-alike: " + e.getCause());
                }
            }
            assertEquals(1, passed, "exactly one of look" + i + "o and look" + i + "0");
        }
    }

    private Set<Long> storedSeqs(String recipient, int device) throws SQLException {
        Set<Long> seqs = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection(fresh.url());
             PreparedStatement select = connection.prepareStatement(
                     "SELECT seq FROM messages WHERE recipient = ? AND recipient_device = ?")) {
            select.setString(1, recipient);
            select.setInt(2, device);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                }
            }
        }
        return seqs;
    }

    private long countWhere(String condition) throws SQLException {
        return count("SELECT COUNT(*) FROM messages WHERE " + condition);
    }

    private long countBodies() throws SQLException {
        return count("SELECT COUNT(*) FROM message_bodies");
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(fresh.url());
             ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
