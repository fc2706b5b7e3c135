package dev.parley.protocol.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.payload.HistoryEntry.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sync payloads 0x06..0x0A (CRYPTO.md §4): exact layouts, strict decoding, chunking. */
class SyncPayloadTest {

    private static final byte[] IK = Bytes.fromHex("ab".repeat(64));

    static List<Payload> samples() {
        return List.of(
                new Payload.SentTranscript("m-1", 10L, "bob", "hello \u00e9"),
                new Payload.ReadUpTo("r-1", 11L, "carol_2", 1_767_225_600_000L),
                new Payload.TrustDecision("t-1", 12L, "bob", IK, TrustState.ACCEPTED_CHANGE),
                new Payload.DeviceLinked("d-1", 13L, 3, 1_767_225_600_000L, "Laptop"),
                new Payload.HistoryChunk("h-1", 14L, 0, 2, List.of(
                        new HistoryEntry(Direction.INCOMING, "bob", "m-7", 5L, "hi"),
                        new HistoryEntry(Direction.OUTGOING, "bob", "m-8", 6L, ""))));
    }

    @Test
    void everySyncTypeRoundTrips() throws ProtocolException {
        for (Payload payload : samples()) {
            byte[] encoded = PayloadCodec.encode(payload);
            assertEquals(payload, PayloadCodec.decode(encoded));
            assertEquals(payload.type(), encoded[1]);
        }
    }

    @Test
    void layoutsAreExact() {
        String head = "0109" + "000000000000000d" + "03" + Bytes.hex("d-1".getBytes());
        assertEquals(head + "03" + "0000019b76daa800" + "06" + Bytes.hex("Laptop".getBytes()),
                Bytes.hex(PayloadCodec.encode(samples().get(3))));
        String trust = "0108" + "000000000000000c" + "03" + Bytes.hex("t-1".getBytes()) + "03" + Bytes.hex("bob".getBytes())
                + "ab".repeat(64) + "02";
        assertEquals(trust, Bytes.hex(PayloadCodec.encode(samples().get(2))));
        String chunk = "010a" + "000000000000000e" + "03" + Bytes.hex("h-1".getBytes()) + "0000" + "0002" + "0002"
                + "00" + "03" + Bytes.hex("bob".getBytes()) + "03" + Bytes.hex("m-7".getBytes()) + "0000000000000005"
                + "00000002" + Bytes.hex("hi".getBytes())
                + "01" + "03" + Bytes.hex("bob".getBytes()) + "03" + Bytes.hex("m-8".getBytes()) + "0000000000000006" + "00000000";
        assertEquals(chunk, Bytes.hex(PayloadCodec.encode(samples().get(4))));
    }

    @Test
    void malformedSyncPayloadsAreRefused() {
        List<byte[]> bad = new ArrayList<>();
        for (Payload payload : samples()) {
            bad.add(Bytes.concat(PayloadCodec.encode(payload), new byte[1])); // trailing byte
            byte[] encoded = PayloadCodec.encode(payload);
            bad.add(Arrays.copyOf(encoded, encoded.length - 1)); // truncated
        }
        bad.add(body(0x08, w -> w.u8Prefixed("bob".getBytes()).bytes(IK).u8(3))); // trust state 3
        bad.add(body(0x07, w -> w.u8Prefixed("Bob".getBytes()).u64(1))); // not a username
        bad.add(body(0x07, w -> w.u8Prefixed("x".repeat(33).getBytes()).u64(1))); // too long
        bad.add(body(0x07, w -> w.u8Prefixed("bob".getBytes()).u64(1L << 53))); // beyond 2^53-1
        bad.add(body(0x09, w -> w.u8(0).u64(1).u8Prefixed("Laptop".getBytes()))); // device id 0
        bad.add(body(0x09, w -> w.u8(2).u64(1).u8(0))); // empty name
        bad.add(body(0x09, w -> w.u8(2).u64(1).u8Prefixed("a\u0007".getBytes()))); // control character
        bad.add(body(0x0A, w -> w.u16(2).u16(2).u16(0))); // index not below total
        bad.add(body(0x0A, w -> w.u16(0).u16(0).u16(0))); // total 0
        bad.add(body(0x0A, w -> w.u16(0).u16(1).u16(1).u8(2).u8Prefixed("bob".getBytes()).u8Prefixed("m".getBytes())
                .u64(1).u32(0))); // direction 2
        bad.add(body(0x0A, w -> w.u16(0).u16(1).u16(1).u8(0).u8Prefixed("bob".getBytes()).u8(0).u64(1).u32(0))); // empty id
        bad.add(body(0x06, w -> w.u8Prefixed("bob".getBytes()).u32Prefixed(new byte[] {(byte) 0xFF}))); // bad UTF-8
        for (byte[] bytes : bad) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> PayloadCodec.decode(bytes), Bytes.hex(bytes));
            assertEquals(Failure.MALFORMED, e.failure(), e.getMessage());
        }
    }

    @Test
    void historyIsPackedIntoChunksThatFitTheLargestBucket() throws ProtocolException {
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(new HistoryEntry(Direction.OUTGOING, "bob", "m-" + i, i, "x".repeat(2000)));
        }
        HistoryEntry huge = new HistoryEntry(Direction.INCOMING, "bob", "big", 1, "y".repeat(Padding.MAX_PAYLOAD));
        entries.add(10, huge);
        HistoryChunks.Packed packed = HistoryChunks.pack(entries, 8);
        assertEquals(List.of(huge), packed.tooLarge());
        int total = packed.chunks().size();
        assertTrue(total >= 4, "50 x 2 KB needs several 32 KB chunks");
        List<HistoryEntry> sent = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Payload chunk = new Payload.HistoryChunk("chunk-%02d".formatted(i), 1L, i, total, packed.chunks().get(i));
            Payload back = Padding.unpadAndDecode(Padding.encodeAndPad(chunk));
            sent.addAll(((Payload.HistoryChunk) back).entries());
        }
        entries.remove(huge);
        assertEquals(entries, sent);
    }

    @Test
    void syncPayloadsPrintNoText() {
        for (Payload payload : samples()) {
            assertFalse(payload.toString().contains("hello"), payload.toString());
            assertFalse(payload.toString().contains("Laptop"), payload.toString());
            assertFalse(payload.toString().contains("hi\""), payload.toString());
        }
        assertFalse(new Payload.Text("m", 1L, "secret words").toString().contains("secret"));
    }

    private interface Body {
        void write(ByteWriter out);
    }

    private static byte[] body(int type, Body body) {
        ByteWriter out = new ByteWriter().u8(1).u8(type).u64(1).u8Prefixed("x".getBytes());
        body.write(out);
        return out.toByteArray();
    }
}
