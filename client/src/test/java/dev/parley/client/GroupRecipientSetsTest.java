package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.store.GroupRecipientSetStore;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Group sends through a real server as the frames show them: group updates as whole pairwise
 * messages (no content), and recipient sets (PROTOCOL.md §6a): a text to an unchanged group names
 * the set of its list, a set the server forgot costs one resend with the list and the text
 * still arrives once, and a member who links a device gets the whole list again.
 */
class GroupRecipientSetsTest extends ServerTest {

    @Test
    void updatesGoPairwiseAndATextToAnUnchangedGroupNamesTheSetEvenAfterTheServerForgotIt() throws Exception {
        var bobEvents = new RecordingListener();
        var carolEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), new RecordingListener());
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), carolEvents)) {
            alice.register(address, "rs_alice");
            bob.register(address, "rs_bob");
            carol.register(address, "rs_carol");
            List<SendMulti> frames = new CopyOnWriteArrayList<>();
            alice.parts().groupOutbox.sentTap = frames::add;

            String group = alice.createGroup("sets", List.of("rs_bob", "rs_carol")).id();
            GroupKit.awaitVersion(group, 1, bob, carol);
            assertTrue(alice.flush(Duration.ofSeconds(20)));
            assertTrue(!frames.isEmpty() && frames.stream().allMatch(f -> f.content() == null && f.recipientSet() == null
                    && f.recipients().stream().allMatch(r -> r.devices().stream().allMatch(d -> d.envelope() != null))),
                    "the change goes as one whole pairwise message per device: " + frames);

            frames.clear();
            String m1 = alice.sendGroup(group, "m1");
            assertNull(only(frames, m1).recipientSet(), "the first text names its recipients (and distributes the chain)");
            String m2 = alice.sendGroup(group, "m2");
            SendMulti second = only(frames, m2);
            assertNotNull(second.recipientSet(), "the second text to the same list names the set: " + second);
            assertTrue(second.recipients().isEmpty() && second.content() != null);
            assertEquals(List.of("rs_alice:m1", "rs_alice:m2"), bobEvents.groupTexts(2));
            assertEquals(List.of("rs_alice:m1", "rs_alice:m2"), carolEvents.groupTexts(2));

            // Eight other lists from the same device: the server keeps 8 sets per device and drops the group's.
            for (int i = 0; i < 8; i++) {
                alice.parts().connection().request(new SendMulti(MessageIds.random(dev.parley.protocol.crypto.Randomness.from(
                        new java.security.SecureRandom())), WireJson.base64(new byte[] {1, 2, 3}), List.of(new MultiRecipient(
                        "rs_nobody_" + i, List.of(new MultiDevice(1, null))))), Stored.class, Duration.ofSeconds(20));
            }
            double unknownBefore = unknownSets();
            String m3 = alice.sendGroup(group, "m3");
            List<SendMulti> third = frames.stream().filter(f -> f.id().equals(m3)).toList();
            assertEquals(2, third.size(), third.toString());
            assertNotNull(third.get(0).recipientSet(), "the kept set is named first");
            assertNull(third.get(1).recipientSet(), "after unknown_recipient_set the same frame goes with its list");
            assertEquals(unknownBefore + 1, unknownSets());
            assertEquals(List.of("rs_alice:m3"), bobEvents.groupTexts(1));
            assertEquals(List.of("rs_alice:m3"), carolEvents.groupTexts(1));
            String m4 = alice.sendGroup(group, "m4");
            assertNotNull(only(frames, m4).recipientSet(), "the new set is named from then on");
            assertEquals(List.of("rs_alice:m4"), bobEvents.groupTexts(1));
            assertNull(bobEvents.groupMessages.poll(1, TimeUnit.SECONDS), "m3 arrived once");
            assertEquals(1, bob.groupHistory(group).stream().filter(e -> e.id().equals(m3)).count());
            alice.groupTyping(group, true); // to the same list: names its set
            assertEquals("rs_alice:true", bobEvents.groupTyping.poll(20, TimeUnit.SECONDS));
            assertEquals("rs_alice:true", carolEvents.groupTyping.poll(20, TimeUnit.SECONDS));
            assertTrue(bobEvents.undecryptable.isEmpty() && carolEvents.undecryptable.isEmpty(),
                    bobEvents.undecryptable + " " + carolEvents.undecryptable);
        }
    }

    @Test
    void aMemberLinkingADeviceGetsTheWholeListAgainAndTheNewDeviceTheText() throws Exception {
        var bobEvents = new RecordingListener();
        var bob2Events = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), new RecordingListener());
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), new RecordingListener())) {
            alice.register(address, "rl_alice");
            bob.register(address, "rl_bob");
            carol.register(address, "rl_carol");
            String group = alice.createGroup("link", List.of("rl_bob", "rl_carol")).id();
            GroupKit.awaitVersion(group, 1, bob, carol);
            List<SendMulti> frames = new CopyOnWriteArrayList<>();
            alice.parts().groupOutbox.sentTap = frames::add;
            alice.sendGroup(group, "m1");
            String m2 = alice.sendGroup(group, "m2");
            assertNotNull(only(frames, m2).recipientSet());
            assertEquals(List.of("rl_alice:m1", "rl_alice:m2"), bobEvents.groupTexts(2));

            try (ParleyClient bob2 = DevicesTest.link(bob, dir.resolve("bob2"), "Phone", false, bob2Events)) {
                GroupKit.awaitVersion(group, 1, bob2); // the group's state from bob's first device
                frames.clear();
                String m3 = alice.sendGroup(group, "m3");
                String m4 = alice.sendGroup(group, "m4");
                String m5 = alice.sendGroup(group, "m5");
                assertEquals(List.of("rl_alice:m3", "rl_alice:m4", "rl_alice:m5"), bob2Events.groupTexts(3));
                assertEquals(List.of("rl_alice:m3", "rl_alice:m4", "rl_alice:m5"), bobEvents.groupTexts(3));
                Map<String, List<Integer>> whole = new TreeMap<>(Map.of("rl_bob", List.of(1, 2), "rl_carol", List.of(1)));
                assertTrue(frames.stream().anyMatch(f -> (f.id().equals(m3) || f.id().equals(m4)) && devices(f).equals(whole)),
                        "the whole list, with bob's new device, goes again: " + frames);
                assertNotNull(only(frames, m5).recipientSet(), "and then its set: " + frames);
                assertTrue(alice.store().groupRecipientSets.count(group) <= GroupRecipientSetStore.MAX_PER_GROUP);
            }
        }
    }

    /** The one frame sent for {@code id}. */
    private static SendMulti only(List<SendMulti> frames, String id) {
        List<SendMulti> sent = frames.stream().filter(f -> f.id().equals(id)).toList();
        assertEquals(1, sent.size(), "frames of " + id + ": " + frames);
        return sent.getFirst();
    }

    private static Map<String, List<Integer>> devices(SendMulti frame) {
        Map<String, List<Integer>> devices = new TreeMap<>();
        frame.recipients().forEach(r -> devices.put(r.to(), r.devices().stream().map(MultiDevice::device).sorted().toList()));
        return devices;
    }

    private static double unknownSets() {
        var counter = server.server().metrics().find("parley_multi_unknown_recipient_sets").counter();
        return counter == null ? 0 : counter.count();
    }
}
