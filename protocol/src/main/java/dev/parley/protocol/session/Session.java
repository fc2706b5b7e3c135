package dev.parley.protocol.session;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.HandshakeMode;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.handshake.PreKeyMessage;
import dev.parley.protocol.handshake.Responder;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.ratchet.PlaintextCheck;
import dev.parley.protocol.ratchet.RatchetMessage;
import dev.parley.protocol.ratchet.SessionState;
import java.time.Instant;
import java.util.Arrays;

/**
 * One pairwise session with a remote device: the ratchet state plus what the handshake fixed.
 *
 * <p>An initiator's session is <em>pending</em> until its first successful decryption: while
 * pending, {@link #encrypt} produces PreKeyMessages (the handshake fields followed by the
 * RatchetMessage, CRYPTO.md §2.1), so the peer can establish the session from any of them.
 * Mutable, not thread-safe; persist after every {@link #encrypt} before sending.
 */
public final class Session {

    /** Which side of the handshake this device was. */
    public enum Role { INITIATOR, RESPONDER }

    private final Role role;
    private final PublicIdentity remoteIdentity;
    private final HandshakeMode mode;
    private final byte[] baseKey;
    private final SessionState state;
    private byte[] pendingHandshake;

    Session(Role role, PublicIdentity remoteIdentity, HandshakeMode mode, byte[] baseKey, SessionState state,
            byte[] pendingHandshake) {
        this.role = role;
        this.remoteIdentity = remoteIdentity;
        this.mode = mode;
        this.baseKey = baseKey.clone();
        this.state = state;
        this.pendingHandshake = pendingHandshake == null ? null : pendingHandshake.clone();
    }

    public static Session initiated(Initiator.Initiated initiated) {
        PreKeyMessage.Handshake handshake = initiated.handshake();
        return new Session(Role.INITIATOR, initiated.remoteIdentity(), handshake.mode(), handshake.baseKey(),
                initiated.state(), handshake.encode());
    }

    public static Session accepted(Responder.Accepted accepted) {
        PreKeyMessage.Handshake handshake = accepted.handshake();
        return new Session(Role.RESPONDER, accepted.remoteIdentity(), handshake.mode(), handshake.baseKey(),
                accepted.state(), null);
    }

    /**
     * Encrypts one padded payload and returns the wire message: a PreKeyMessage while pending,
     * else a RatchetMessage.
     */
    public byte[] encrypt(byte[] paddedPlaintext) throws ProtocolException {
        byte[] message = state.encrypt(paddedPlaintext).encode();
        return pendingHandshake == null ? message : Bytes.concat(pendingHandshake, message);
    }

    /** Decrypts atomically (no change on failure); a success ends the pending phase. */
    public byte[] decrypt(RatchetMessage message, Randomness randomness, Instant now) throws ProtocolException {
        return decrypt(message, randomness, now, PlaintextCheck.NONE);
    }

    /** As {@link #decrypt(RatchetMessage, Randomness, Instant)}, committing only if {@code check} accepts. */
    public byte[] decrypt(RatchetMessage message, Randomness randomness, Instant now, PlaintextCheck check)
            throws ProtocolException {
        byte[] plaintext = state.decrypt(message, randomness, now, check);
        pendingHandshake = null;
        return plaintext;
    }

    /** True if {@code handshake} is the one that established this (responder) session: same sender and {@code EK_A}. */
    public boolean establishedBy(PreKeyMessage.Handshake handshake) {
        return role == Role.RESPONDER && Arrays.equals(baseKey, handshake.baseKey())
                && Arrays.equals(remoteIdentity.signingKey(), handshake.senderSigningKey())
                && Arrays.equals(remoteIdentity.dhKey(), handshake.senderDhKey());
    }

    /** {@code IK} of the handshake's initiator: the first 64 bytes of {@code AD} (CRYPTO.md §2.3). */
    public byte[] initiatorIdentity() {
        return Arrays.copyOfRange(state.associatedData(), 0, PublicIdentity.SIZE);
    }

    public boolean isPending() {
        return pendingHandshake != null;
    }

    /** True once this device may send (always for an initiator; for a responder after it received). */
    public boolean canSend() {
        return state.canSend();
    }

    public Role role() {
        return role;
    }

    public PublicIdentity remoteIdentity() {
        return remoteIdentity;
    }

    public HandshakeMode mode() {
        return mode;
    }

    /** {@code EK_A}, which identifies the handshake. */
    public byte[] baseKey() {
        return baseKey.clone();
    }

    /** The pending handshake fields, or null. */
    byte[] pendingHandshake() {
        return pendingHandshake == null ? null : pendingHandshake.clone();
    }

    SessionState state() {
        return state;
    }

    @Override
    public String toString() {
        return "Session[" + role + ", " + mode + ", remote=" + remoteIdentity + ", pending=" + isPending() + ", "
                + state + "]";
    }
}
