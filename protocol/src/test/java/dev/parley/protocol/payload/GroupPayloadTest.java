package dev.parley.protocol.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMember;
import dev.parley.protocol.groups.SenderChain;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group payloads 0x0B..0x0E (CRYPTO.md §4, §11): exact layouts and strict decoding. */
class GroupPayloadTest {

    static final GroupId GROUP = GroupId.random(new DeterministicRandomness("payload group"));
    static final GroupChange CREATE = GroupChange.create(IdentityKeyPair.generate(new DeterministicRandomness("alice")),
            "alice", GROUP, "Friends", List.of(new GroupMember("alice", true), new GroupMember("bob", false)));

    static List<Payload> samples() {
        return List.of(
                new Payload.SenderKey("k-1", 20L, SenderChain.generate(new DeterministicRandomness("chain")).distribution(GROUP)),
                new Payload.GroupChangeUpdate("c-1", 21L, CREATE),
                new Payload.GroupSnapshotPart("s-1", 22L, GROUP, 7, Bytes.fromHex("cd".repeat(32)), 1, 3, new byte[] {1, 2, 3}),
                new Payload.GroupReceipt("r-1", 23L, GROUP, false, List.of("m-1", "m-2")),
                new Payload.GroupReceipt("r-2", 24L, GROUP, true, List.of("m-3")),
                new Payload.GroupReadUpTo("u-1", 25L, GROUP, 1_767_225_600_000L));
    }

    @Test
    void everyGroupTypeRoundTrips() throws ProtocolException {
        for (Payload payload : samples()) {
            byte[] encoded = PayloadCodec.encode(payload);
            assertEquals(payload, PayloadCodec.decode(encoded));
            assertEquals(payload.type(), encoded[1]);
        }
    }

    private static String head(int type, long sentAt, String id) {
        return "01" + String.format("%02x", type) + String.format("%016x", sentAt) + String.format("%02x", id.length())
                + Bytes.hex(id.getBytes());
    }

    @Test
    void layoutsAreExact() {
        String group = Bytes.hex(GROUP.bytes());
        List<Payload> s = samples();
        assertEquals(head(0x0B, 20, "k-1") + Bytes.hex(((Payload.SenderKey) s.get(0)).distribution().encode()),
                Bytes.hex(PayloadCodec.encode(s.get(0))));
        byte[] change = CREATE.encode();
        assertEquals(head(0x0C, 21, "c-1") + group + "01" + String.format("%08x", change.length) + Bytes.hex(change),
                Bytes.hex(PayloadCodec.encode(s.get(1))));
        assertEquals(head(0x0C, 22, "s-1") + group + "02" + "0000000000000007" + "cd".repeat(32) + "0001" + "0003"
                + "00000003" + "010203", Bytes.hex(PayloadCodec.encode(s.get(2))));
        assertEquals(head(0x0D, 23, "r-1") + group + "02" + "0002" + "03" + Bytes.hex("m-1".getBytes()) + "03"
                + Bytes.hex("m-2".getBytes()), Bytes.hex(PayloadCodec.encode(s.get(3))));
        assertEquals(head(0x0D, 24, "r-2") + group + "03" + "0001" + "03" + Bytes.hex("m-3".getBytes()),
                Bytes.hex(PayloadCodec.encode(s.get(4))));
        assertEquals(head(0x0E, 25, "u-1") + group + "0000019b76daa800", Bytes.hex(PayloadCodec.encode(s.get(5))));
    }

    private static void assertMalformed(String hex) {
        assertEquals(Failure.MALFORMED,
                assertThrows(ProtocolException.class, () -> PayloadCodec.decode(Bytes.fromHex(hex))).failure(), hex);
    }

    @Test
    void decodingIsStrict() {
        for (Payload payload : samples()) {
            String hex = Bytes.hex(PayloadCodec.encode(payload));
            assertMalformed(hex + "00");
            assertMalformed(hex.substring(0, hex.length() - 2));
        }
        String group = Bytes.hex(GROUP.bytes());
        String otherGroup = Bytes.hex(GroupId.random(new DeterministicRandomness("other")).bytes());
        byte[] change = CREATE.encode();
        assertMalformed(head(0x0C, 1, "c") + otherGroup + "01" + String.format("%08x", change.length) + Bytes.hex(change));
        assertMalformed(head(0x0C, 1, "c") + group + "03");
        assertMalformed(head(0x0C, 1, "s") + group + "02" + "0000000000000001" + "cd".repeat(32) + "0003" + "0003" + "00000001" + "01");
        assertMalformed(head(0x0C, 1, "s") + group + "02" + "0000000000000001" + "cd".repeat(32) + "0000" + "0000" + "00000001" + "01");
        assertMalformed(head(0x0C, 1, "s") + group + "02" + "0000000000000000" + "cd".repeat(32) + "0000" + "0001" + "00000001" + "01");
        assertMalformed(head(0x0C, 1, "s") + group + "02" + "0000000000000001" + "cd".repeat(32) + "0000" + "0001" + "00000000");
        assertMalformed(head(0x0D, 1, "r") + group + "01" + "0000");
        assertMalformed(head(0x0D, 1, "r") + group + "02" + "0001" + "00");
        assertMalformed(head(0x0E, 1, "u") + group + "0020000000000000");
        byte[] distribution = PayloadCodec.encode(samples().get(0));
        assertMalformed(Bytes.hex(Arrays.copyOf(distribution, distribution.length - 1)));
    }
}
