package dev.parley.server.delivery;

import static dev.parley.server.delivery.MultiSendTest.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RecipientSets} alone: what a set holds, whose it is, and both bounds. */
class RecipientSetsTest {

    /** {@code count} accounts of two devices each. */
    private static List<MultiRecipient> group(String prefix, int count) {
        List<MultiRecipient> recipients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            recipients.add(to(prefix + "_member_" + i, 1, 255));
        }
        return recipients;
    }

    @Test
    void aSetHoldsTheNamedAccountsAndDevicesWithoutEnvelopesForItsDeviceOnly() {
        var sets = new RecipientSets(1 << 20, new SecureRandom());
        var named = List.of(new MultiRecipient("bob", List.of(new MultiDevice(2, "RU5W"), new MultiDevice(1, null))),
                to("carol", 3));
        String id = sets.issue("alice", 1, named);
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        assertEquals(List.of(to("bob", 2, 1), to("carol", 3)), sets.expand("alice", 1, id), "in the frame's order");
        assertNull(sets.expand("alice", 2, id), "another device");
        assertNull(sets.expand("mallory", 1, id), "another account");
        assertEquals(id, sets.issue("alice", 1, List.of(to("bob", 2, 1), to("carol", 3))), "the same list: the same set");
        assertTrue(!id.equals(sets.issue("alice", 2, named)), "another device's set of the same list is its own");
        var thousand = group("g", 1000);
        String large = sets.issue("alice", 1, thousand);
        assertEquals(thousand, sets.expand("alice", 1, large));
    }

    @Test
    void aDeviceKeepsEightSetsTheLeastRecentlyUsedGoesFirst() {
        var sets = new RecipientSets(1 << 20, new SecureRandom());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RecipientSets.PER_DEVICE; i++) {
            ids.add(sets.issue("alice", 1, List.of(to("user_" + i, 1))));
        }
        assertNotNull(sets.expand("alice", 1, ids.get(0)));
        String ninth = sets.issue("alice", 1, List.of(to("user_8", 1)));
        assertNull(sets.expand("alice", 1, ids.get(1)), "the least recently used");
        assertNotNull(sets.expand("alice", 1, ids.get(0)), "used after the others");
        assertNotNull(sets.expand("alice", 1, ninth));
        assertEquals(RecipientSets.PER_DEVICE, sets.size());
        sets.issue("alice", 2, List.of(to("user_0", 1)));
        assertEquals(RecipientSets.PER_DEVICE + 1, sets.size(), "the bound is per device");
    }

    @Test
    void theServerKeepsAtMostItsBytesTheLeastRecentlyUsedGoesFirst() {
        var thousand = group("big", 1000);
        long oneSet = RecipientSets.OVERHEAD_BYTES + RecipientSets.encode(thousand).length();
        var sets = new RecipientSets(3 * oneSet + oneSet / 2, new SecureRandom());
        String a = sets.issue("a_user", 1, thousand);
        String b = sets.issue("b_user", 1, thousand);
        String c = sets.issue("c_user", 1, thousand);
        assertEquals(3 * oneSet, sets.bytes());
        assertNotNull(sets.expand("a_user", 1, a));
        String d = sets.issue("d_user", 1, thousand);
        assertNull(sets.expand("b_user", 1, b), "the least recently used over the whole server");
        for (var held : List.of(List.of("a_user", a), List.of("c_user", c), List.of("d_user", d))) {
            assertNotNull(sets.expand(held.get(0), 1, held.get(1)), held.get(0));
        }
        assertEquals(3 * oneSet, sets.bytes(), "counted down with the evicted set");
        assertTrue(sets.bytes() <= 3 * oneSet + oneSet / 2);
    }
}
