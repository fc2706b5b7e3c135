package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.store.ClientStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMessage;
import dev.parley.protocol.groups.SenderKeyReceiver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Removed members read nothing new; new members read nothing old. The removed member here keeps
 * its whole client state from before its removal (every receiving chain it held), as a member
 * that wants to go on reading would; the ciphertexts are those the server relays to a member.
 */
class GroupRemovalTest extends ServerTest {

    /** Every receiving chain a home held: (sender device, chains), read from its store. */
    private static List<SenderKeyReceiver> receivers(Path home, String group) throws ProtocolException {
        List<SenderKeyReceiver> held = new ArrayList<>();
        try (ClientStore store = ClientStore.open(home)) {
            for (String sender : List.of("gr_alice", "gr_bob", "gr_carol", "gr_eve", "gr_frank")) {
                for (int device = 1; device <= 6; device++) {
                    var bytes = store.groups.receiver(group, sender, device);
                    if (bytes.isPresent()) {
                        held.add(SenderKeyReceiver.decode(bytes.get()));
                    }
                }
            }
        }
        return held;
    }

    /** Whether any of {@code chains} opens {@code message}. */
    private static boolean opens(List<SenderKeyReceiver> chains, GroupId group, byte[] message) throws ProtocolException {
        byte[] chainId = GroupMessage.chainId(message);
        for (SenderKeyReceiver receiver : chains) {
            if (receiver.hasChain(chainId)) {
                try {
                    receiver.decrypt(group, message, System.currentTimeMillis());
                    return true;
                } catch (ProtocolException refused) {
                    // this one does not open it
                }
            }
        }
        return false;
    }

    @Test
    void aRemovedMemberWithItsOldStateReadsNothingNewAndALateMemberNothingOld() throws Exception {
        var bobEvents = new RecordingListener();
        var carolEvents = new RecordingListener();
        var eveEvents = new RecordingListener();
        var frankEvents = new RecordingListener();
        Path eveHome = dir.resolve("eve");
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), new RecordingListener());
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), carolEvents);
                ParleyClient frank = ParleyClient.open(dir.resolve("frank"), frankEvents)) {
            alice.register(address, "gr_alice");
            bob.register(address, "gr_bob");
            carol.register(address, "gr_carol");
            frank.register(address, "gr_frank");
            String group;
            BlockingQueue<byte[]> atCarol = GroupKit.capture(carol);
            try (ParleyClient eve = ParleyClient.open(eveHome, eveEvents)) {
                eve.register(address, "gr_eve");
                group = alice.createGroup("secret", List.of("gr_bob", "gr_carol", "gr_eve")).id();
                GroupKit.awaitVersion(group, 1, bob, carol, eve);
                bob.sendGroup(group, "before: everyone");
                alice.sendGroup(group, "before: from alice");
                assertEquals(List.of("gr_bob:before: everyone", "gr_alice:before: from alice"), eveEvents.groupTexts(2));
                assertEquals(2, carolEvents.groupTexts(2).size());
            }
            GroupId id = GroupKit.id(group);
            List<byte[]> before = List.of(atCarol.poll(20, TimeUnit.SECONDS), atCarol.poll(20, TimeUnit.SECONDS));
            // Eve is offline, still a member: the state she keeps opens what is sent meanwhile (the test's own check).
            bob.sendGroup(group, "away: still for eve");
            alice.sendGroup(group, "away: this too");
            assertEquals(2, carolEvents.groupTexts(2).size());
            List<byte[]> away = List.of(atCarol.poll(20, TimeUnit.SECONDS), atCarol.poll(20, TimeUnit.SECONDS));
            List<SenderKeyReceiver> eveChains = receivers(eveHome, group);
            assertTrue(opens(eveChains, id, away.get(0)) && opens(eveChains, id, away.get(1)),
                    "the state eve kept opens what was sent while she was a member");

            alice.removeFromGroup(group, List.of("gr_eve"));
            GroupKit.awaitVersion(group, 2, bob, carol);
            bob.sendGroup(group, "after: not for eve");
            alice.sendGroup(group, "after: nor this");
            assertEquals(List.of("gr_bob:after: not for eve", "gr_alice:after: nor this"), carolEvents.groupTexts(2));
            List<byte[]> after = List.of(atCarol.poll(20, TimeUnit.SECONDS), atCarol.poll(20, TimeUnit.SECONDS));
            for (byte[] message : after) {
                assertNotNull(message);
                assertFalse(opens(eveChains, id, message), "the state eve kept before her removal opens a later message");
            }

            try (ParleyClient eve = ParleyClient.open(eveHome, eveEvents)) {
                eve.connect(null);
                GroupKit.awaitVersion(group, 2, eve);
                assertEquals(GroupInfo.Status.REMOVED, eve.group(group).status());
                assertEquals(List.of("gr_bob:away: still for eve", "gr_alice:away: this too"), eveEvents.groupTexts(2));
                assertTrue(eve.groupHistory(group).stream().noneMatch(e -> e.text().startsWith("after")));
                assertThrows(ClientException.class, () -> eve.sendGroup(group, "still here?"));
            }
            assertTrue(receivers(eveHome, group).isEmpty(), "a removed member's client deletes the group's chains");

            alice.addToGroup(group, List.of("gr_frank"));
            GroupKit.awaitVersion(group, 3, frank, bob, carol);
            bob.sendGroup(group, "welcome frank");
            assertEquals(List.of("gr_bob:welcome frank"), frankEvents.groupTexts(1));
            List<SenderKeyReceiver> frankChains = receivers(dir.resolve("frank"), group);
            assertFalse(frankChains.isEmpty());
            for (byte[] message : List.of(before.get(0), before.get(1), away.get(0), away.get(1), after.get(0), after.get(1))) {
                assertFalse(opens(frankChains, id, message), "a member added later opens an earlier message");
            }
            assertEquals(List.of("gr_alice added gr_frank", "gr_bob:welcome frank"), frank.groupHistory(group).stream()
                    .map(e -> e.kind() == GroupEntry.Kind.TEXT ? e.from() + ":" + e.text() : e.text()).toList());
            assertTrue(eveEvents.groupMessages.isEmpty(), eveEvents.groupMessages::toString);
        }
    }
}
