package dev.parley.protocol.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.testing.TestDevice;
import org.junit.jupiter.api.Test;

/** One message to several devices through their pairwise sessions (CRYPTO.md §5). */
class FanOutTest {

    @Test
    void twoDevicesOpenTheSameContent() throws ProtocolException {
        TestDevice alice = new TestDevice("alice");
        TestDevice bobPhone = new TestDevice("bob-phone");
        TestDevice bobLaptop = new TestDevice("bob-laptop");
        PeerSessions toPhone = new PeerSessions();
        PeerSessions toLaptop = new PeerSessions();
        toPhone.adoptInitiated(alice.initiate(bobPhone));
        toLaptop.adoptInitiated(alice.initiate(bobLaptop));

        Payload.Text message = new Payload.Text("m-1", 1_700_000_000_000L, "to all of Bob's devices");
        FanOut.Sealed sealed = FanOut.seal(message, alice.randomness);
        byte[] keyPayload = Padding.encodeAndPad(sealed.keyPayload(message.id(), message.sentAt()));
        byte[] toPhoneMessage = FanOut.encode(toPhone.encrypt(keyPayload), sealed.content());
        byte[] toLaptopMessage = FanOut.encode(toLaptop.encrypt(keyPayload), sealed.content());

        for (var delivery : new Object[][] {{bobPhone, toPhoneMessage}, {bobLaptop, toLaptopMessage}}) {
            TestDevice device = (TestDevice) delivery[0];
            FanOut.Message parsed = FanOut.parse((byte[]) delivery[1]);
            var key = (Payload.ContentKey) Padding.unpadAndDecode(device.receive(new PeerSessions(), parsed.keyMessage()).plaintext());
            Payload opened = FanOut.open(key, parsed.content());
            assertArrayEquals(PayloadCodec.encode(message), PayloadCodec.encode(opened));
        }
    }

    @Test
    void contentIsCheckedAgainstTheDigestBeforeDecrypting() throws ProtocolException {
        TestDevice alice = new TestDevice("alice");
        Payload.Text message = new Payload.Text("m-1", 1L, "original");
        FanOut.Sealed sealed = FanOut.seal(message, alice.randomness);
        Payload.ContentKey key = sealed.keyPayload("m-1", 1L);
        FanOut.Sealed other = FanOut.seal(new Payload.Text("m-1", 1L, "substituted"), alice.randomness);
        assertEquals(Failure.DECRYPT_FAILED, assertThrows(ProtocolException.class, () -> FanOut.open(key, other.content())).failure());
        byte[] tampered = sealed.content();
        tampered[0] ^= 1;
        assertThrows(ProtocolException.class, () -> FanOut.open(key, tampered));
        assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class,
                () -> FanOut.open(sealed.keyPayload("m-2", 1L), sealed.content())).failure());
        assertEquals("original", ((Payload.Text) FanOut.open(key, sealed.content())).text());
    }

    @Test
    void malformedFanOutMessagesAreRefused() {
        assertThrows(ProtocolException.class, () -> FanOut.parse(new byte[] {0x03, 0, 0, 0, 9, 1}));
        assertThrows(ProtocolException.class, () -> FanOut.parse(new byte[] {0x02, 0, 0, 0, 0}));
        assertThrows(ProtocolException.class, () -> FanOut.parse(new byte[] {0x03, 0, 0, 0, 0, 1}));
    }
}
