package dev.parley.protocol.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Payload encoding and padding (CRYPTO.md §4). */
class PayloadTest {

    @Test
    void everyTypeRoundTrips() throws ProtocolException {
        List<Payload> payloads = List.of(
                new Payload.Text("m-1", 1_700_000_000_000L, "hello \u00e9\u6f22 \ud83d\udc4b"),
                new Payload.DeliveryReceipt("r-1", 1L, List.of("m-1", "m-2")),
                new Payload.ReadReceipt("r-2", 2L, List.of()),
                new Payload.Typing("t-1", 3L, true),
                new Payload.Typing("t-2", 4L, false),
                new Payload.ContentKey("m-9", 5L, new byte[32], Bytes.fromHex("00".repeat(31) + "ff")));
        for (Payload payload : payloads) {
            byte[] padded = Padding.encodeAndPad(payload);
            Payload decoded = Padding.unpadAndDecode(padded);
            assertArrayEquals(PayloadCodec.encode(payload), PayloadCodec.encode(decoded), payload.toString());
            assertEquals(256, padded.length, "small payloads share the smallest bucket");
        }
    }

    @Test
    void textLayoutIsExact() {
        byte[] encoded = PayloadCodec.encode(new Payload.Text("id", 0x0102030405060708L, "hi"));
        assertEquals("0101" + "0102030405060708" + "02" + "6964" + "00000002" + "6869", Bytes.hex(encoded));
    }

    @Test
    void unknownTypeIsIgnorableButUnknownVersionIsRefused() throws ProtocolException {
        byte[] unknown = Bytes.fromHex("01" + "7f" + "0000000000000001" + "0161" + "c0ffee");
        Payload payload = PayloadCodec.decode(unknown);
        assertInstanceOf(Payload.Unknown.class, payload);
        assertEquals(0x7f, payload.type());
        byte[] futureVersion = Bytes.fromHex("02" + "01" + "0000000000000001" + "0161" + "00000000");
        assertEquals(Failure.UNSUPPORTED_VERSION, assertThrows(ProtocolException.class, () -> PayloadCodec.decode(futureVersion)).failure());
    }

    @Test
    void malformedPayloadsAreRefused() {
        for (String hex : new String[] {
                "0101000000000000000100",                    // empty id
                "01010000000000000001016100000005616263",    // text length beyond the end
                "0101000000000000000101610000000161ff",      // trailing byte
                "010400000000000000010161" + "02",           // typing state 2
                "0101000000000000000101610000000180",        // invalid UTF-8
        }) {
            assertThrows(ProtocolException.class, () -> PayloadCodec.decode(Bytes.fromHex(hex)), hex);
        }
    }

    @Test
    void bucketsArePowersOfTwoFrom256To32768() throws ProtocolException {
        assertEquals(256, Padding.bucketFor(0));
        assertEquals(256, Padding.bucketFor(255));
        assertEquals(512, Padding.bucketFor(256));
        assertEquals(1024, Padding.bucketFor(512));
        assertEquals(32768, Padding.bucketFor(32767));
        assertEquals(Failure.TOO_LARGE, assertThrows(ProtocolException.class, () -> Padding.bucketFor(32768)).failure());
        byte[] padded = Padding.pad(new byte[255]);
        assertEquals(256, padded.length);
        assertEquals((byte) 0x80, padded[255]);
    }

    @Test
    void badPaddingIsRefused() {
        assertThrows(ProtocolException.class, () -> Padding.unpad(new byte[256]));
        assertThrows(ProtocolException.class, () -> Padding.unpad(Bytes.fromHex("0102")));
        assertThrows(ProtocolException.class, () -> Padding.unpad(new byte[0]));
        assertThrows(ProtocolException.class, () -> Padding.unpad(new byte[65536]));
    }

    @Test
    void unpadStripsExactlyOneMarker() throws ProtocolException {
        assertArrayEquals(Bytes.fromHex("0180"), Padding.unpad(Bytes.fromHex("01808000")));
    }
}
