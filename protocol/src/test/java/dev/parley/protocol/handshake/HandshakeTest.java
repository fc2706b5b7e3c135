package dev.parley.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PreKeyIds;
import dev.parley.protocol.keys.SignedPreKeyPublic;
import dev.parley.protocol.session.Session;
import dev.parley.protocol.testing.TestDevice;
import dev.parley.wire.signed.KemKeyKind;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PQXDH (CRYPTO.md §2): agreement, bundle verification, responder ordering and downgrade refusal. */
class HandshakeTest {

    private final TestDevice alice = new TestDevice("alice");
    private final TestDevice bob = new TestDevice("bob");

    @Test
    void initiatorAndResponderDeriveTheSameSession() throws ProtocolException {
        Session aliceSession = alice.initiate(bob);
        PreKeyMessage message = PreKeyMessage.parse(aliceSession.encrypt(utf8("hello bob")));
        assertEquals(HandshakeMode.PQXDH, message.handshake().mode());
        assertEquals(40, message.handshake().oneTimePreKeyId());
        assertEquals(KemKeyKind.ONE_TIME, message.handshake().kem().orElseThrow().kind());

        Responder.Accepted accepted = Responder.accept(bob.identity, bob.capabilities, bob.preKeys, message,
                bob.randomness, TestDevice.NOW);
        assertArrayEquals(utf8("hello bob"), accepted.plaintext());
        assertEquals(alice.identity.publicIdentity(), accepted.remoteIdentity());
        assertFalse(bob.preKeys.oneTimePreKeys.containsKey(40L), "one-time prekey consumed");
        assertFalse(bob.preKeys.oneTimeKemPreKeys.containsKey(9L), "one-time KEM prekey consumed");
        assertTrue(bob.preKeys.lastResortKemPreKeys.containsKey(1L), "last-resort KEM prekey kept");
    }

    @Test
    void worksWithoutOneTimePreKeysAndWithTheLastResortKemPreKey() throws ProtocolException {
        bob.preKeys.oneTimePreKeys.clear();
        bob.preKeys.oneTimeKemPreKeys.clear();
        Session aliceSession = alice.initiate(bob);
        PreKeyMessage message = PreKeyMessage.parse(aliceSession.encrypt(utf8("no one-time keys")));
        assertEquals(PreKeyIds.NO_ONE_TIME_PREKEY, message.handshake().oneTimePreKeyId());
        assertEquals(KemKeyKind.LAST_RESORT, message.handshake().kem().orElseThrow().kind());
        var accepted = Responder.accept(bob.identity, bob.capabilities, bob.preKeys, message, bob.randomness, TestDevice.NOW);
        assertArrayEquals(utf8("no one-time keys"), accepted.plaintext());
        assertTrue(bob.preKeys.lastResortKemPreKeys.containsKey(1L));
    }

    @Test
    void everyFlippedBitOfTheSignedPreKeySignatureIsRefused() {
        PreKeyBundle bundle = bob.bundle();
        byte[] signature = bundle.signedPreKey().signature();
        for (int bit = 0; bit < signature.length * 8; bit++) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            PreKeyBundle forged = new PreKeyBundle(bundle.identity(), bundle.capabilities(),
                    new SignedPreKeyPublic(bundle.signedPreKey().id(), bundle.signedPreKey().key(), flipped),
                    bundle.oneTimePreKey(), bundle.kemPreKey());
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> Initiator.start(alice.identity, forged, alice.randomness, MlKem768.encapsulator(alice.randomness)),
                    "bit " + bit);
            assertEquals(Failure.INVALID_SIGNATURE, e.failure(), "bit " + bit);
        }
    }

    @Test
    void signaturesAreBoundToTheirContext() {
        PreKeyBundle bundle = bob.bundle();
        // The signed prekey's signature presented as the capabilities signature must not verify.
        PreKeyBundle forged = new PreKeyBundle(bundle.identity(),
                Optional.of(new Capabilities(Capabilities.ACCEPTS_X3DH, bundle.signedPreKey().signature())),
                bundle.signedPreKey(), bundle.oneTimePreKey(), bundle.kemPreKey());
        assertEquals(Failure.INVALID_SIGNATURE, assertThrows(ProtocolException.class, forged::verify).failure());
        // A signed prekey id changed after signing.
        PreKeyBundle renumbered = new PreKeyBundle(bundle.identity(), bundle.capabilities(),
                new SignedPreKeyPublic(8, bundle.signedPreKey().key(), bundle.signedPreKey().signature()),
                bundle.oneTimePreKey(), bundle.kemPreKey());
        assertEquals(Failure.INVALID_SIGNATURE, assertThrows(ProtocolException.class, renumbered::verify).failure());
    }

    @Test
    void corruptedInitialMessageConsumesNothing() throws ProtocolException {
        byte[] valid = alice.initiate(bob).encrypt(utf8("first"));
        Set<Long> oneTimeBefore = Set.copyOf(bob.preKeys.oneTimePreKeys.keySet());
        Set<Long> kemBefore = Set.copyOf(bob.preKeys.oneTimeKemPreKeys.keySet());
        // Corrupt the KEM ciphertext, the ephemeral key, and the embedded ratchet ciphertext in turn.
        int kemOffset = 1 + 1 + 32 + 32 + 64 + 32 + 4 + 4 + 4 + 1;
        int ephemeralOffset = 1 + 1 + 32 + 32 + 64;
        for (int offset : new int[] {kemOffset + 100, ephemeralOffset + 3, valid.length - 1, valid.length - 30}) {
            byte[] corrupted = valid.clone();
            corrupted[offset] ^= 0x40;
            PreKeyMessage message = PreKeyMessage.parse(corrupted);
            assertThrows(ProtocolException.class, () -> Responder.accept(bob.identity, bob.capabilities, bob.preKeys,
                    message, bob.randomness, TestDevice.NOW), "offset " + offset);
            assertEquals(oneTimeBefore, bob.preKeys.oneTimePreKeys.keySet(), "offset " + offset);
            assertEquals(kemBefore, bob.preKeys.oneTimeKemPreKeys.keySet(), "offset " + offset);
        }
        // The intact message still establishes the session afterwards.
        var accepted = Responder.accept(bob.identity, bob.capabilities, bob.preKeys, PreKeyMessage.parse(valid),
                bob.randomness, TestDevice.NOW);
        assertArrayEquals(utf8("first"), accepted.plaintext());
    }

    @Test
    void aSecondHandshakeNamingAConsumedOneTimePreKeyFails() throws ProtocolException {
        byte[] first = alice.initiate(bob).encrypt(utf8("first"));
        Responder.accept(bob.identity, bob.capabilities, bob.preKeys, PreKeyMessage.parse(first), bob.randomness, TestDevice.NOW);
        ProtocolException e = assertThrows(ProtocolException.class, () -> Responder.accept(bob.identity,
                bob.capabilities, bob.preKeys, PreKeyMessage.parse(first), bob.randomness, TestDevice.NOW));
        assertEquals(Failure.UNKNOWN_PREKEY, e.failure());
    }

    @Test
    void invalidBindingSignatureOfTheInitiatorIsRefused() throws ProtocolException {
        byte[] message = alice.initiate(bob).encrypt(utf8("first"));
        message[1 + 1 + 32 + 32 + 10] ^= 0x01;
        ProtocolException e = assertThrows(ProtocolException.class, () -> Responder.accept(bob.identity,
                bob.capabilities, bob.preKeys, PreKeyMessage.parse(message), bob.randomness, TestDevice.NOW));
        assertEquals(Failure.INVALID_SIGNATURE, e.failure());
        assertEquals(3, bob.preKeys.oneTimePreKeys.size());
    }

    @Test
    void initiatorRefusesABundleWithoutKemPreKey() {
        PreKeyBundle bundle = bob.bundle();
        PreKeyBundle stripped = new PreKeyBundle(bundle.identity(), bundle.capabilities(), bundle.signedPreKey(),
                bundle.oneTimePreKey(), Optional.empty());
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Initiator.start(alice.identity, stripped, alice.randomness, MlKem768.encapsulator(alice.randomness)));
        assertEquals(Failure.DOWNGRADE_REFUSED, e.failure());
    }

    @Test
    void x3dhIsRefusedUnlessTheSignedCapabilitiesAllowIt() throws ProtocolException {
        // Initiator side: Parley's own flags = 0 forbid X3DH.
        assertEquals(Failure.DOWNGRADE_REFUSED, assertThrows(ProtocolException.class,
                () -> Initiator.startX3dh(alice.identity, bob.bundle(), alice.randomness)).failure());
        // A server cannot flip the flag: the capabilities signature covers it.
        PreKeyBundle bundle = bob.bundle();
        PreKeyBundle flipped = new PreKeyBundle(bundle.identity(),
                Optional.of(new Capabilities(Capabilities.ACCEPTS_X3DH, bundle.capabilities().orElseThrow().signature())),
                bundle.signedPreKey(), bundle.oneTimePreKey(), bundle.kemPreKey());
        assertEquals(Failure.INVALID_SIGNATURE, assertThrows(ProtocolException.class,
                () -> Initiator.startX3dh(alice.identity, flipped, alice.randomness)).failure());

        // Responder side: an X3DH message reaching a device with flags = 0 is refused before any lookup.
        TestDevice legacyBob = new TestDevice("legacy-bob", Capabilities.ACCEPTS_X3DH);
        byte[] x3dh = Session.initiated(Initiator.startX3dh(alice.identity, legacyBob.bundle(), alice.randomness))
                .encrypt(utf8("x3dh"));
        Capabilities strict = Capabilities.sign(legacyBob.identity, 0);
        assertEquals(Failure.DOWNGRADE_REFUSED, assertThrows(ProtocolException.class, () -> Responder.accept(
                legacyBob.identity, strict, legacyBob.preKeys, PreKeyMessage.parse(x3dh), legacyBob.randomness,
                TestDevice.NOW)).failure());
        assertEquals(3, legacyBob.preKeys.oneTimePreKeys.size());
        // Where the responder's own capabilities allow it, X3DH works.
        var accepted = Responder.accept(legacyBob.identity, legacyBob.capabilities, legacyBob.preKeys,
                PreKeyMessage.parse(x3dh), legacyBob.randomness, TestDevice.NOW);
        assertArrayEquals(utf8("x3dh"), accepted.plaintext());
        assertEquals(HandshakeMode.X3DH, accepted.handshake().mode());
    }

    @Test
    void absentCapabilitiesMeanNoX3dhConsent() throws ProtocolException {
        TestDevice legacyBob = new TestDevice("legacy-bob", Capabilities.ACCEPTS_X3DH);
        PreKeyBundle bundle = legacyBob.bundle();
        PreKeyBundle withoutCapabilities = new PreKeyBundle(bundle.identity(), Optional.empty(), bundle.signedPreKey(),
                bundle.oneTimePreKey(), bundle.kemPreKey());
        withoutCapabilities.verify();
        assertFalse(withoutCapabilities.acceptsX3dh());
        assertEquals(Failure.DOWNGRADE_REFUSED, assertThrows(ProtocolException.class,
                () -> Initiator.startX3dh(alice.identity, withoutCapabilities, alice.randomness)).failure());
        // PQXDH does not need them.
        Initiator.start(alice.identity, withoutCapabilities, alice.randomness, MlKem768.encapsulator(alice.randomness));
    }

    @Test
    void unknownSignedPreKeyIsRefused() throws ProtocolException {
        byte[] message = alice.initiate(bob).encrypt(utf8("first"));
        bob.preKeys.signedPreKeys.clear();
        assertEquals(Failure.UNKNOWN_PREKEY, assertThrows(ProtocolException.class, () -> Responder.accept(bob.identity,
                bob.capabilities, bob.preKeys, PreKeyMessage.parse(message), bob.randomness, TestDevice.NOW)).failure());
        assertEquals(3, bob.preKeys.oneTimePreKeys.size());
    }

    @Test
    void preKeyMessageEncodingRoundTripsAndRefusesTruncation() throws ProtocolException {
        byte[] encoded = alice.initiate(bob).encrypt(utf8("round trip"));
        assertArrayEquals(encoded, PreKeyMessage.parse(encoded).encode());
        for (int length : new int[] {0, 1, 100, 1 + 1 + 32 + 32 + 64 + 32 + 4 + 4 + 4 + 1 + 1088}) {
            byte[] truncated = java.util.Arrays.copyOf(encoded, length);
            assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class, () -> PreKeyMessage.parse(truncated)).failure());
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
