package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.net.ServerAddress;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.PostgresProcess;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK while the server's PostgreSQL is down: a text sent meanwhile is answered
 * {@code unavailable}; it stays in the outbox as {@code sending} (never failed, nothing shown
 * as not sent) and is stored and delivered once the database is back, without the user
 * doing anything.
 */
class DatabaseOutageTest {

    @TempDir
    Path dir;

    @Test
    void aTextSentDuringTheOutageStaysQueuedAndArrivesAfterIt() throws Exception {
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        var aliceOptions = ParleyClient.Options.defaults().withListener(aliceEvents).withAckTimeout(Duration.ofSeconds(2));
        try (var postgres = PostgresProcess.start();
             var database = PostgresDatabases.fresh(postgres.url());
             var server = TestServer.onDatabase(database.url());
             ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceOptions);
             ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            ServerAddress address = ServerAddress.parse(server.origin());
            bob.register(address, "do_bob");
            alice.register(address, "do_alice");
            alice.send("do_bob", "before");
            assertEquals("before", bobEvents.messages.poll(30, TimeUnit.SECONDS).text());

            postgres.stop();
            ClientException unconfirmed = assertThrows(ClientException.class, () -> alice.send("do_bob", "during"));
            assertEquals(ClientException.Reason.TIMEOUT, unconfirmed.reason(), unconfirmed::getMessage);
            Thread.sleep(3_000); // the server has answered unavailable by now (its pool waits 3 s)
            assertEquals(1, alice.outboxSize(), "kept in the outbox");
            assertNull(aliceEvents.notSent.poll(), "not reported as not sent");
            assertTrue(alice.isConnected(), "the connection stays: only the database is gone");

            postgres.startAgain();
            IncomingMessage during = bobEvents.messages.poll(60, TimeUnit.SECONDS);
            assertNotNull(during, "delivered once the database is back (the outbox retries every 10 s)");
            assertEquals("during", during.text());
            assertTrue(alice.flush(Duration.ofSeconds(30)));
            assertEquals(0, alice.outboxSize());
        }
    }
}
