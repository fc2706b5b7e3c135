package dev.parley.protocol.session;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.PreKeyMessage;
import dev.parley.protocol.handshake.PrivatePreKeys;
import dev.parley.protocol.handshake.Responder;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.ratchet.PlaintextCheck;
import dev.parley.protocol.ratchet.RatchetMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * All sessions with one remote device (CRYPTO.md §2.3): the <em>current</em> session, used for
 * sending, and up to {@link Limits#MAX_ARCHIVED_SESSIONS} archived ones (most recent first) that
 * still decrypt late messages.
 *
 * <p>A session established by an incoming PreKeyMessage becomes current, except in simultaneous
 * initiation: when the current session is one this device initiated with the same peer identity
 * and is still pending (no reply arrived on it), the session whose initiator has the bytewise
 * smaller {@code IK} stays or becomes current and the other is archived (between two devices of
 * one account, whose {@code IK}s are equal, the smaller {@code IK || u8 deviceId}: the caller
 * passes the {@link DevicePair}). Both sides compute the
 * same choice and converge after one message each way. In every other case the peer started
 * afresh (or changed identity) and its new session is the one it will use. A session that
 * decrypts a message stays where it is (no promotion).
 *
 * <p>Every operation is atomic: on failure nothing changes (prekeys included). Mutable and not
 * thread-safe: one owner per peer device; persist with {@link PeerSessionsCodec} after every
 * operation (before sending what {@link #encrypt} returned).
 */
public final class PeerSessions {

    /** Result of {@link #decrypt}. */
    public record Decrypted(byte[] plaintext, PublicIdentity sender, boolean establishedNewSession) {}

    private Session current;
    private final List<Session> archived;

    public PeerSessions() {
        this(null, List.of());
    }

    PeerSessions(Session current, List<Session> archived) {
        this.current = current;
        this.archived = new ArrayList<>(archived);
    }

    public Optional<Session> current() {
        return Optional.ofNullable(current);
    }

    public List<Session> archived() {
        return List.copyOf(archived);
    }

    /** Makes a session this device just initiated current, archiving the previous one. */
    public void adoptInitiated(Session session) {
        if (session.role() != Session.Role.INITIATOR) {
            throw new IllegalArgumentException("adoptInitiated takes an initiator session");
        }
        makeCurrent(session);
    }

    /**
     * Encrypts with the current session; the caller persists this record before sending.
     *
     * @throws ProtocolException {@link Failure#NO_SESSION} without a session that can send (none
     *     yet, or one established by the peer from which nothing was received yet)
     */
    public byte[] encrypt(byte[] paddedPlaintext) throws ProtocolException {
        if (current == null || !current.canSend()) {
            throw new ProtocolException(Failure.NO_SESSION, "no session that can send to this device yet");
        }
        return current.encrypt(paddedPlaintext);
    }

    /**
     * Decrypts a PreKeyMessage or RatchetMessage from this peer.
     *
     * <p>A PreKeyMessage whose handshake established one of the held sessions (the initiator
     * repeats it until it hears back) is decrypted with that session; otherwise it goes through
     * {@link Responder#accept}. A RatchetMessage is tried on the current session, then on the
     * archived ones.
     */
    public Decrypted decrypt(byte[] wireMessage, IdentityKeyPair self, Capabilities ownCapabilities,
            PrivatePreKeys preKeys, Randomness randomness, Instant now) throws ProtocolException {
        return decrypt(wireMessage, self, ownCapabilities, preKeys, randomness, now, PlaintextCheck.NONE);
    }

    /**
     * As above; {@code check} runs on the plaintext before anything is committed (session state,
     * session placement, prekey consumption).
     */
    public Decrypted decrypt(byte[] wireMessage, IdentityKeyPair self, Capabilities ownCapabilities,
            PrivatePreKeys preKeys, Randomness randomness, Instant now, PlaintextCheck check) throws ProtocolException {
        return decrypt(wireMessage, self, ownCapabilities, preKeys, randomness, now, check, null);
    }

    /**
     * As above, for a peer device whose ids are known: required for sessions between two devices
     * of this account (equal {@code IK}s), where {@code devices} breaks the §2.3 tie; without it
     * two of one's own devices that initiate at the same time would each keep their own session.
     * {@code devices} may be null between different identities (the result is the same).
     */
    public Decrypted decrypt(byte[] wireMessage, IdentityKeyPair self, Capabilities ownCapabilities,
            PrivatePreKeys preKeys, Randomness randomness, Instant now, PlaintextCheck check, DevicePair devices)
            throws ProtocolException {
        if (wireMessage.length == 0) {
            throw new ProtocolException(Failure.MALFORMED, "empty message");
        }
        int kind = wireMessage[0] & 0xFF;
        if (kind == PreKeyMessage.KIND) {
            PreKeyMessage message = PreKeyMessage.parse(wireMessage);
            for (Session session : all()) {
                if (session.establishedBy(message.handshake())) {
                    return new Decrypted(session.decrypt(message.message(), randomness, now, check),
                            session.remoteIdentity(), false);
                }
            }
            Responder.Accepted accepted = Responder.accept(self, ownCapabilities, preKeys, message, randomness, now, check);
            Session session = Session.accepted(accepted);
            place(session, devices);
            return new Decrypted(accepted.plaintext(), accepted.remoteIdentity(), true);
        }
        if (kind == RatchetMessage.KIND) {
            return decryptRatchetMessage(RatchetMessage.parse(wireMessage), randomness, now, check);
        }
        throw new ProtocolException(Failure.MALFORMED, "unknown message kind");
    }

    private Decrypted decryptRatchetMessage(RatchetMessage message, Randomness randomness, Instant now,
            PlaintextCheck check) throws ProtocolException {
        ProtocolException first = null;
        boolean duplicate = false;
        boolean[] decrypted = {false};
        PlaintextCheck tracking = plaintext -> {
            decrypted[0] = true;
            check.check(plaintext);
        };
        for (Session session : all()) {
            try {
                return new Decrypted(session.decrypt(message, randomness, now, tracking), session.remoteIdentity(), false);
            } catch (ProtocolException e) {
                if (decrypted[0]) {
                    throw e; // this session decrypted it; the caller's check refused the plaintext
                }
                duplicate |= e.failure() == Failure.DUPLICATE;
                first = first == null ? e : first;
            }
        }
        if (duplicate) {
            throw new ProtocolException(Failure.DUPLICATE, "message already received");
        }
        throw first != null ? first : new ProtocolException(Failure.NO_SESSION, "no session with this device");
    }

    /** Applies the §2.3 rule to a session established by an incoming PreKeyMessage. */
    private void place(Session incoming, DevicePair devices) {
        if (current == null || shouldReplaceCurrent(incoming, devices)) {
            makeCurrent(incoming);
        } else {
            archived.addFirst(incoming);
            trimArchive();
        }
    }

    private boolean shouldReplaceCurrent(Session incoming, DevicePair devices) {
        boolean simultaneous = current.role() == Session.Role.INITIATOR && current.isPending()
                && current.remoteIdentity().equals(incoming.remoteIdentity());
        if (!simultaneous) {
            return true;
        }
        int order = Bytes.compareUnsigned(incoming.initiatorIdentity(), current.initiatorIdentity());
        if (order == 0 && devices != null) {
            // Same account: compare IK || u8 deviceId. The incoming session was initiated by the
            // peer device, the current one by this device.
            order = Integer.compare(devices.remoteDevice(), devices.localDevice());
        }
        return order < 0;
    }

    private void makeCurrent(Session session) {
        if (current != null) {
            archived.addFirst(current);
            trimArchive();
        }
        current = session;
    }

    private void trimArchive() {
        while (archived.size() > Limits.MAX_ARCHIVED_SESSIONS) {
            archived.removeLast();
        }
    }

    private List<Session> all() {
        List<Session> all = new ArrayList<>(archived.size() + 1);
        if (current != null) {
            all.add(current);
        }
        all.addAll(archived);
        return all;
    }

    @Override
    public String toString() {
        return "PeerSessions[current=" + current + ", archived=" + archived.size() + "]";
    }
}
