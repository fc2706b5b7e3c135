package dev.parley.server.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.storage.Database;
import dev.parley.server.storage.StoredBlob;
import dev.parley.server.testing.PostgresDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DatabaseBlobStore} on PostgreSQL, with two nodes (each its own database pool, writer
 * and store) on one database: parts become chunk rows that tile the blob, of two parts at one
 * offset on two nodes exactly one lands, a part is refused unread where the record does not
 * take it, and deleting a blob deletes its chunk rows with its expired record but never a live
 * blob's.
 */
class DatabaseBlobStoreTest {

    private static final Duration TTL = Duration.ofDays(30);
    private static final Duration WINDOW = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestClock clock = new TestClock();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private PostgresDatabases postgres;
    private Database databaseA;
    private Database databaseB;
    private DatabaseBlobStore nodeA;
    private DatabaseBlobStore nodeB;
    private final BlobIds ids = new BlobIds(RANDOM);

    @BeforeEach
    void open() {
        postgres = PostgresDatabases.fresh();
        databaseA = Database.open(postgres.url(), new SimpleMeterRegistry());
        databaseB = Database.open(postgres.url(), new SimpleMeterRegistry());
        nodeA = DatabaseBlobStore.open(postgres.url(), databaseA.blobs(), new BlobLife(clock, TTL));
        nodeB = DatabaseBlobStore.open(postgres.url(), databaseB.blobs(), new BlobLife(clock, TTL));
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        nodeA.close();
        nodeB.close();
        databaseA.close();
        databaseB.close();
        postgres.close();
    }

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Yields its bytes, then waits at the end until opened: the part is in flight until then. */
    private static final class GatedSource extends InputStream {
        private final byte[] bytes;
        private final CountDownLatch atEnd = new CountDownLatch(1);
        private final CountDownLatch gate;
        private int position;

        GatedSource(byte[] bytes, CountDownLatch gate) {
            this.bytes = bytes;
            this.gate = gate;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position == bytes.length) {
                atEnd.countDown();
                try {
                    if (!gate.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("the test never opened the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                return -1;
            }
            int n = Math.min(length, bytes.length - position);
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(atEnd.await(60, TimeUnit.SECONDS), "the part was read to its end");
        }
    }

    /** A source that must not be read. */
    private static final InputStream UNREAD = new InputStream() {
        @Override
        public int read() {
            throw new AssertionError("a refused part is not read");
        }
    };

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private String pendingBlob(long size) {
        String id = ids.newBlobId();
        long now = clock.millis();
        var blob = new StoredBlob(id, "owner", size, 0, BlobIds.tokenHash(ids.newToken()), false, now, now + WINDOW.toMillis());
        assertInstanceOf(dev.parley.server.storage.BlobRecords.Creation.Created.class,
                databaseA.blobs().create(blob, Long.MAX_VALUE).join());
        return id;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** The blob's chunk rows as {start, length}, in order. */
    private List<long[]> chunks(String id) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.url());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT start, length(bytes) FROM blob_parts WHERE blob_id = ? ORDER BY start")) {
            query.setString(1, id);
            List<long[]> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(new long[] {row.getLong(1), row.getLong(2)});
                }
            }
            return rows;
        }
    }

    /** Asserts that the chunk rows tile [0, length) exactly, each within the chunk bound. */
    private void assertTiles(String id, long length) throws SQLException {
        long next = 0;
        for (long[] chunk : chunks(id)) {
            assertEquals(next, chunk[0], "chunks tile the blob without gaps or overlaps");
            assertTrue(chunk[1] > 0 && chunk[1] <= DatabaseBlobStore.CHUNK_BYTES, "chunk of " + chunk[1] + " bytes");
            next += chunk[1];
        }
        assertEquals(length, next, "the chunks end at the bytes received");
    }

    @Test
    void partsBecomeChunkRowsThatTileTheBlobAndAnyNodeReadsItWhole() throws Exception {
        byte[] first = random(600 * 1024);
        byte[] second = random(300 * 1024 + 5);
        String id = pendingBlob(first.length + second.length);

        var stored = assertInstanceOf(Appended.Stored.class, nodeA.append(id, 0, new ByteArrayInputStream(first), 8 << 20));
        assertEquals(first.length, stored.received());
        assertEquals(first.length, databaseB.blobs().find(id).orElseThrow().received(), "the record counts the part");
        assertTiles(id, first.length);
        assertEquals(3, chunks(id).size(), "600 KiB in chunks of 256 KiB");

        long before = clock.millis();
        var last = assertInstanceOf(Appended.Stored.class, nodeB.append(id, first.length, new ByteArrayInputStream(second), 8 << 20));
        assertEquals(first.length + second.length, last.received());
        assertEquals(before + TTL.toMillis(), last.expiresAt(), "the completing part starts the blob's life");
        StoredBlob complete = databaseA.blobs().find(id).orElseThrow();
        assertTrue(complete.complete());
        assertEquals(last.expiresAt(), complete.expiresAt());
        assertTiles(id, complete.size());

        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        assertArrayEquals(whole, readAll(nodeA.open(id)), "read through node A");
        assertArrayEquals(whole, readAll(nodeB.open(id)), "read through node B");
    }

    @Test
    void aPartTheRecordDoesNotTakeIsRefusedUnread() throws Exception {
        String id = pendingBlob(100);
        assertInstanceOf(Appended.Refused.class, nodeA.append(id, 5, UNREAD, 100), "not at the bytes received");
        assertInstanceOf(Appended.Refused.class, nodeA.append(ids.newBlobId(), 0, UNREAD, 100), "no record");
        assertInstanceOf(Appended.Stored.class, nodeA.append(id, 0, new ByteArrayInputStream(random(100)), 100));
        assertInstanceOf(Appended.Refused.class, nodeB.append(id, 100, UNREAD, 100), "complete");
        String expired = pendingBlob(100);
        clock.advance(WINDOW);
        assertInstanceOf(Appended.Refused.class, nodeB.append(expired, 0, UNREAD, 100), "its upload window has ended");
        assertTrue(chunks(expired).isEmpty());
    }

    @Test
    void aPartTooLongIsRefusedAndLeavesNothing() throws Exception {
        String id = pendingBlob(100);
        try {
            nodeA.append(id, 0, new ByteArrayInputStream(random(101)), 100);
            throw new AssertionError("a part past its bound was taken");
        } catch (BlobTooLongException expected) {
            // refused while it streamed
        }
        assertTrue(chunks(id).isEmpty());
        assertEquals(0, databaseA.blobs().find(id).orElseThrow().received());
    }

    /**
     * Two nodes take a part at the same offset of one blob at once, both read to their end
     * before either lands: exactly one lands, the other is refused (its client hears 409 with
     * the bytes received), and the blob holds the winner's bytes only. Ten rounds.
     */
    @Test
    void ofTwoPartsAtOneOffsetOnTwoNodesExactlyOneLands() throws Exception {
        for (int round = 0; round < 10; round++) {
            byte[] onA = random(300 * 1024);
            byte[] onB = random(300 * 1024);
            String id = pendingBlob(1 << 20);
            var gate = new CountDownLatch(1);
            var sourceA = new GatedSource(onA, gate);
            var sourceB = new GatedSource(onB, gate);
            CompletableFuture<Appended> a = CompletableFuture.supplyAsync(() -> append(nodeA, id, sourceA), threads);
            CompletableFuture<Appended> b = CompletableFuture.supplyAsync(() -> append(nodeB, id, sourceB), threads);
            sourceA.awaitEnd();
            sourceB.awaitEnd();
            gate.countDown();
            Appended fromA = a.get(60, TimeUnit.SECONDS);
            Appended fromB = b.get(60, TimeUnit.SECONDS);

            boolean aLanded = fromA instanceof Appended.Stored;
            boolean bLanded = fromB instanceof Appended.Stored;
            assertTrue(aLanded != bLanded, "round " + round + ": exactly one lands: " + fromA + " / " + fromB);
            assertInstanceOf(Appended.Refused.class, aLanded ? fromB : fromA);
            assertEquals(300 * 1024, databaseA.blobs().find(id).orElseThrow().received());
            assertTiles(id, 300 * 1024);
            assertArrayEquals(aLanded ? onA : onB, readFirst(id, 300 * 1024), "only the winner's bytes");
        }
    }

    private byte[] readFirst(String id, int length) throws IOException {
        try (InputStream in = nodeA.open(id)) {
            return in.readNBytes(length);
        }
    }

    private static Appended append(DatabaseBlobStore store, String id, InputStream source) {
        try {
            return store.append(id, 0, source, 8 << 20);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void onOneNodeAPartOfABlobBeingWrittenMakesAnotherBusy() throws Exception {
        String id = pendingBlob(2000);
        var gate = new CountDownLatch(1);
        var first = new GatedSource(random(1000), gate);
        CompletableFuture<Appended> landing = CompletableFuture.supplyAsync(() -> append(nodeA, id, first), threads);
        first.awaitEnd();
        assertInstanceOf(Appended.Busy.class, nodeA.append(id, 0, UNREAD, 2000));
        gate.countDown();
        assertEquals(1000, assertInstanceOf(Appended.Stored.class, landing.get(60, TimeUnit.SECONDS)).received());
    }

    @Test
    void aPartWhoseWindowEndsWhileItIsInFlightIsRefusedAndLeavesNothing() throws Exception {
        String id = pendingBlob(2000);
        var gate = new CountDownLatch(1);
        var late = new GatedSource(random(1000), gate);
        CompletableFuture<Appended> landing = CompletableFuture.supplyAsync(() -> append(nodeA, id, late), threads);
        late.awaitEnd();
        clock.advance(WINDOW);
        gate.countDown();
        assertInstanceOf(Appended.Refused.class, landing.get(60, TimeUnit.SECONDS));
        assertTrue(chunks(id).isEmpty(), "rolled back with the record's refusal");
        assertEquals(0, databaseA.blobs().find(id).orElseThrow().received());
    }

    @Test
    void deletingABlobDeletesItsChunksWithItsExpiredRecordButNeverALiveOne() throws Exception {
        byte[] bytes = random(700 * 1024);
        String id = pendingBlob(bytes.length);
        assertInstanceOf(Appended.Stored.class, nodeA.append(id, 0, new ByteArrayInputStream(bytes), 8 << 20));

        assertFalse(nodeB.delete(id), "complete and live: left alone");
        assertTiles(id, bytes.length);
        assertArrayEquals(bytes, readAll(nodeB.open(id)));

        clock.advance(TTL);
        assertTrue(nodeB.delete(id), "expired: deleted");
        assertTrue(chunks(id).isEmpty(), "every chunk row");
        assertTrue(databaseA.blobs().find(id).isEmpty(), "and the record, in the same transaction");
        assertTrue(nodeA.delete(id), "a second sweep (another node's) finds nothing left");
        assertEquals(0, readAll(nodeA.open(id)).length, "nothing to read");
    }

    @Test
    void bytesWithoutARecordAreFoundAndDeleted() throws Exception {
        String kept = pendingBlob(1000);
        String orphan = pendingBlob(1000);
        for (String id : List.of(kept, orphan)) {
            assertInstanceOf(Appended.Stored.class, nodeA.append(id, 0, new ByteArrayInputStream(random(600)), 1000));
        }
        try (Connection connection = DriverManager.getConnection(postgres.url());
             PreparedStatement delete = connection.prepareStatement("DELETE FROM blobs WHERE id = ?")) {
            delete.setString(1, orphan);
            delete.executeUpdate(); // as a restored backup or an older crash may leave it
        }
        assertEquals(List.of(orphan), nodeB.unrecorded(10));
        assertTrue(nodeB.delete(orphan));
        assertTrue(chunks(orphan).isEmpty());
        assertTrue(nodeA.unrecorded(10).isEmpty());
        assertTiles(kept, 600);
    }
}
