package dev.parley.server.blobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.storage.BlobRecords;
import dev.parley.server.storage.Database;
import dev.parley.server.storage.StoredBlob;
import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectoryBlobStore} on SQLite: a part advances the record only once its file holds
 * it, and the sweep's deletion never takes a file while a part lands in it, nor the file of a
 * blob that a part completed after the sweep found it expired.
 */
class DirectoryBlobStoreTest {

    private static final Duration WINDOW = Duration.ofHours(1);
    private final Instant start = Instant.now();
    private Clock clock = Clock.fixed(start, ZoneOffset.UTC);
    private Database database;
    private DirectoryBlobStore store;
    private Path folder;
    private final BlobIds ids = new BlobIds(new SecureRandom());

    @BeforeEach
    void open() throws IOException {
        Path file = TestServer.newDatabaseFile();
        database = Database.open("jdbc:sqlite:" + file, new SimpleMeterRegistry());
        folder = file.resolveSibling("blobs");
        Clock moving = new Clock() {
            @Override
            public Instant instant() {
                return clock.instant();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        store = new DirectoryBlobStore(folder, database.blobs(), new BlobLife(moving, Duration.ofDays(30)));
    }

    @AfterEach
    void close() {
        store.close();
        database.close();
    }

    private String pendingBlob(long size) throws IOException {
        String id = ids.newBlobId();
        long now = start.toEpochMilli();
        var blob = new StoredBlob(id, "owner", size, 0, BlobIds.tokenHash(ids.newToken()), false, now, now + WINDOW.toMillis());
        assertInstanceOf(BlobRecords.Creation.Created.class, database.blobs().create(blob, Long.MAX_VALUE).join());
        store.create(id);
        return id;
    }

    @Test
    void aPartLandsInTheFileAndTheRecordAndOnlyAtTheBytesReceived() throws Exception {
        String id = pendingBlob(10);
        assertInstanceOf(Appended.Refused.class, store.append(id, 3, new ByteArrayInputStream(new byte[3]), 10));
        var stored = assertInstanceOf(Appended.Stored.class, store.append(id, 0, new ByteArrayInputStream(new byte[6]), 10));
        assertEquals(6, stored.received());
        assertEquals(6, database.blobs().find(id).orElseThrow().received());
        assertEquals(6, Files.size(folder.resolve(id)));
    }

    @Test
    void theSweepLeavesABlobAloneWhileAPartLandsAndOnceItIsLiveAgain() throws Exception {
        String id = pendingBlob(2000);
        var gate = new CountDownLatch(1);
        var atEnd = new CountDownLatch(1);
        InputStream held = new InputStream() {
            private int left = 2000;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    atEnd.countDown();
                    try {
                        assertTrue(gate.await(60, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    return -1;
                }
                left--;
                return 7;
            }
        };
        CompletableFuture<Appended> landing = CompletableFuture.supplyAsync(() -> {
            try {
                return store.append(id, 0, held, 2000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(atEnd.await(60, TimeUnit.SECONDS));
        assertFalse(store.delete(id), "a part is landing: left for the next sweep");
        assertTrue(Files.exists(folder.resolve(id)));
        gate.countDown();
        var stored = assertInstanceOf(Appended.Stored.class, landing.get(60, TimeUnit.SECONDS));
        assertEquals(2000, stored.received(), "complete");

        clock = Clock.fixed(start.plus(WINDOW), ZoneOffset.UTC); // the upload window's end: the blob lives on, complete
        assertFalse(store.delete(id), "complete since: live, left alone");
        assertEquals(2000, Files.size(folder.resolve(id)));
        clock = Clock.fixed(start.plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertTrue(store.delete(id), "expired");
        assertFalse(Files.exists(folder.resolve(id)));
    }

    @Test
    void filesWithoutARecordAreFound() throws Exception {
        String kept = pendingBlob(10);
        String orphan = ids.newBlobId();
        Files.write(folder.resolve(orphan), new byte[5]);
        assertEquals(List.of(orphan), store.unrecorded(10));
        assertTrue(store.delete(orphan));
        assertTrue(store.unrecorded(10).isEmpty());
        assertTrue(Files.exists(folder.resolve(kept)));
    }
}
