package dev.parley.protocol.ratchet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.keys.X25519KeyPair;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Double Ratchet behaviour of {@link SessionState} on its own (CRYPTO.md §3). */
class SessionStateTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private DeterministicRandomness random;
    private SessionState alice;
    private SessionState bob;

    @BeforeEach
    void pair() throws ProtocolException {
        random = new DeterministicRandomness("session-state-test");
        byte[] sharedKey = random.bytes(32);
        byte[] associatedData = random.bytes(128);
        X25519KeyPair bobSignedPreKey = X25519KeyPair.generate(random);
        alice = SessionState.initiator(sharedKey, associatedData, bobSignedPreKey.publicKey(), X25519KeyPair.generate(random));
        bob = SessionState.responder(sharedKey, associatedData, bobSignedPreKey);
    }

    @Test
    void aliceAndBobAgreeAcrossRatchetTurnsAndReordering() throws ProtocolException {
        List<RatchetMessage> fromAlice = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fromAlice.add(alice.encrypt(text("a" + i)));
        }
        // Out of order within the first chain.
        assertEquals("a2", read(bob.decrypt(fromAlice.get(2), random, NOW)));
        assertEquals(2, bob.skippedKeyCount());
        assertEquals("a0", read(bob.decrypt(fromAlice.get(0), random, NOW)));
        assertEquals(1, bob.skippedKeyCount());

        RatchetMessage b0 = bob.encrypt(text("b0"));
        RatchetMessage b1 = bob.encrypt(text("b1"));
        assertEquals("b1", read(alice.decrypt(b1, random, NOW)));
        RatchetMessage a4 = alice.encrypt(text("a4"));
        assertEquals(4, a4.header().previousChainLength(), "PN counts Alice's previous chain of 4");
        assertEquals(0, a4.header().index());
        // Bob gets the new chain before the rest of the old one: keys of the old chain are kept.
        assertEquals("a4", read(bob.decrypt(a4, random, NOW)));
        assertEquals("a3", read(bob.decrypt(fromAlice.get(3), random, NOW)));
        assertEquals("a1", read(bob.decrypt(fromAlice.get(1), random, NOW)));
        assertEquals("b0", read(alice.decrypt(b0, random, NOW)));
        assertEquals(0, bob.skippedKeyCount());
        assertEquals(0, alice.skippedKeyCount());
    }

    @Test
    void replayIsRefusedAndChangesNothing() throws ProtocolException {
        RatchetMessage message = alice.encrypt(text("once"));
        bob.decrypt(message, random, NOW);
        byte[] before = SessionStateCodec.encode(bob);
        ProtocolException e = assertThrows(ProtocolException.class, () -> bob.decrypt(message, random, NOW));
        assertEquals(Failure.DUPLICATE, e.failure());
        assertArrayEquals(before, SessionStateCodec.encode(bob));
    }

    @Test
    void replayOfASkippedKeyMessageIsRefused() throws ProtocolException {
        RatchetMessage first = alice.encrypt(text("first"));
        bob.decrypt(alice.encrypt(text("second")), random, NOW);
        bob.decrypt(first, random, NOW);
        assertEquals(Failure.DUPLICATE, assertThrows(ProtocolException.class, () -> bob.decrypt(first, random, NOW)).failure());
    }

    @Test
    void jumpPastMaxSkipIsRefusedWithoutStateChange() throws ProtocolException {
        bob.decrypt(alice.encrypt(text("start")), random, NOW);
        for (int i = 0; i <= Limits.MAX_SKIP; i++) {
            alice.encrypt(text("lost"));
        }
        RatchetMessage tooFar = alice.encrypt(text("too far")); // Nr = 1, n = MAX_SKIP + 2: MAX_SKIP + 1 keys to skip
        byte[] before = SessionStateCodec.encode(bob);
        assertEquals(Failure.TOO_MANY_SKIPPED, assertThrows(ProtocolException.class, () -> bob.decrypt(tooFar, random, NOW)).failure());
        assertArrayEquals(before, SessionStateCodec.encode(bob));
    }

    @Test
    void jumpOfExactlyMaxSkipIsAccepted() throws ProtocolException {
        for (int i = 0; i < Limits.MAX_SKIP; i++) {
            alice.encrypt(text("lost"));
        }
        assertEquals("edge", read(bob.decrypt(alice.encrypt(text("edge")), random, NOW)));
        assertEquals(Limits.MAX_SKIP, bob.skippedKeyCount());
    }

    @Test
    void tamperedHeaderCiphertextOrTagIsRefusedWithoutStateChange() throws ProtocolException {
        byte[] encoded = alice.encrypt(text("integrity")).encode();
        byte[] before = SessionStateCodec.encode(bob);
        // Every byte of the header counters and ciphertext/tag; the ratchet key bytes change the DH
        // (also refused, by GCM or as a low-order point).
        for (int i = 1; i < encoded.length; i++) {
            byte[] tampered = encoded.clone();
            tampered[i] ^= 0x01;
            RatchetMessage message = RatchetMessage.parse(tampered);
            assertThrows(ProtocolException.class, () -> bob.decrypt(message, random, NOW), "byte " + i);
            assertArrayEquals(before, SessionStateCodec.encode(bob), "state changed by tampered byte " + i);
        }
        assertEquals("integrity", read(bob.decrypt(RatchetMessage.parse(encoded), random, NOW)));
    }

    @Test
    void differentAssociatedDataIsRefused() throws ProtocolException {
        DeterministicRandomness other = new DeterministicRandomness("session-state-test");
        byte[] sharedKey = other.bytes(32);
        byte[] associatedData = other.bytes(128);
        X25519KeyPair bobSignedPreKey = X25519KeyPair.generate(other);
        associatedData[127] ^= 1;
        SessionState bobWithOtherAd = SessionState.responder(sharedKey, associatedData, bobSignedPreKey);
        RatchetMessage message = alice.encrypt(text("bound to AD"));
        assertEquals(Failure.DECRYPT_FAILED,
                assertThrows(ProtocolException.class, () -> bobWithOtherAd.decrypt(message, random, NOW)).failure());
        assertEquals("bound to AD", read(bob.decrypt(message, random, NOW)));
    }

    @Test
    void skippedKeysAreCappedOldestFirst() throws ProtocolException {
        List<RatchetMessage> chain = new ArrayList<>();
        for (int turn = 0; turn < 3; turn++) {
            for (int i = 0; i <= Limits.MAX_SKIP; i++) {
                RatchetMessage message = alice.encrypt(text("t" + turn + "m" + i));
                if (i == 0) {
                    chain.add(message);
                }
                if (i == Limits.MAX_SKIP) {
                    bob.decrypt(message, random, NOW);
                }
            }
            alice.decrypt(bob.encrypt(text("turn")), random, NOW);
        }
        assertEquals(Limits.MAX_SKIPPED_KEYS, bob.skippedKeyCount());
        // The first chain's keys were evicted first; the latest chain's are still there.
        assertThrows(ProtocolException.class, () -> bob.decrypt(chain.get(0), random, NOW));
        assertEquals("t2m0", read(bob.decrypt(chain.get(2), random, NOW)));
    }

    @Test
    void skippedKeysExpireAfterTheTtl() throws ProtocolException {
        RatchetMessage late = alice.encrypt(text("late"));
        bob.decrypt(alice.encrypt(text("on time")), random, NOW);
        Instant afterTtl = NOW.plus(Limits.SKIPPED_KEY_TTL).plusMillis(1);
        assertThrows(ProtocolException.class, () -> bob.decrypt(late, random, afterTtl));
        Instant justBefore = NOW.plus(Limits.SKIPPED_KEY_TTL);
        assertEquals("late", read(bob.decrypt(late, random, justBefore)));
    }

    @Test
    void callersCanPruneExpiredSkippedKeys() throws ProtocolException {
        alice.encrypt(text("never delivered"));
        bob.decrypt(alice.encrypt(text("delivered")), random, NOW);
        assertEquals(1, bob.skippedKeyCount());
        bob.expireSkippedKeys(NOW.plus(Limits.SKIPPED_KEY_TTL));
        assertEquals(1, bob.skippedKeyCount(), "a key exactly TTL old is kept");
        bob.expireSkippedKeys(NOW.plus(Limits.SKIPPED_KEY_TTL).plusMillis(1));
        assertEquals(0, bob.skippedKeyCount());
    }

    @Test
    void serializationRoundTripContinuesTheConversation() throws ProtocolException {
        RatchetMessage skipped = alice.encrypt(text("skipped"));
        bob.decrypt(alice.encrypt(text("hello")), random, NOW);
        alice.decrypt(bob.encrypt(text("hi")), random, NOW);

        SessionState aliceRestored = SessionStateCodec.decode(SessionStateCodec.encode(alice));
        SessionState bobRestored = SessionStateCodec.decode(SessionStateCodec.encode(bob));
        assertArrayEquals(SessionStateCodec.encode(alice), SessionStateCodec.encode(aliceRestored));
        assertArrayEquals(SessionStateCodec.encode(bob), SessionStateCodec.encode(bobRestored));

        assertEquals("skipped", read(bobRestored.decrypt(skipped, random, NOW)));
        assertEquals("again", read(bobRestored.decrypt(aliceRestored.encrypt(text("again")), random, NOW)));
        assertEquals("back", read(aliceRestored.decrypt(bobRestored.encrypt(text("back")), random, NOW)));
    }

    @Test
    void unknownSerializationVersionIsRefused() {
        byte[] encoded = SessionStateCodec.encode(bob);
        encoded[0] = 0x02;
        assertEquals(Failure.UNSUPPORTED_VERSION,
                assertThrows(ProtocolException.class, () -> SessionStateCodec.decode(encoded)).failure());
    }

    @Test
    void headerBeyondTheMessageNumberLimitIsRefused() throws ProtocolException {
        RatchetMessage real = alice.encrypt(text("x"));
        Header forged = new Header(real.header().ratchetKey(), 0, 0xFFFF_FFFFL);
        byte[] before = SessionStateCodec.encode(bob);
        assertEquals(Failure.TOO_LARGE, assertThrows(ProtocolException.class,
                () -> bob.decrypt(new RatchetMessage(forged, real.ciphertext()), random, NOW)).failure());
        assertArrayEquals(before, SessionStateCodec.encode(bob));
    }

    @Test
    void damagedSerializationIsRefused() throws ProtocolException {
        bob.decrypt(alice.encrypt(text("x")), random, NOW);
        byte[] encoded = SessionStateCodec.encode(bob);
        for (int length : new int[] {0, 1, 100, encoded.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(encoded, length);
            assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class, () -> SessionStateCodec.decode(truncated)).failure(),
                    "length " + length);
        }
        byte[] trailing = java.util.Arrays.copyOf(encoded, encoded.length + 1);
        assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class, () -> SessionStateCodec.decode(trailing)).failure());
    }

    @Test
    void responderCannotSendFirst() {
        assertThrows(IllegalStateException.class, () -> bob.encrypt(text("too early")));
        assertTrue(alice.canSend());
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
