package dev.parley.protocol.groups;

import static dev.parley.protocol.groups.GroupTesting.ALICE;
import static dev.parley.protocol.groups.GroupTesting.created;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** StateBytes, SignedChange, group ids and snapshots: exact layouts and strict decoding (CRYPTO.md §11). */
class GroupEncodingTest {

    private static byte[] state(int version, String name, Object... roleAndName) {
        ByteWriter out = new ByteWriter().u8(0x01).bytes(GroupTesting.ID.bytes()).u64(version)
                .u8Prefixed(name.getBytes(StandardCharsets.UTF_8)).u16(roleAndName.length / 2);
        for (int i = 0; i < roleAndName.length; i += 2) {
            out.u8((Integer) roleAndName[i]).u8Prefixed(((String) roleAndName[i + 1]).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static Failure failure(byte[] stateBytes) {
        return assertThrows(ProtocolException.class, () -> GroupState.decode(stateBytes)).failure();
    }

    @Test
    void stateBytesAndHashAreExact() throws Exception {
        GroupState state = created();
        byte[] expected = state(1, "Friends", 1, "alice", 0, "bob", 0, "carol");
        assertArrayEquals(expected, state.encode());
        assertArrayEquals(Digests.sha256(Bytes.concat("parley-group-state-v1".getBytes(StandardCharsets.US_ASCII),
                new byte[1], expected)), state.hash());
        assertEquals(state, GroupState.decode(expected));
    }

    @Test
    void stateDecodingIsStrict() {
        assertEquals(Failure.MALFORMED, failure(state(1, "G", 0, "bob", 1, "alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "G", 1, "alice", 0, "alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "G", 0, "alice", 0, "bob")));
        assertEquals(Failure.MALFORMED, failure(state(1, "G")));
        assertEquals(Failure.MALFORMED, failure(state(0, "G", 1, "alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "", 1, "alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "a\nb", 1, "alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "x".repeat(65), 1, "alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "G", 2, "alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "G", 1, "Alice")));
        assertEquals(Failure.MALFORMED, failure(state(1, "G", 1, "al")));
        byte[] good = state(1, "G", 1, "alice");
        assertEquals(Failure.MALFORMED, failure(Arrays.copyOf(good, good.length + 1)));
        assertEquals(Failure.MALFORMED, failure(Arrays.copyOf(good, good.length - 1)));
        byte[] format = good.clone();
        format[0] = 0x02;
        assertEquals(Failure.UNSUPPORTED_VERSION, failure(format));
        Object[] many = new Object[2002];
        for (int i = 0; i < 1001; i++) {
            many[2 * i] = 1;
            many[2 * i + 1] = String.format("user%04d", i);
        }
        assertEquals(Failure.MALFORMED, failure(state(1, "G", many)));
    }

    @Test
    void changesRoundTripAndDecodeStrictly() throws Exception {
        GroupState state = created();
        List<GroupOp> ops = List.of(new GroupOp.Add(List.of("dave", "erin")), new GroupOp.Remove(List.of("bob")),
                new GroupOp.Leave(), new GroupOp.Rename("New"), new GroupOp.Promote("bob"), new GroupOp.Demote("alice"));
        for (GroupOp op : ops) {
            GroupChange change = GroupChange.next(ALICE, "alice", state, op);
            GroupChange decoded = GroupChange.decode(change.encode());
            assertEquals(change, decoded);
            assertEquals(op, decoded.op());
            assertEquals(2, decoded.version());
            assertArrayEquals(state.hash(), decoded.parentHash());
            assertArrayEquals(Digests.sha256(change.encode()), change.hash());
        }
        GroupChange create = GroupTesting.create();
        assertEquals(create, GroupChange.decode(create.encode()));
        byte[] leave = GroupChange.next(ALICE, "alice", state, new GroupOp.Leave()).encode();
        String head = "01" + Bytes.hex(GroupTesting.ID.bytes()) + "0000000000000002" + Bytes.hex(state.hash())
                + "05" + Bytes.hex("alice".getBytes(StandardCharsets.US_ASCII)) + "04";
        assertEquals(head, Bytes.hex(Arrays.copyOf(leave, leave.length - 64)));

        assertMalformed(Arrays.copyOf(leave, leave.length + 1));
        assertMalformed(Arrays.copyOf(leave, leave.length - 1));
        byte[] unknownOp = leave.clone();
        unknownOp[leave.length - 65] = 0x08;
        assertMalformed(unknownOp);
        byte[] add = GroupChange.next(ALICE, "alice", state, new GroupOp.Add(List.of("dave"))).encode();
        byte[] repeated = Bytes.concat(Arrays.copyOf(add, add.length - 64 - 2 - 5 - 1),
                Bytes.fromHex("0002" + "0464617665" + "0464617665"), new byte[64]);
        assertMalformed(repeated);
        byte[] empty = Bytes.concat(Arrays.copyOf(add, add.length - 64 - 2 - 5 - 1), Bytes.fromHex("0000"), new byte[64]);
        assertMalformed(empty);
    }

    private static void assertMalformed(byte[] change) {
        assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class, () -> GroupChange.decode(change)).failure());
    }

    @Test
    void aChangeNamesAtMost64Usernames() {
        List<String> names = java.util.stream.IntStream.range(0, GroupOp.MAX_USERNAMES + 1).mapToObj(i -> "user" + i).toList();
        assertEquals(64, GroupOp.MAX_USERNAMES);
        assertThrows(IllegalArgumentException.class, () -> new GroupOp.Add(names));
        assertEquals(64, new GroupOp.Add(names.subList(0, 64)).usernames().size());
        assertThrows(IllegalArgumentException.class, () -> new GroupOp.Remove(List.of("bob", "bob")));
        assertThrows(IllegalArgumentException.class, () -> new GroupOp.Promote("Bob"));
        assertThrows(IllegalArgumentException.class, () -> new GroupOp.Rename("\u202Eevil"));
    }

    @Test
    void groupIdsHaveOneTextForm() throws Exception {
        GroupId id = GroupTesting.ID;
        assertEquals(43, id.text().length());
        assertEquals(id, GroupId.parse(id.text()));
        assertEquals(id.text(), id.toString());
        for (String bad : new String[] {"", id.text() + "=", id.text().substring(1), id.text().replace('-', '+') + "A", "!".repeat(43)}) {
            assertThrows(ProtocolException.class, () -> GroupId.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> GroupId.of(new byte[31]));
    }

    @Test
    void snapshotsSplitAndJoinUnderTheirHash() throws Exception {
        GroupState state = created();
        List<byte[]> parts = GroupSnapshots.split(state, 20);
        assertEquals((state.encode().length + 19) / 20, parts.size());
        assertEquals(state, GroupSnapshots.join(1, state.hash(), parts));
        assertEquals(1, GroupSnapshots.split(state, 1 << 15).size());

        byte[] wrongHash = state.hash();
        wrongHash[0] ^= 1;
        assertThrows(ProtocolException.class, () -> GroupSnapshots.join(1, wrongHash, parts));
        assertThrows(ProtocolException.class, () -> GroupSnapshots.join(2, state.hash(), parts));
        assertThrows(ProtocolException.class, () -> GroupSnapshots.join(1, state.hash(), parts.subList(0, parts.size() - 1)));
        assertThrows(ProtocolException.class, () -> GroupSnapshots.join(1, state.hash(), List.of()));
        List<byte[]> swapped = new java.util.ArrayList<>(parts);
        java.util.Collections.swap(swapped, 0, 1);
        assertThrows(ProtocolException.class, () -> GroupSnapshots.join(1, state.hash(), swapped));
        assertThrows(IllegalArgumentException.class, () -> GroupSnapshots.split(state, 0));
    }
}
