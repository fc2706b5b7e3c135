package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Disappearing messages through a real server: the timer, expiry by the client's clock, erasure from SQLite, search. */
class DisappearingMessagesTest extends ServerTest {

    private static ParleyClient.Options options(RecordingListener events, TestClock clock) {
        return new ParleyClient.Options(events, clock, new SecureRandom(), Duration.ofSeconds(30), "Laptop");
    }

    @Test
    void aMessageUnderATimerIsErasedFromBothStoresWhenItsTimeIsUp() throws Exception {
        var aliceClock = new TestClock();
        var bobClock = new TestClock();
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        Path bobHome = dir.resolve("bob");
        String secret;
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), options(aliceEvents, aliceClock));
                ParleyClient bob = ParleyClient.open(bobHome, options(bobEvents, bobClock))) {
            alice.register(address, "dm_alice");
            bob.register(address, "dm_bob");
            ConversationRef withBob = ConversationRef.user("dm_bob");
            ConversationRef withAlice = ConversationRef.user("dm_alice");
            alice.conversations().setTimer(withBob, Duration.ofMinutes(1));
            ControlEvent timer = bobEvents.nextControl();
            assertEquals(List.of("TIMER", "dm_alice", "60"), List.of(timer.kind().name(), timer.from(), "" + timer.seconds()));
            assertEquals(Duration.ofMinutes(1), bob.conversations().timer(withAlice));
            assertEquals(List.of("dm_alice set disappearing messages to 1 minute"), bob.conversations().systemLines("dm_alice"));
            assertEquals(bob.conversations().systemLines("dm_alice"), alice.conversations().systemLines("dm_bob"));

            String kept = bob.send("dm_alice", "a message from before"); // bob's timer is alice's now: it carries 60 s too
            assertEquals(60, aliceEvents.nextContent().expireSeconds());
            secret = alice.send("dm_bob", "the vault code is swordfish"); // a plain send carries the conversation's timer
            ContentMessage received = bobEvents.nextContent();
            assertEquals(List.of(secret, "60"), List.of(received.id(), "" + received.expireSeconds()));
            assertEquals(received.serverTime() + 60_000, received.expiresAt(), "it expires 60 s after the server stored it");
            bob.conversations().react(withAlice, "dm_alice", secret, "🔒");
            aliceEvents.nextControl();
            assertEquals(1, bob.conversations().search("swordfish").size());

            bobClock.advance(Duration.ofSeconds(61));
            List<String> expiredAtBob = List.of(bobEvents.expired.poll(10, TimeUnit.SECONDS),
                    bobEvents.expired.poll(10, TimeUnit.SECONDS));
            assertTrue(expiredAtBob.contains("dm_alice/" + secret) && expiredAtBob.contains("dm_bob/" + kept),
                    expiredAtBob::toString);
            assertTrue(bob.conversations().message(withAlice, "dm_alice", secret).isEmpty());
            assertEquals(List.of(), bob.conversations().search("swordfish"));
            assertEquals(List.of(), bob.history("dm_alice"));
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + bob.store().file())) {
                for (String table : List.of("messages", "message_content", "message_reactions", "message_search")) {
                    try (var query = db.prepareStatement("SELECT count(*) FROM " + table + " WHERE id = ?")) {
                        query.setString(1, secret);
                        try (var rs = query.executeQuery()) {
                            assertTrue(rs.next());
                            assertEquals(0, rs.getInt(1), table + " still has the expired message");
                        }
                    }
                }
            }
            assertFalse(alice.conversations().message(withBob, "dm_alice", secret).isEmpty(), "alice's clock is not there yet");
            aliceClock.advance(Duration.ofSeconds(61));
            assertTrue(List.of(aliceEvents.expired.poll(10, TimeUnit.SECONDS), aliceEvents.expired.poll(10, TimeUnit.SECONDS))
                    .contains("dm_alice/" + secret));
            assertTrue(alice.conversations().message(withBob, "dm_alice", secret).isEmpty());
            assertTrue(alice.conversations().search("swordfish").isEmpty());
        }
        // Really deleted: not even in the file's free pages.
        byte[] file = Files.readAllBytes(bobHome.resolve("parley.db"));
        assertFalse(new String(file, StandardCharsets.ISO_8859_1).contains("swordfish"), "the text is gone from the file");
    }
}
