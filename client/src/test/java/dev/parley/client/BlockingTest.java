package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Blocking with the SDK through a real server: a blocked account's texts, typing and receipts
 * are dropped (no delivery receipt goes back), sending to it is refused, unblocking lets new
 * messages in; the block list is kept in the store and synced to the account's other device
 * both ways with the block payload.
 */
class BlockingTest extends ServerTest {

    @Test
    void aBlockedAccountsMessagesTypingAndReceiptsAreDroppedAndNothingIsSentToIt() throws Exception {
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice.register(address, "bk_alice");
            bob.register(address, "bk_bob");
            String before = bob.send("bk_alice", "before the block");
            assertEquals(List.of("before the block"), aliceEvents.texts(1));
            assertEquals(before, bobEvents.delivered.poll(20, TimeUnit.SECONDS));
            String mine = alice.send("bk_bob", "a text bob will read");
            assertEquals(List.of("a text bob will read"), bobEvents.texts(1));

            alice.blocking().block("bk_bob");
            assertTrue(alice.blocking().isBlocked("bk_bob"));
            assertEquals(List.of("bk_bob"), alice.blocking().blocked());
            assertEquals(Contact.Trust.UNVERIFIED, alice.contact("bk_bob").orElseThrow().trust(), "not an identity change");

            bob.markRead("bk_alice", List.of(mine));
            bob.typing("bk_alice", true);
            String whileBlocked = bob.send("bk_alice", "sent while blocked");
            assertTrue(bob.flush(java.time.Duration.ofSeconds(20)));
            assertNull(aliceEvents.messages.poll(2, TimeUnit.SECONDS), "the text is not reported");
            assertTrue(aliceEvents.typing.isEmpty(), "typing is not reported");
            assertTrue(aliceEvents.read.isEmpty(), "the read receipt is not reported");
            assertEquals(Optional.of(MessageStatus.STORED), alice.status("bk_bob", mine), "the receipt changed nothing");
            assertTrue(alice.history("bk_bob").stream().noneMatch(e -> e.text().equals("sent while blocked")), "nothing is stored");
            assertNull(bobEvents.delivered.poll(1, TimeUnit.SECONDS), "no delivery receipt goes back");
            assertEquals(Optional.of(MessageStatus.STORED), bob.status("bk_alice", whileBlocked));

            ClientException refused = assertThrows(ClientException.class, () -> alice.send("bk_bob", "hello?"));
            assertEquals(ClientException.Reason.REFUSED, refused.reason());
            assertThrows(ClientException.class, () -> alice.blocking().block("bk_alice"), "not oneself");

            GroupInfo group = bob.createGroup("Blocked club", List.of("bk_alice"));
            assertTrue(bob.flush(java.time.Duration.ofSeconds(20)));
            DevicesTest.eventually("alice has the group", () -> {
                try {
                    return alice.groups().stream().anyMatch(g -> g.id().equals(group.id()));
                } catch (ClientException e) {
                    return false;
                }
            });
            bob.sendGroup(group.id(), "a group text while blocked");
            assertTrue(bob.flush(java.time.Duration.ofSeconds(20)));
            assertNull(aliceEvents.groupMessages.poll(2, TimeUnit.SECONDS), "a blocked member's group text is dropped");

            alice.blocking().unblock("bk_bob");
            assertFalse(alice.blocking().isBlocked("bk_bob"));
            bob.sendGroup(group.id(), "a group text after the unblock");
            GroupEntry after = aliceEvents.groupMessages.poll(20, TimeUnit.SECONDS);
            assertEquals("a group text after the unblock", after == null ? null : after.text());
            bob.send("bk_alice", "after the unblock");
            assertEquals(List.of("after the unblock"), aliceEvents.texts(1));
            assertTrue(aliceEvents.undecryptable.isEmpty(), "the sessions went on while blocked: " + aliceEvents.undecryptable);
        }
    }

    @Test
    void theBlockListIsKeptAndSyncedToTheAccountsOtherDeviceBothWays() throws Exception {
        var alice1Events = new RecordingListener();
        var alice2Events = new RecordingListener();
        var bobEvents = new RecordingListener();
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), alice1Events);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice1.register(address, "bs_alice");
            bob.register(address, "bs_bob");
            try (ParleyClient alice2 = DevicesTest.link(alice1, dir.resolve("alice2"), "Phone", false, alice2Events)) {
                alice1.blocking().block("bs_bob");
                DevicesTest.eventually("the block reaches the other device", () -> alice2.blocking().isBlocked("bs_bob"));
                bob.send("bs_alice", "dropped on both devices");
                assertTrue(bob.flush(java.time.Duration.ofSeconds(20)));
                assertNull(alice1Events.messages.poll(2, TimeUnit.SECONDS));
                assertNull(alice2Events.messages.poll(1, TimeUnit.SECONDS));

                alice2.blocking().unblock("bs_bob");
                DevicesTest.eventually("the unblock reaches the first device", () -> !alice1.blocking().isBlocked("bs_bob"));
                alice2.blocking().block("bs_bob");
            }
            DevicesTest.eventually("blocked again from the phone", () -> alice1.blocking().isBlocked("bs_bob"));
        }
        try (ParleyClient reopened = ParleyClient.open(dir.resolve("alice1"))) {
            assertEquals(List.of("bs_bob"), reopened.blocking().blocked(), "kept in the store");
        }
    }
}
