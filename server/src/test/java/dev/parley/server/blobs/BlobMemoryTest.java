package dev.parley.server.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.storage.Engine;
import dev.parley.server.testing.ChildServer;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.WireLimits;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blobs never pass through the server's heap whole: a server whose heap is smaller than a
 * blob takes it in 8 MiB parts and serves it back, byte for byte, and the log it writes holds
 * neither the blob id nor the upload token; with the blob files on SQLite, and with the blobs in
 * the database on PostgreSQL.
 */
class BlobMemoryTest {

    private static final int HEAP_MIB = 64;
    private static final int PARTS = 12; // 96 MiB: more than the whole heap

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aBlobLargerThanTheHeapGoesInAndOutWhole(Engine engine) throws Exception {
        try (PostgresDatabases postgres = engine == Engine.POSTGRESQL ? PostgresDatabases.fresh() : null) {
            Path database = TestServer.newDatabaseFile();
            String url = postgres != null ? postgres.url() : "jdbc:sqlite:" + database;
            goesInAndOutWhole(url, database.resolveSibling("server.log"));
        }
    }

    private static void goesInAndOutWhole(String databaseUrl, Path log) throws Exception {
        int port = ChildServer.freePort();
        Process process = ChildServer.start(port, databaseUrl, List.of("-Xmx" + HEAP_MIB + "m"), log);
        try (var client = TestClient.connect("ws://127.0.0.1:" + port + "/ws", "http://127.0.0.1:" + port)) {
            assertEquals("registered", client.register("hm_ann").path("type").asText());
            var http = new BlobHttp(port);
            int part = WireLimits.MAX_BLOB_PART_BYTES;
            long size = (long) PARTS * part;
            var upload = BlobHttp.start(client, size);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            Random random = new Random(7);
            byte[] bytes = new byte[part];
            for (int i = 0; i < PARTS; i++) {
                random.nextBytes(bytes);
                sent.update(bytes);
                var answer = http.put(upload, (long) i * part, bytes);
                assertEquals(200, answer.statusCode(), answer::body);
            }
            assertTrue(process.isAlive());

            var download = http.getStream(upload.blob());
            assertEquals(200, download.statusCode());
            assertEquals(String.valueOf(size), download.headers().firstValue("Content-Length").orElse(null));
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long length = 0;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; length += n) {
                    received.update(buffer, 0, n);
                }
            }
            assertEquals(size, length);
            assertArrayEquals(sent.digest(), received.digest(), "byte-identical through a " + HEAP_MIB + " MiB heap");
            assertTrue(process.isAlive(), "the server did not run out of memory");

            String written = Files.readString(log);
            assertFalse(written.contains("OutOfMemoryError"), "no OutOfMemoryError in the log");
            assertFalse(written.contains(upload.blob()), "the blob id never reaches the log");
            assertFalse(written.contains(upload.token()), "the token never reaches the log");
        } finally {
            process.destroy();
            process.waitFor();
        }
    }
}
