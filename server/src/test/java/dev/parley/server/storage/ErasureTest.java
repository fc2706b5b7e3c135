package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Acknowledged messages keep no ciphertext" (docs/OPERATIONS.md): once the recipient has
 * acknowledged a message, its envelope's bytes leave parley.db, parley.db-wal and
 * parley.db-shm within the erasure bound. The files are searched byte by byte.
 */
class ErasureTest {

    private static final Duration BOUND = Duration.ofSeconds(2);

    @Test
    void anAcknowledgedEnvelopeLeavesEveryDatabaseFileWithinTheBound() {
        try (var server = TestServer.start(TestServer.testLimits(), TestServer.testStorage().withErasureBound(BOUND),
                TestServer.newDatabaseFile());
             var bob = TestClient.registered(server, "er_bob");
             var alice = TestClient.registered(server, "er_alice")) {
            byte[] secret = new byte[8192];
            new SecureRandom().nextBytes(secret);
            String envelope = TestClient.b64(secret);
            assertEquals("stored", alice.sendMessage("er_bob", "secret", envelope).path("type").asText());
            JsonNode relay = bob.awaitType("relay_message");
            assertEquals(envelope, relay.path("envelope").asText());
            assertTrue(foundIn(server.databaseFile(), envelope), "stored: the search finds the envelope in the files");

            bob.ack(relay);
            Eventually.await(() -> server.server().metrics().get("parley_messages_acknowledged").counter().count() == 1,
                    "the erasure committed");
            Eventually.await(() -> !foundIn(server.databaseFile(), envelope),
                    "acknowledged envelope gone from parley.db, -wal and -shm (bound " + BOUND + ")");
        }
    }

    /** A fan-out's shared content stays while any device's copy is unacknowledged, and leaves with the last ack. */
    @Test
    void sharedContentLeavesTheFilesOnceEveryDeviceAcknowledged() {
        try (var server = TestServer.start(TestServer.testLimits(), TestServer.testStorage().withErasureBound(BOUND),
                TestServer.newDatabaseFile());
             var carol = TestClient.registered(server, "er_carol");
             var dan = TestClient.registered(server, "er_dan")) {
            var carolTwo = TestDevices.link(server, carol, 2);
            byte[] secret = new byte[8192];
            new SecureRandom().nextBytes(secret);
            String content = TestClient.b64(secret);
            assertEquals("stored", dan.sendToDevices("er_carol", "fan", content, "AAAA", List.of(1, 2)).path("type").asText());
            carol.ack(carol.awaitType("relay_message"));
            Eventually.await(() -> server.server().metrics().get("parley_messages_acknowledged").counter().count() == 1,
                    "device 1's erasure committed");
            assertTrue(foundIn(server.databaseFile(), content), "device 2's copy still holds the content");
            JsonNode second = carolTwo.awaitType("relay_message");
            assertEquals(content, second.path("content").asText());
            carolTwo.ack(second);
            Eventually.await(() -> !foundIn(server.databaseFile(), content),
                    "the content is gone from parley.db, -wal and -shm once both devices acknowledged (bound " + BOUND + ")");
            carolTwo.close();
        }
    }

    /**
     * A send_multi body is stored once for every recipient device; it stays while any copy is
     * unacknowledged and leaves the files with the last ack, like a fan-out's content.
     */
    @Test
    void aGroupBodyLeavesTheFilesWithItsLastCopy() {
        try (var server = TestServer.start(TestServer.testLimits(), TestServer.testStorage().withErasureBound(BOUND),
                TestServer.newDatabaseFile());
             var erin = TestClient.registered(server, "er_erin");
             var fay = TestClient.registered(server, "er_fay");
             var gil = TestClient.registered(server, "er_gil")) {
            byte[] secret = new byte[8192];
            new SecureRandom().nextBytes(secret);
            secret[0] = 0x04;
            String content = TestClient.b64(secret);
            var recipients = List.of(new MultiRecipient("er_fay", List.of(new MultiDevice(1, null))),
                    new MultiRecipient("er_gil", List.of(new MultiDevice(1, null))));
            assertEquals("stored", erin.request(new SendMulti("group", content, recipients)).path("type").asText());
            fay.ack(fay.awaitType("relay_message"));
            Eventually.await(() -> server.server().metrics().get("parley_messages_acknowledged").counter().count() == 1,
                    "fay's erasure committed");
            assertTrue(foundIn(server.databaseFile(), content), "gil's copy still needs the body");
            JsonNode last = gil.awaitType("relay_message");
            assertEquals(content, last.path("content").asText());
            gil.ack(last);
            Eventually.await(() -> !foundIn(server.databaseFile(), content),
                    "the body is gone from parley.db, -wal and -shm with its last copy (bound " + BOUND + ")");
        }
    }

    /**
     * True if any 48-character piece of the envelope (taken every 512 characters) is in a
     * database file: SQLite splits a long value over overflow pages, so the whole string is
     * never contiguous, but pieces are.
     */
    static boolean foundIn(Path databaseFile, String envelope) {
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i + 48 <= envelope.length(); i += 512) {
            pieces.add(envelope.substring(i, i + 48).getBytes(StandardCharsets.US_ASCII));
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path file = databaseFile.resolveSibling(databaseFile.getFileName() + suffix);
            if (!Files.exists(file)) {
                continue;
            }
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (byte[] piece : pieces) {
                if (indexOf(content, piece) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
