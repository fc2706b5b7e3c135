package dev.parley.bench.crypto;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.protocol.session.Session;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Alice and Bob talking through Parley's public session API ({@link PeerSessions}), as a client
 * does. With {@code stored}, each side's sessions live as bytes ({@link PeerSessionsCodec}) and
 * every operation loads and stores them, which is what a client persisting its state before
 * each send does, and what libsignal's in-memory stores do on every call.
 */
final class ParleyConversation extends BenchConversation {

    /** The caller's clock; the protocol reads none. */
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final Randomness randomness = Randomness.from(new SecureRandom());
    private final boolean stored;
    private final Side alice;
    private final Side bob;

    ParleyConversation(boolean stored) {
        this.stored = stored;
        this.alice = new Side(new ParleyDevice(randomness));
        this.bob = new Side(new ParleyDevice(randomness));
    }

    /**
     * Session setup: Alice runs PQXDH against Bob's bundle and encrypts {@code first}; Bob
     * accepts the PreKeyMessage and decrypts it. Starts from empty session records on both sides
     * (Bob's one-time prekey is published again first). Returns Bob's plaintext.
     */
    @Override
    byte[] setUp(byte[] first) throws ProtocolException {
        bob.device.restoreOneTimePreKey();
        alice.sessions = new PeerSessions();
        bob.sessions = new PeerSessions();
        alice.sessions.adoptInitiated(Session.initiated(Initiator.start(alice.device.identity, bob.device.bundle(),
                randomness, MlKem768.encapsulator(randomness))));
        byte[] wire = alice.sessions.encrypt(first);
        byte[] plaintext = receive(bob, wire);
        alice.save();
        bob.save();
        return plaintext;
    }

    @Override
    byte[] send(boolean fromAlice, byte[] plaintext) throws ProtocolException {
        return fromAlice ? send(alice, bob, plaintext) : send(bob, alice, plaintext);
    }

    private byte[] send(Side from, Side to, byte[] plaintext) throws ProtocolException {
        from.load();
        byte[] wire = from.sessions.encrypt(plaintext);
        from.save();
        to.load();
        byte[] received = receive(to, wire);
        to.save();
        return received;
    }

    private byte[] receive(Side side, byte[] wire) throws ProtocolException {
        return side.sessions.decrypt(wire, side.device.identity, side.device.capabilities, side.device, randomness, NOW)
                .plaintext();
    }

    /** One party: its device and its sessions with the other party (objects, or bytes when stored). */
    private final class Side {
        final ParleyDevice device;
        PeerSessions sessions = new PeerSessions();
        byte[] record;

        Side(ParleyDevice device) {
            this.device = device;
        }

        void load() throws ProtocolException {
            if (stored) {
                sessions = PeerSessionsCodec.decode(record);
            }
        }

        void save() {
            if (stored) {
                record = PeerSessionsCodec.encode(sessions);
            }
        }
    }
}
