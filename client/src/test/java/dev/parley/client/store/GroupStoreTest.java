package dev.parley.client.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.GroupEntry;
import dev.parley.client.MessageStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group tables of the client store: the group outbox per recipient, held changes, receipts, unseen texts. */
class GroupStoreTest {

    @TempDir
    Path dir;

    @Test
    void aGroupOutboxEntryLeavesWithItsLastRecipientAndAMessageForNobodyAtOnce() {
        try (ClientStore store = ClientStore.open(dir)) {
            store.groupOutbox.queue("u1", "g", GroupOutboxStore.Kind.UPDATE, new byte[] {1}, List.of("carol", "bob", "self"), 1);
            store.groupOutbox.queue("m1", "g", GroupOutboxStore.Kind.MESSAGE, new byte[] {2}, List.of(), 2);
            assertEquals(List.of("u1", "m1"), store.groupOutbox.entries().stream().map(GroupOutboxStore.Entry::id).toList());
            assertEquals(List.of("carol", "bob", "self"), List.copyOf(store.groupOutbox.entry("u1").orElseThrow().recipients()
                    .keySet()), "recipients keep their order (added members first)");

            Map<String, Map<Integer, String>> envelopes = new java.util.LinkedHashMap<>();
            envelopes.put("carol", new TreeMap<>(Map.of(1, "e-c1", 2, "e-c2")));
            envelopes.put("bob", new TreeMap<>(Map.of(1, "e-b1")));
            store.groupOutbox.sealed("u1", "content", new byte[] {9}, envelopes); // "self" left out: no other device
            var sealed = store.groupOutbox.entry("u1").orElseThrow();
            assertTrue(sealed.sealed());
            assertEquals(List.of("carol", "bob"), List.copyOf(sealed.recipients().keySet()));
            assertEquals(Map.of(1, "e-c1", 2, "e-c2"), sealed.recipients().get("carol"));

            store.groupOutbox.setDevices("u1", "carol", new TreeMap<>(Map.of(2, "e-c2", 3, "e-c3"))); // carol's list changed
            assertEquals(Map.of(2, "e-c2", 3, "e-c3"), store.groupOutbox.entry("u1").orElseThrow().recipients().get("carol"));
            store.groupOutbox.recipientDone("u1", "carol");
            assertTrue(store.groupOutbox.entry("u1").isPresent());
            store.groupOutbox.recipientDone("u1", "bob");
            assertFalse(store.groupOutbox.entry("u1").isPresent(), "the entry leaves with its last recipient");

            store.groupOutbox.sealed("m1", "content", new byte[] {9}, Map.of());
            assertEquals(0, store.groupOutbox.size(), "a message with nobody to send to leaves at once");
        }
    }

    @Test
    void heldChangesAreBoundedAndReceiptsNeverGoDown() {
        try (ClientStore store = ClientStore.open(dir)) {
            for (int i = 0; i < GroupStore.MAX_HELD; i++) {
                assertTrue(store.groups.hold("g", 10 + i, new byte[] {(byte) i}, new byte[] {(byte) i}, 1));
            }
            assertFalse(store.groups.hold("g", 99, new byte[] {99}, new byte[] {99}, 1), "the hold is full");
            assertEquals(GroupStore.MAX_HELD, store.groups.held("g").size());
            assertTrue(store.groups.hold("other", 5, new byte[] {1}, new byte[] {1}, 1), "per group");

            store.groupHistory.add(new GroupEntry("g", "t1", "me", 0, true, GroupEntry.Kind.TEXT, "hi", 1, 0), true);
            assertEquals(MessageStatus.SENDING, store.groupHistory.outgoingStatus("g", "me", "t1").orElseThrow());
            assertTrue(store.groupHistory.receipt("g", "t1", "bob", true));
            assertFalse(store.groupHistory.receipt("g", "t1", "bob", false), "a delivery after the read changes nothing");
            assertTrue(store.groupHistory.receipt("g", "t1", "carol", false));
            assertEquals(Map.of("bob", true, "carol", false), store.groupHistory.receipts("g", "t1"));
            assertFalse(store.groupHistory.receipt("g", "nosuch", "bob", true), "only for a text of ours");

            store.groupHistory.add(new GroupEntry("g", "r1", "bob", 1, false, GroupEntry.Kind.TEXT, "yo", 2, 100), false);
            store.groupHistory.add(new GroupEntry("g", "r2", "me", 2, true, GroupEntry.Kind.TEXT, "from my phone", 3, 101), false);
            assertFalse(store.groupHistory.add(new GroupEntry("g", "r1", "bob", 1, false, GroupEntry.Kind.TEXT, "yo", 2, 100),
                    false), "a replay is not added twice");
            assertEquals(List.of("r1", "r2"), store.groupHistory.unseen().stream().map(GroupEntry::id).toList());
            assertEquals(List.of("r1"), store.groupHistory.markSeen("g", List.of("r1", "r2")).stream().map(GroupEntry::id)
                    .toList(), "only received texts need a read receipt");
            assertEquals(List.of(), store.groupHistory.unseen());
        }
    }
}
