package dev.parley.protocol.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        PeerSessions toPhone = alice.sessionsTo(bobPhone);
        PeerSessions toLaptop = alice.sessionsTo(bobLaptop);

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
    void receivingIsAtomicWhenTheContentFails() throws ProtocolException {
        TestDevice alice = new TestDevice("alice");
        TestDevice bob = new TestDevice("bob");
        PeerSessions toBob = alice.sessionsTo(bob);
        Payload.Text message = new Payload.Text("m-1", 1L, "atomic");
        FanOut.Sealed sealed = FanOut.seal(message, alice.randomness);
        byte[] keyMessage = toBob.encrypt(Padding.encodeAndPad(sealed.keyPayload("m-1", 1L)));
        byte[] content = sealed.content();
        content[content.length - 1] ^= 1;

        PeerSessions bobSessions = new PeerSessions();
        byte[] tampered = FanOut.encode(keyMessage, content);
        int oneTimeBefore = bob.preKeys.oneTimePreKeys.size();
        assertThrows(ProtocolException.class, () -> FanOut.receive(bobSessions, tampered, bob.identity, bob.capabilities,
                bob.preKeys, bob.randomness, TestDevice.NOW));
        assertEquals(oneTimeBefore, bob.preKeys.oneTimePreKeys.size(), "no prekey consumed");
        assertTrue(bobSessions.current().isEmpty(), "no session stored");

        FanOut.Received received = FanOut.receive(bobSessions, FanOut.encode(keyMessage, sealed.content()), bob.identity,
                bob.capabilities, bob.preKeys, bob.randomness, TestDevice.NOW);
        assertEquals("atomic", ((Payload.Text) received.payload()).text());
        assertEquals(alice.identity.publicIdentity(), received.sender());

        // On an established session too: a tampered second message leaves the ratchet untouched.
        FanOut.Sealed second = FanOut.seal(new Payload.Text("m-2", 2L, "second"), alice.randomness);
        byte[] secondKey = toBob.encrypt(Padding.encodeAndPad(second.keyPayload("m-2", 2L)));
        byte[] before = dev.parley.protocol.session.PeerSessionsCodec.encode(bobSessions);
        assertThrows(ProtocolException.class, () -> FanOut.receive(bobSessions, FanOut.encode(secondKey, sealed.content()),
                bob.identity, bob.capabilities, bob.preKeys, bob.randomness, TestDevice.NOW));
        assertArrayEquals(before, dev.parley.protocol.session.PeerSessionsCodec.encode(bobSessions));
        assertEquals("second", ((Payload.Text) FanOut.receive(bobSessions, FanOut.encode(secondKey, second.content()),
                bob.identity, bob.capabilities, bob.preKeys, bob.randomness, TestDevice.NOW).payload()).text());
    }

    @Test
    void malformedFanOutMessagesAreRefused() {
        assertThrows(ProtocolException.class, () -> FanOut.parse(new byte[] {0x03, 0, 0, 0, 9, 1}));
        assertThrows(ProtocolException.class, () -> FanOut.parse(new byte[] {0x02, 0, 0, 0, 0}));
        assertThrows(ProtocolException.class, () -> FanOut.parse(new byte[] {0x03, 0, 0, 0, 0, 1}));
    }
}
