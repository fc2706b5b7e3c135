package dev.parley.protocol.testing;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.Session;
import dev.parley.wire.signed.KemKeyKind;
import java.time.Instant;
import java.util.Optional;

/** A device with an identity and published prekeys, driven deterministically from a name. */
public final class TestDevice {

    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    public final String name;
    public final DeterministicRandomness randomness;
    public final IdentityKeyPair identity;
    public final Capabilities capabilities;
    public final InMemoryPrivatePreKeys preKeys = new InMemoryPrivatePreKeys();
    public final SignedPreKey signedPreKey;
    public final KemPreKey lastResortKemPreKey;

    public TestDevice(String name) {
        this(name, 0);
    }

    public TestDevice(String name, int capabilityFlags) {
        this(name, capabilityFlags, null);
    }

    /** Another device of the account {@code identity} belongs to (linked devices share the identity). */
    public TestDevice(String name, IdentityKeyPair identity) {
        this(name, 0, identity);
    }

    private TestDevice(String name, int capabilityFlags, IdentityKeyPair sharedIdentity) {
        this.name = name;
        this.randomness = new DeterministicRandomness("parley-test-device:" + name);
        this.identity = sharedIdentity != null ? sharedIdentity : IdentityKeyPair.generate(randomness);
        this.capabilities = Capabilities.sign(identity, capabilityFlags);
        this.signedPreKey = SignedPreKey.generate(identity, 7, randomness);
        preKeys.signedPreKeys.put(signedPreKey.id(), signedPreKey);
        for (long id = 40; id < 43; id++) {
            preKeys.oneTimePreKeys.put(id, OneTimePreKey.generate(id, randomness));
        }
        this.lastResortKemPreKey = KemPreKey.generate(identity, 1, KemKeyKind.LAST_RESORT, randomness);
        preKeys.lastResortKemPreKeys.put(1L, lastResortKemPreKey);
        for (long id = 9; id < 11; id++) {
            preKeys.oneTimeKemPreKeys.put(id, KemPreKey.generate(identity, id, KemKeyKind.ONE_TIME, randomness));
        }
    }

    /** A bundle as the server would hand it out: the first remaining one-time keys, else last-resort KEM. */
    public PreKeyBundle bundle() {
        Optional<OneTimePreKey> oneTime = preKeys.oneTimePreKeys.values().stream().findFirst();
        KemPreKey kem = preKeys.oneTimeKemPreKeys.values().stream().findFirst().orElse(lastResortKemPreKey);
        return new PreKeyBundle(identity.publicIdentity(), Optional.of(capabilities), signedPreKey.publicKey(),
                oneTime.map(OneTimePreKey::publicKey), Optional.of(kem.publicKey()));
    }

    /** Initiates a PQXDH session with {@code peer}'s current bundle. */
    public Session initiate(TestDevice peer) throws ProtocolException {
        return Session.initiated(Initiator.start(identity, peer.bundle(), randomness, MlKem768.encapsulator(randomness)));
    }

    /** This device's sessions with {@code peer}, holding one session it initiated. */
    public PeerSessions sessionsTo(TestDevice peer) throws ProtocolException {
        PeerSessions sessions = new PeerSessions();
        sessions.adoptInitiated(initiate(peer));
        return sessions;
    }

    public PeerSessions.Decrypted receive(PeerSessions sessions, byte[] message) throws ProtocolException {
        return sessions.decrypt(message, identity, capabilities, preKeys, randomness, NOW);
    }

    public Randomness random() {
        return randomness;
    }
}
