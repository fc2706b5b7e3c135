package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.store.GroupOutboxStore;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.payload.Quote;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Message content and controls through a real server with the SDK: replies, edits, deletes and
 * reactions 1:1 (with the sender's second device) and in a group; forged edits and deletes
 * refused; the 24-hour window on both sides.
 */
class ConversationsTest extends ServerTest {

    @Test
    void replyEditReactAndDeleteOneToOneReachTheSendersOtherDevice() throws Exception {
        var aliceEvents = new RecordingListener();
        var alice2Events = new RecordingListener();
        var bobEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice.register(address, "cv_alice");
            bob.register(address, "cv_bob");
            try (ParleyClient alice2 = DevicesTest.link(alice, dir.resolve("alice2"), "Phone", false, alice2Events)) {
                ConversationRef withBob = ConversationRef.user("cv_bob");
                ConversationRef withAlice = ConversationRef.user("cv_alice");
                String question = bob.send("cv_alice", "lunch at noon?");
                assertEquals(question, aliceEvents.messages.poll(20, TimeUnit.SECONDS).id());

                String reply = alice.conversations().reply(withBob, new Quote("cv_bob", question), "yes, at the usual place");
                ContentMessage atBob = bobEvents.nextContent();
                assertEquals(List.of(reply, "cv_alice", "yes, at the usual place", "cv_bob", question, "false"), List.of(atBob.id(),
                        atBob.from(), atBob.text(), atBob.quote().author(), atBob.quote().id(), "" + atBob.outgoing()));
                assertEquals(withAlice, atBob.conversation());
                ContentMessage atPhone = alice2Events.nextContent();
                assertTrue(atPhone.outgoing() && atPhone.device() == 1 && atPhone.conversation().equals(withBob), atPhone.toString());
                assertEquals(new Quote("cv_bob", question), atPhone.quote());
                DevicesTest.eventually("bob's device stored the reply", () -> alice.status("cv_bob", reply)
                        .map(s -> s.rank() >= MessageStatus.DELIVERED.rank()).orElse(false));

                alice.conversations().edit(withBob, reply, "yes, at the new place");
                assertEquals(ControlEvent.Kind.EDIT, bobEvents.nextControl().kind());
                ContentMessage edited = bob.conversations().message(withAlice, "cv_alice", reply).orElseThrow();
                assertEquals("yes, at the new place", edited.text());
                assertTrue(edited.edited());
                assertEquals(new Quote("cv_bob", question), edited.quote(), "an edit keeps the quote");
                ControlEvent onPhone = alice2Events.nextControl();
                assertEquals(List.of("EDIT", "cv_alice", reply), List.of(onPhone.kind().name(), onPhone.from(), onPhone.target()));
                assertEquals("yes, at the new place", alice2.conversations().message(withBob, "cv_alice", reply).orElseThrow().text());

                // A plain text (0x01) may be edited by its author too; and anyone reacts to anyone's message.
                bob.conversations().edit(withAlice, question, "lunch at one?");
                assertEquals(question, aliceEvents.nextControl().target());
                assertEquals("lunch at one?", alice.conversations().message(withBob, "cv_bob", question).orElseThrow().text());
                bob.conversations().react(withAlice, "cv_alice", reply, "👍");
                ControlEvent reaction = aliceEvents.nextControl();
                assertEquals(List.of("REACTION", "cv_bob", "cv_alice", reply, "👍"), List.of(reaction.kind().name(),
                        reaction.from(), reaction.targetAuthor(), reaction.target(), reaction.emoji()));
                assertEquals(Map.of("cv_bob", "👍"), alice.conversations().message(withBob, "cv_alice", reply).orElseThrow()
                        .reactions());
                awaitReactions(alice2, withBob, reply, Map.of("cv_bob", "👍"), "the phone has bob's reaction");
                bob.conversations().react(withAlice, "cv_alice", reply, "🎉");
                aliceEvents.nextControl();
                assertEquals(Map.of("cv_bob", "🎉"), alice.conversations().message(withBob, "cv_alice", reply).orElseThrow()
                        .reactions(), "one reaction per account: the new one replaces it");
                alice2.conversations().react(withBob, "cv_alice", reply, "❤");
                bobEvents.nextControl();
                ControlEvent fromPhone = aliceEvents.nextControl();
                assertEquals(List.of("cv_alice", "❤"), List.of(fromPhone.from(), fromPhone.emoji()), "the phone's reaction");
                assertEquals(Map.of("cv_bob", "🎉", "cv_alice", "❤"), bob.conversations().message(withAlice, "cv_alice", reply)
                        .orElseThrow().reactions());
                bob.conversations().react(withAlice, "cv_alice", reply, "");
                aliceEvents.nextControl();
                assertEquals(Map.of("cv_alice", "❤"), alice.conversations().message(withBob, "cv_alice", reply).orElseThrow()
                        .reactions(), "an empty emoji removes bob's reaction; the phone's stays");
                // The phone deletes next: it must have had bob's removal first, or that removal, arriving after
                // the delete, is refused there (as it should be: the message is gone).
                awaitReactions(alice2, withBob, reply, Map.of("cv_alice", "❤"), "the phone applied bob's removal");

                // Bob may not edit or delete alice's message: refused before anything is sent.
                ClientException notHis = assertThrows(ClientException.class,
                        () -> bob.conversations().edit(withAlice, reply, "forged"));
                assertEquals(ClientException.Reason.REFUSED, notHis.reason());

                alice2.conversations().delete(withBob, reply); // from the other device: it counts as alice
                assertEquals(ControlEvent.Kind.DELETE, bobEvents.nextControl().kind());
                ContentMessage deleted = bob.conversations().message(withAlice, "cv_alice", reply).orElseThrow();
                assertTrue(deleted.deleted());
                assertEquals("", deleted.text());
                assertNull(deleted.quote());
                assertEquals(Map.of(), deleted.reactions());
                DevicesTest.eventually("alice's laptop applied the delete", () -> {
                    try {
                        return alice.conversations().message(withBob, "cv_alice", reply).orElseThrow().deleted();
                    } catch (ClientException e) {
                        throw new AssertionError(e);
                    }
                });
                assertEquals(List.of(), bob.conversations().search("place"), "a deleted text is not found");
                assertEquals(List.of(question), bob.conversations().search("one").stream().map(SearchHit::id).toList());
                for (RecordingListener events : List.of(aliceEvents, alice2Events, bobEvents)) {
                    assertTrue(events.refusedControls.isEmpty(), events.refusedControls::toString);
                    assertTrue(events.undecryptable.isEmpty(), events.undecryptable::toString);
                }
            }
        }
    }

    @Test
    void inAGroupControlsApplyEverywhereAndForgedOnesAreRefused() throws Exception {
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        var malloryEvents = new RecordingListener();
        var alice2Events = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient mallory = ParleyClient.open(dir.resolve("mallory"), malloryEvents)) {
            alice.register(address, "cg_alice");
            bob.register(address, "cg_bob");
            mallory.register(address, "cg_mallory");
            ParleyClient alice2 = DevicesTest.link(alice, dir.resolve("alice2"), "Phone", false, alice2Events);
            String group = alice.createGroup("plans", List.of("cg_bob", "cg_mallory")).id();
            GroupKit.awaitVersion(group, 1, bob, mallory, alice2);
            ConversationRef plans = ConversationRef.group(group);

            String first = alice.sendGroup(group, "meeting on friday");
            assertEquals(List.of("cg_alice:meeting on friday"), bobEvents.groupTexts(1));
            String reply = bob.conversations().reply(ConversationRef.group("plans"), new Quote("cg_alice", first), "friday works");
            ContentMessage atAlice = aliceEvents.nextContent();
            assertEquals(List.of(plans.toString(), "cg_bob", reply, "friday works", first), List.of(atAlice.conversation()
                    .toString(), atAlice.from(), atAlice.id(), atAlice.text(), atAlice.quote().id()));
            assertEquals(reply, malloryEvents.nextContent().id());
            DevicesTest.eventually("alice's device stored bob's reply", () -> {
                try {
                    return bob.groupReceipts(group, reply).deliveredTo().contains("cg_alice");
                } catch (ClientException e) {
                    throw new AssertionError(e);
                }
            });

            alice.conversations().edit(plans, first, "meeting on saturday");
            assertEquals(first, bobEvents.nextControl().target());
            assertEquals(first, malloryEvents.nextControl().target());
            assertEquals("meeting on saturday", bob.conversations().message(plans, "cg_alice", first).orElseThrow().text());
            ControlEvent onPhone = alice2Events.nextControl(); // alice's other device is a member: it applies her edit too
            assertEquals(List.of("cg_alice", first), List.of(onPhone.from(), onPhone.target()));
            assertEquals("meeting on saturday", alice2.conversations().message(plans, "cg_alice", first).orElseThrow().text());
            mallory.conversations().react(plans, "cg_bob", reply, "👀");
            assertEquals("👀", bobEvents.nextControl().emoji());
            assertEquals(Map.of("cg_mallory", "👀"), alice.conversations().message(plans, "cg_bob", reply).orElseThrow().reactions());

            // Mallory's client refuses to change alice's message; a modified client sends it anyway: every member refuses it.
            assertThrows(ClientException.class, () -> mallory.conversations().edit(plans, first, "meeting cancelled"));
            for (Payload forged : List.of(new Payload.Edit(MessageIds.random(rng()), System.currentTimeMillis(), first,
                    "meeting cancelled"), new Payload.Delete(MessageIds.random(rng()), System.currentTimeMillis(), first))) {
                mallory.store().groupOutbox.queue(forged.id(), group, GroupOutboxStore.Kind.MESSAGE, PayloadCodec.encode(forged),
                        List.of(), System.currentTimeMillis());
                mallory.parts().groupOutbox.pump();
                assertTrue(bobEvents.nextRefused().contains("cg_mallory: message " + first + " is not cg_mallory's"));
                assertTrue(aliceEvents.nextRefused().contains("not cg_mallory's"));
            }
            ContentMessage intact = bob.conversations().message(plans, "cg_alice", first).orElseThrow();
            assertEquals("meeting on saturday", intact.text());
            assertFalse(intact.deleted());
            assertTrue(bob.groupHistory(group).stream().anyMatch(e -> e.kind() == GroupEntry.Kind.WARNING
                    && e.text().contains("refused edit from cg_mallory")), "a warning in the group's history");

            alice2.conversations().delete(plans, first); // from alice's other device: the author's too
            bobEvents.nextControl();
            DevicesTest.eventually("alice's laptop applied her phone's delete", () -> {
                try {
                    return alice.conversations().message(plans, "cg_alice", first).orElseThrow().deleted();
                } catch (ClientException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(bob.conversations().message(plans, "cg_alice", first).orElseThrow().deleted());
            ContentMessage quoting = bob.conversations().message(plans, "cg_bob", reply).orElseThrow();
            assertEquals(first, quoting.quote().id(), "a quote stays when the quoted message is gone");
            assertEquals(List.of(), mallory.conversations().search("saturday"));
            List<SearchHit> hits = mallory.conversations().search("friday works");
            assertEquals(1, hits.size());
            assertEquals(List.of(plans, "cg_bob", reply), List.of(hits.getFirst().conversation(), hits.getFirst().author(),
                    hits.getFirst().id()));
            assertTrue(hits.getFirst().snippet().contains("[friday]"), hits.getFirst().snippet());
            alice2.close();
        }
    }

    /** Waits until {@code client} shows exactly {@code expected} reactions on cv_alice's {@code message}. */
    private static void awaitReactions(ParleyClient client, ConversationRef conversation, String message,
                                       Map<String, String> expected, String what) throws InterruptedException {
        DevicesTest.eventually(what, () -> {
            try {
                return client.conversations().message(conversation, "cv_alice", message).orElseThrow().reactions()
                        .equals(expected);
            } catch (ClientException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aForgedEditOfSomeoneElsesMessageOneToOneIsRefused() throws Exception {
        var bobEvents = new RecordingListener();
        var malloryEvents = new RecordingListener();
        try (ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient mallory = ParleyClient.open(dir.resolve("mallory"), malloryEvents)) {
            bob.register(address, "cf_bob");
            mallory.register(address, "cf_mallory");
            String bobs = bob.send("cf_mallory", "my account number is 1234");
            assertEquals(bobs, malloryEvents.messages.poll(20, TimeUnit.SECONDS).id());
            Payload forged = new Payload.Edit(MessageIds.random(rng()), System.currentTimeMillis(), bobs, "send money to 9999");
            mallory.store().outbox.queue("cf_bob", forged.id(), PayloadCodec.encode(forged), System.currentTimeMillis());
            mallory.parts().outbox.pump();
            assertTrue(bobEvents.nextRefused().startsWith("EDIT cf_mallory: message " + bobs + " is not cf_mallory's"));
            assertEquals("my account number is 1234", bob.conversations().message(ConversationRef.user("cf_mallory"), "cf_bob",
                    bobs).orElseThrow().text());
            assertTrue(bobEvents.controls.isEmpty());
        }
    }

    @Test
    void editsAndDeletesAreRefusedMoreThan24HoursAfterTheirTarget() throws Exception {
        var aliceClock = new TestClock();
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        var options = new ParleyClient.Options(aliceEvents, aliceClock, new SecureRandom(), Duration.ofSeconds(30), "Laptop");
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), options);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice.register(address, "cw_alice");
            bob.register(address, "cw_bob");
            String old = alice.send("cw_bob", "an old message");
            String recent = alice.send("cw_bob", "a recent message");
            assertEquals(2, bobEvents.texts(2).size());
            // At bob's, the first arrived (by the server's clock) 25 hours ago: alice's edit now comes too late.
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + bob.store().file())) {
                try (var update = db.prepareStatement("UPDATE messages SET server_time = server_time - ? WHERE id = ?")) {
                    update.setLong(1, Duration.ofHours(25).toMillis());
                    update.setString(2, old);
                    assertEquals(1, update.executeUpdate());
                }
            }
            ConversationRef withBob = ConversationRef.user("cw_bob");
            alice.conversations().edit(withBob, old, "rewritten history");
            assertTrue(bobEvents.nextRefused().contains("more than 24 hours old"));
            alice.conversations().edit(withBob, recent, "a recent message, edited");
            assertEquals(recent, bobEvents.nextControl().target());
            ConversationRef withAlice = ConversationRef.user("cw_alice");
            assertEquals("an old message", bob.conversations().message(withAlice, "cw_alice", old).orElseThrow().text());

            // On the sender's side, by its clock: a day later its own client refuses before sending.
            aliceClock.advance(Duration.ofHours(25));
            ClientException late = assertThrows(ClientException.class, () -> alice.conversations().delete(withBob, recent));
            assertTrue(late.getMessage().contains("more than 24 hours old"), late.getMessage());
            assertFalse(alice.conversations().message(withBob, "cw_alice", recent).orElseThrow().deleted());
        }
    }

    private static dev.parley.protocol.crypto.Randomness rng() {
        return dev.parley.protocol.crypto.Randomness.from(new SecureRandom());
    }
}
