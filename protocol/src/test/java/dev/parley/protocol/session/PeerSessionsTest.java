package dev.parley.protocol.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.testing.TestDevice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions per peer (CRYPTO.md §2.1, §2.3): conversations, repeated handshakes, simultaneous initiation. */
class PeerSessionsTest {

    private final TestDevice alice = new TestDevice("alice");
    private final TestDevice bob = new TestDevice("bob");
    private final PeerSessions aliceToBob = new PeerSessions();
    private final PeerSessions bobToAlice = new PeerSessions();

    @Test
    void aliceAndBobAgreeInAConversationWithReorderingAndRatchetTurns() throws ProtocolException {
        aliceToBob.adoptInitiated(alice.initiate(bob));
        List<byte[]> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(aliceToBob.encrypt(utf8("a" + i)));
        }
        assertTrue(first.stream().allMatch(m -> m[0] == 0x01), "PreKeyMessages until Alice hears back");
        // Bob receives the second PreKeyMessage first: it establishes the session.
        PeerSessions.Decrypted d1 = bob.receive(bobToAlice, first.get(1));
        assertTrue(d1.establishedNewSession());
        assertEquals("a1", text(d1.plaintext()));
        // The other copies of the same handshake decrypt on that session, not as new handshakes.
        assertEquals("a0", text(bob.receive(bobToAlice, first.get(0)).plaintext()));
        assertFalse(bob.receive(bobToAlice, first.get(2)).establishedNewSession());
        assertEquals(1 + bobToAlice.archived().size(), 1);

        byte[] b0 = bobToAlice.encrypt(utf8("b0"));
        assertEquals(0x02, b0[0]);
        assertEquals("b0", text(alice.receive(aliceToBob, b0).plaintext()));
        byte[] a3 = aliceToBob.encrypt(utf8("a3"));
        assertEquals(0x02, a3[0], "RatchetMessages once Alice has received");
        byte[] a4 = aliceToBob.encrypt(utf8("a4"));
        assertEquals("a4", text(bob.receive(bobToAlice, a4).plaintext()));
        assertEquals("a3", text(bob.receive(bobToAlice, a3).plaintext()));
        for (int turn = 0; turn < 4; turn++) {
            assertEquals("b" + turn, text(alice.receive(aliceToBob, bobToAlice.encrypt(utf8("b" + turn))).plaintext()));
            assertEquals("a" + turn, text(bob.receive(bobToAlice, aliceToBob.encrypt(utf8("a" + turn))).plaintext()));
        }
    }

    @Test
    void replayedMessageIsRefusedWithNoStateChange() throws ProtocolException {
        aliceToBob.adoptInitiated(alice.initiate(bob));
        bob.receive(bobToAlice, aliceToBob.encrypt(utf8("hello")));
        alice.receive(aliceToBob, bobToAlice.encrypt(utf8("hi")));
        byte[] message = aliceToBob.encrypt(utf8("once"));
        bob.receive(bobToAlice, message);
        assertDuplicateLeavesBobUnchanged(message);
    }

    @Test
    void replayedPreKeyMessageIsADuplicate() throws ProtocolException {
        aliceToBob.adoptInitiated(alice.initiate(bob));
        byte[] first = aliceToBob.encrypt(utf8("first"));
        bob.receive(bobToAlice, first);
        assertDuplicateLeavesBobUnchanged(first);
    }

    /** Bob refuses {@code message} again as a duplicate, and his sessions are byte for byte what they were. */
    private void assertDuplicateLeavesBobUnchanged(byte[] message) {
        byte[] before = PeerSessionsCodec.encode(bobToAlice);
        assertEquals(Failure.DUPLICATE, assertThrows(ProtocolException.class, () -> bob.receive(bobToAlice, message)).failure());
        assertArrayEquals(before, PeerSessionsCodec.encode(bobToAlice));
    }

    @Test
    void simultaneousInitiationConverges() throws ProtocolException {
        aliceToBob.adoptInitiated(alice.initiate(bob));
        bobToAlice.adoptInitiated(bob.initiate(alice));
        byte[] fromAlice = aliceToBob.encrypt(utf8("hi from alice"));
        byte[] fromBob = bobToAlice.encrypt(utf8("hi from bob"));

        assertEquals("hi from bob", text(alice.receive(aliceToBob, fromBob).plaintext()));
        assertEquals("hi from alice", text(bob.receive(bobToAlice, fromAlice).plaintext()));

        // Both now send on the session initiated by the smaller IK.
        byte[] aliceIk = alice.identity.publicIdentity().bytes();
        byte[] bobIk = bob.identity.publicIdentity().bytes();
        byte[] expectedInitiator = Bytes.compareUnsigned(aliceIk, bobIk) < 0 ? aliceIk : bobIk;
        assertArrayEquals(expectedInitiator, aliceToBob.current().orElseThrow().initiatorIdentity());
        assertArrayEquals(expectedInitiator, bobToAlice.current().orElseThrow().initiatorIdentity());
        assertEquals(1, aliceToBob.archived().size());
        assertEquals(1, bobToAlice.archived().size());

        for (int i = 0; i < 3; i++) {
            assertEquals("a" + i, text(bob.receive(bobToAlice, aliceToBob.encrypt(utf8("a" + i))).plaintext()));
            assertEquals("b" + i, text(alice.receive(aliceToBob, bobToAlice.encrypt(utf8("b" + i))).plaintext()));
        }
        assertArrayEquals(aliceToBob.current().orElseThrow().baseKey(), bobToAlice.current().orElseThrow().baseKey(),
                "both sides send on the same session");
        assertFalse(aliceToBob.current().orElseThrow().isPending());
    }

    @Test
    void serializedSessionsContinueTheConversation() throws ProtocolException {
        aliceToBob.adoptInitiated(alice.initiate(bob));
        byte[] pending = aliceToBob.encrypt(utf8("pending"));
        PeerSessions aliceRestored = PeerSessionsCodec.decode(PeerSessionsCodec.encode(aliceToBob));
        assertArrayEquals(PeerSessionsCodec.encode(aliceToBob), PeerSessionsCodec.encode(aliceRestored));
        byte[] stillPending = aliceRestored.encrypt(utf8("still pending"));
        assertEquals(0x01, stillPending[0], "the pending handshake survives serialization");

        bob.receive(bobToAlice, stillPending);
        PeerSessions bobRestored = PeerSessionsCodec.decode(PeerSessionsCodec.encode(bobToAlice));
        assertEquals("pending", text(bob.receive(bobRestored, pending).plaintext()));
        assertEquals("reply", text(alice.receive(aliceRestored, bobRestored.encrypt(utf8("reply"))).plaintext()));
        Session decoded = SessionCodec.decode(SessionCodec.encode(aliceRestored.current().orElseThrow()));
        assertFalse(decoded.isPending());
        assertEquals(alice.identity.publicIdentity(), bobRestored.current().orElseThrow().remoteIdentity());
    }

    @Test
    void aPeerThatStartsAfreshIsFollowed() throws ProtocolException {
        // An established conversation initiated by Alice...
        aliceToBob.adoptInitiated(alice.initiate(bob));
        bob.receive(bobToAlice, aliceToBob.encrypt(utf8("hello")));
        alice.receive(aliceToBob, bobToAlice.encrypt(utf8("hi")));
        // ...then Bob loses his sessions (same identity) and starts a new one.
        PeerSessions bobAfresh = new PeerSessions();
        bobAfresh.adoptInitiated(bob.initiate(alice));
        assertTrue(alice.receive(aliceToBob, bobAfresh.encrypt(utf8("I am back"))).establishedNewSession());
        assertArrayEquals(bob.identity.publicIdentity().bytes(), aliceToBob.current().orElseThrow().initiatorIdentity(),
                "Alice now sends on Bob's new session, whatever the IK order");
        assertEquals("welcome back", text(bob.receive(bobAfresh, aliceToBob.encrypt(utf8("welcome back"))).plaintext()));
        assertEquals(1, aliceToBob.archived().size());
    }

    @Test
    void archiveKeepsAtMostFiveSessions() throws ProtocolException {
        for (int i = 0; i < 8; i++) {
            aliceToBob.adoptInitiated(alice.initiate(bob));
            bob.preKeys.oneTimePreKeys.clear();
        }
        assertEquals(5, aliceToBob.archived().size());
        assertEquals(5, PeerSessionsCodec.decode(PeerSessionsCodec.encode(aliceToBob)).archived().size());
    }

    @Test
    void corruptedInitialMessageLeavesSessionsAndPreKeysUntouched() throws ProtocolException {
        aliceToBob.adoptInitiated(alice.initiate(bob));
        byte[] message = aliceToBob.encrypt(utf8("first"));
        byte[] corrupted = message.clone();
        corrupted[corrupted.length - 5] ^= 0x10;
        int oneTime = bob.preKeys.oneTimePreKeys.size();
        int kem = bob.preKeys.oneTimeKemPreKeys.size();
        assertEquals(Failure.DECRYPT_FAILED, assertThrows(ProtocolException.class, () -> bob.receive(bobToAlice, corrupted)).failure());
        assertTrue(bobToAlice.current().isEmpty());
        assertEquals(oneTime, bob.preKeys.oneTimePreKeys.size());
        assertEquals(kem, bob.preKeys.oneTimeKemPreKeys.size());
        assertEquals("first", text(bob.receive(bobToAlice, message).plaintext()));
        assertEquals(oneTime - 1, bob.preKeys.oneTimePreKeys.size());
    }

    @Test
    void unknownKindAndEmptyMessagesAreRefused() {
        assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class, () -> bob.receive(bobToAlice, new byte[0])).failure());
        assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class, () -> bob.receive(bobToAlice, new byte[] {0x07, 1, 2})).failure());
    }

    @Test
    void ratchetMessageWithoutSessionIsRefused() throws ProtocolException {
        aliceToBob.adoptInitiated(alice.initiate(bob));
        bob.receive(bobToAlice, aliceToBob.encrypt(utf8("hello")));
        byte[] fromBob = bobToAlice.encrypt(utf8("hi"));
        PeerSessions stranger = new PeerSessions();
        assertEquals(Failure.NO_SESSION, assertThrows(ProtocolException.class, () -> alice.receive(stranger, fromBob)).failure());
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
