package dev.parley.protocol.ratchet;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.X25519KeyPair;
import java.time.Instant;

/**
 * The state of one Double Ratchet session (CRYPTO.md §3;
 * <a href="https://signal.org/docs/specifications/doubleratchet/#double-ratchet-1">Double Ratchet §3</a>).
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@link #encrypt} advances the sending chain; the caller persists the state before the
 *       returned ciphertext leaves the device, so a message key is never reused after a crash.
 *   <li>{@link #decrypt} runs on a copy and replaces this state only on success: a tampered,
 *       duplicate or undecryptable message changes nothing.
 *   <li>The associated data of every message is {@code AD(128) || u32 40 || Header}.
 * </ul>
 *
 * Mutable and not thread-safe; one owner per session.
 */
public final class SessionState {

    /** {@code AD = IK_A || IK_B} of the handshake. */
    public static final int ASSOCIATED_DATA_SIZE = 128;

    private final byte[] associatedData;
    private RootKey rootKey;
    private X25519KeyPair sendingRatchetKey;
    private ChainKey sendingChain;
    private ReceivingChain receivingChain;
    private long previousSendingChainLength;
    private SkippedMessageKeys skippedKeys;

    SessionState(byte[] associatedData, RootKey rootKey, X25519KeyPair sendingRatchetKey, ChainKey sendingChain,
            ReceivingChain receivingChain, long previousSendingChainLength, SkippedMessageKeys skippedKeys) {
        this.associatedData = Bytes.requireLength(associatedData, ASSOCIATED_DATA_SIZE, "associated data").clone();
        this.rootKey = rootKey;
        this.sendingRatchetKey = sendingRatchetKey;
        this.sendingChain = sendingChain;
        this.receivingChain = receivingChain;
        this.previousSendingChainLength = previousSendingChainLength;
        this.skippedKeys = skippedKeys;
    }

    /**
     * Initiator after the handshake (CRYPTO.md §3.1):
     * {@code DHs = ratchetKey; DHr = SPK_B; (RK, CKs) = KDF_RK(SK, DH(DHs, DHr))}.
     */
    public static SessionState initiator(byte[] sharedKey, byte[] associatedData, byte[] remoteSignedPreKey,
            X25519KeyPair ratchetKey) throws ProtocolException {
        RootKey.Step step = new RootKey(sharedKey).step(ratchetKey.agree(remoteSignedPreKey));
        return new SessionState(associatedData, step.rootKey(), ratchetKey, step.chainKey(),
                new ReceivingChain(remoteSignedPreKey, null),
                0, new SkippedMessageKeys());
    }

    /** Responder (CRYPTO.md §3.2): {@code DHs = SPK_B; RK = SK}; no chains until the first message. */
    public static SessionState responder(byte[] sharedKey, byte[] associatedData, X25519KeyPair signedPreKey) {
        return new SessionState(associatedData, new RootKey(sharedKey), signedPreKey, null, null, 0,
                new SkippedMessageKeys());
    }

    /**
     * Encrypts one (already padded) plaintext: {@code (CKs, mk) = KDF_CK(CKs)}; header
     * {@code (DHs, PN, Ns)}; {@code Ns += 1}; AES-256-GCM under {@code MSG_KEYS(mk)}.
     *
     * @throws IllegalStateException for a responder that has not received a message yet
     */
    public RatchetMessage encrypt(byte[] plaintext) throws ProtocolException {
        if (sendingChain == null) {
            throw new IllegalStateException("a responder cannot send before it has received a message");
        }
        if (sendingChain.index() > Limits.MAX_MESSAGE_NUMBER) {
            throw new ProtocolException(Failure.TOO_LARGE, "sending chain exhausted");
        }
        MessageKeys keys = sendingChain.messageKeys();
        Header header = new Header(sendingRatchetKey.publicKey(), previousSendingChainLength, keys.index());
        sendingChain = sendingChain.next();
        return new RatchetMessage(header, AesGcm.encrypt(keys.aesKey(), keys.nonce(), plaintext, aeadAssociatedData(header)));
    }

    /**
     * {@code RatchetDecrypt} of CRYPTO.md §3.4, atomically: either returns the plaintext and
     * commits the advanced state, or throws and leaves this state exactly as it was.
     *
     * @param randomness draws the new ratchet key of a DH ratchet step (32 bytes)
     * @param now the caller's clock, for skipped-key expiry; the protocol reads no clock
     */
    public byte[] decrypt(RatchetMessage message, Randomness randomness, Instant now) throws ProtocolException {
        return decrypt(message, randomness, now, PlaintextCheck.NONE);
    }

    /** As {@link #decrypt(RatchetMessage, Randomness, Instant)}, committing only if {@code check} accepts the plaintext. */
    public byte[] decrypt(RatchetMessage message, Randomness randomness, Instant now, PlaintextCheck check)
            throws ProtocolException {
        SessionState working = copy();
        byte[] plaintext = working.decryptInPlace(message, randomness, now);
        check.check(plaintext);
        assign(working);
        return plaintext;
    }

    private byte[] decryptInPlace(RatchetMessage message, Randomness randomness, Instant now) throws ProtocolException {
        skippedKeys.expire(now);
        Header header = message.header();
        if (header.index() > Limits.MAX_MESSAGE_NUMBER) {
            throw new ProtocolException(Failure.TOO_LARGE, "message number beyond the chain limit");
        }
        SkippedMessageKeys.Entry skipped = skippedKeys.take(header.ratchetKey(), header.index());
        if (skipped != null) {
            return open(MessageKeys.derive(skipped.messageKey(), header.index()), message);
        }
        boolean currentChain = receivingChain != null && receivingChain.chainKey() != null
                && receivingChain.isFor(header.ratchetKey());
        if (currentChain && header.index() < receivingChain.chainKey().index()) {
            throw new ProtocolException(Failure.DUPLICATE, "message number already received");
        }
        if (!currentChain) {
            if (receivingChain != null && receivingChain.chainKey() != null) {
                skipTo(header.previousChainLength(), now);
            }
            ratchetStep(header.ratchetKey(), randomness);
        }
        skipTo(header.index(), now);
        MessageKeys keys = receivingChain.chainKey().messageKeys();
        receivingChain = receivingChain.advance();
        return open(keys, message);
    }

    /** DH ratchet step: {@code RK, CKr = KDF_RK(RK, DH(DHs, DHr)); new DHs; RK, CKs = KDF_RK(RK, DH(DHs, DHr)); PN = Ns}. */
    private void ratchetStep(byte[] remoteRatchetKey, Randomness randomness) throws ProtocolException {
        previousSendingChainLength = sendingChain == null ? 0 : sendingChain.index();
        RootKey.Step receiving = rootKey.step(sendingRatchetKey.agree(remoteRatchetKey));
        receivingChain = new ReceivingChain(remoteRatchetKey, receiving.chainKey());
        sendingRatchetKey = X25519KeyPair.generate(randomness);
        RootKey.Step sending = receiving.rootKey().step(sendingRatchetKey.agree(remoteRatchetKey));
        rootKey = sending.rootKey();
        sendingChain = sending.chainKey();
    }

    /** Stores the keys of messages {@code Nr .. until-1} of the current receiving chain. */
    private void skipTo(long until, Instant now) throws ProtocolException {
        ChainKey chain = receivingChain.chainKey();
        if (until <= chain.index()) {
            return;
        }
        if (until - chain.index() > Limits.MAX_SKIP) {
            throw new ProtocolException(Failure.TOO_MANY_SKIPPED,
                    "header skips " + (until - chain.index()) + " messages, more than MAX_SKIP");
        }
        while (chain.index() < until) {
            skippedKeys.put(new SkippedMessageKeys.Entry(receivingChain.ratchetKey(), chain.index(),
                    chain.messageKeys().messageKey(), now));
            chain = chain.next();
        }
        receivingChain = new ReceivingChain(receivingChain.ratchetKey(), chain);
    }

    private byte[] open(MessageKeys keys, RatchetMessage message) throws ProtocolException {
        return AesGcm.decrypt(keys.aesKey(), keys.nonce(), message.ciphertext(), aeadAssociatedData(message.header()));
    }

    /** {@code AD(handshake, 128 bytes) || u32 len(Header) || Header}. */
    private byte[] aeadAssociatedData(Header header) {
        byte[] encoded = header.encode();
        return new ByteWriter(ASSOCIATED_DATA_SIZE + 4 + encoded.length)
                .bytes(associatedData).u32Prefixed(encoded).toByteArray();
    }

    /** Deletes skipped keys older than {@link Limits#SKIPPED_KEY_TTL}; callers may prune at any time. */
    public void expireSkippedKeys(Instant now) {
        skippedKeys.expire(now);
    }

    /** A deep copy: mutating one never affects the other. */
    public SessionState copy() {
        return new SessionState(associatedData, rootKey, sendingRatchetKey, sendingChain, receivingChain,
                previousSendingChainLength, skippedKeys.copy());
    }

    private void assign(SessionState other) {
        rootKey = other.rootKey;
        sendingRatchetKey = other.sendingRatchetKey;
        sendingChain = other.sendingChain;
        receivingChain = other.receivingChain;
        previousSendingChainLength = other.previousSendingChainLength;
        skippedKeys = other.skippedKeys;
    }

    public byte[] associatedData() {
        return associatedData.clone();
    }

    RootKey rootKey() {
        return rootKey;
    }

    X25519KeyPair sendingRatchetKey() {
        return sendingRatchetKey;
    }

    /** {@code CKs} with {@code Ns} as its index; null for a responder before its first message. */
    ChainKey sendingChain() {
        return sendingChain;
    }

    /** {@code DHr} and {@code CKr}; null for a responder before its first message, and {@code CKr} null for an initiator before its first. */
    ReceivingChain receivingChain() {
        return receivingChain;
    }

    long previousSendingChainLength() {
        return previousSendingChainLength;
    }

    SkippedMessageKeys skippedKeys() {
        return skippedKeys;
    }

    /** True once a sending chain exists (always for an initiator, after the first message for a responder). */
    public boolean canSend() {
        return sendingChain != null;
    }

    /** Number of stored skipped message keys. */
    public int skippedKeyCount() {
        return skippedKeys.size();
    }

    @Override
    public String toString() {
        return "SessionState[dhs=" + Bytes.b64(sendingRatchetKey.publicKey()) + ", ns="
                + (sendingChain == null ? "-" : sendingChain.index()) + ", " + receivingChain
                + ", pn=" + previousSendingChainLength + ", skipped=" + skippedKeys.size() + "]";
    }
}
