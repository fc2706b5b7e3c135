package dev.parley.protocol.groups;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.ratchet.ChainKey;
import dev.parley.wire.signed.SignedBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The receiving chains of one sender device in one group (CRYPTO.md §11), immutable; every
 * operation returns the receiver to keep, and a refused one leaves the caller's unchanged.
 *
 * <ul>
 *   <li>at most {@link Limits#MAX_SENDER_KEY_CHAINS} chains, the newest installed kept, so that
 *       messages sent just before a rotation still open;
 *   <li>a distribution for a chain already held is ignored: it can never move a chain backwards
 *       (and forward the held chain derives everything it could);
 *   <li>a message's signature is verified with its chain's signing key before anything is
 *       derived or decrypted;
 *   <li>one message may skip at most {@link Limits#MAX_SKIP} iterations; at most
 *       {@link Limits#MAX_SKIPPED_SENDER_KEYS} skipped keys are kept (oldest evicted), each for
 *       at most {@link Limits#SKIPPED_KEY_TTL} by the caller's clock;
 *   <li>an iteration already opened, or before the one distributed, never opens.
 * </ul>
 *
 * The receiver does not know its group: the caller keeps one per (group, sender account, sender
 * device) and installs only distributions for that group.
 */
public final class SenderKeyReceiver {

    private static final SenderKeyReceiver EMPTY = new SenderKeyReceiver(List.of(), List.of());

    /** Oldest installed first. */
    private final List<ReceivingSenderChain> chains;
    /** Oldest derived first. */
    private final List<SkippedSenderKey> skipped;

    SenderKeyReceiver(List<ReceivingSenderChain> chains, List<SkippedSenderKey> skipped) {
        this.chains = List.copyOf(chains);
        this.skipped = List.copyOf(skipped);
    }

    public static SenderKeyReceiver empty() {
        return EMPTY;
    }

    List<ReceivingSenderChain> chains() {
        return chains;
    }

    List<SkippedSenderKey> skipped() {
        return skipped;
    }

    public boolean hasChain(byte[] chainId) {
        return chain(chainId) != null;
    }

    /** The receiver holding {@code d}'s chain as well (or unchanged if it holds that chain already). */
    public SenderKeyReceiver install(SenderKeyDistribution d) {
        if (hasChain(d.chainId())) {
            return this;
        }
        List<ReceivingSenderChain> kept = new ArrayList<>(chains);
        kept.add(new ReceivingSenderChain(d.chainId(), d.signingPublic(), d.iteration(),
                new ChainKey(d.chainKey(), d.iteration())));
        List<SkippedSenderKey> keys = new ArrayList<>(skipped);
        while (kept.size() > Limits.MAX_SENDER_KEY_CHAINS) {
            ReceivingSenderChain dropped = kept.removeFirst();
            keys.removeIf(key -> dropped.is(key.chainId()));
        }
        return new SenderKeyReceiver(kept, keys);
    }

    /** The padded payload of an opened message and the receiver to keep. */
    public record GroupDecryption(byte[] paddedPayload, SenderKeyReceiver next) {
        public GroupDecryption {
            paddedPayload = paddedPayload.clone();
            Objects.requireNonNull(next, "next");
        }

        @Override public byte[] paddedPayload() { return paddedPayload.clone(); }

        @Override
        public String toString() {
            return "GroupDecryption[paddedPayload=" + paddedPayload.length + " bytes]";
        }
    }

    /**
     * Verifies and opens a group message of {@code groupId}.
     *
     * @param nowMillis the caller's clock, for the expiry of skipped keys
     * @throws ProtocolException {@link Failure#MALFORMED} / {@link Failure#TOO_LARGE} (layout),
     *     {@link Failure#NO_SESSION} (no chain with that id: its distribution may still be on its way),
     *     {@link Failure#INVALID_SIGNATURE} (also a message of another group),
     *     {@link Failure#DUPLICATE} (its key is gone for good: already opened, before the
     *     distributed iteration, or its skipped key expired or was evicted),
     *     {@link Failure#TOO_MANY_SKIPPED}, {@link Failure#DECRYPT_FAILED}
     */
    public GroupDecryption decrypt(GroupId groupId, byte[] message, long nowMillis) throws ProtocolException {
        GroupMessage.Parsed parsed = GroupMessage.parse(message);
        ReceivingSenderChain chain = chain(parsed.chainId());
        if (chain == null) {
            throw new ProtocolException(Failure.NO_SESSION, "no sender key for this chain");
        }
        if (!Ed25519.verify(chain.signingPublic(),
                SignedBytes.groupMessage(groupId.bytes(), parsed.headerAndCiphertext()), parsed.signature())) {
            throw new ProtocolException(Failure.INVALID_SIGNATURE, "group message signature");
        }
        long iteration = parsed.iteration();
        long ttl = Limits.SKIPPED_KEY_TTL.toMillis();
        List<SkippedSenderKey> keys = new ArrayList<>(skipped);
        keys.removeIf(key -> nowMillis - key.storedAt() > ttl);
        ReceivingSenderChain advanced = chain;
        byte[] seed;
        if (iteration < chain.next().index()) {
            if (iteration < chain.first()) {
                throw new ProtocolException(Failure.DUPLICATE, "iteration before this chain's distribution: its key is gone");
            }
            SkippedSenderKey key = keys.stream().filter(k -> k.is(chain.chainId(), iteration)).findFirst()
                    .orElseThrow(() -> new ProtocolException(Failure.DUPLICATE,
                            "iteration already opened, or its skipped key expired or was evicted"));
            keys.remove(key);
            seed = key.seed();
        } else {
            if (iteration - chain.next().index() > Limits.MAX_SKIP) {
                throw new ProtocolException(Failure.TOO_MANY_SKIPPED, "more than " + Limits.MAX_SKIP + " iterations skipped");
            }
            ChainKey key = chain.next();
            for (; key.index() < iteration; key = key.next()) {
                keys.add(new SkippedSenderKey(chain.chainId(), key.index(), SenderMessageKey.seed(key), nowMillis));
            }
            seed = SenderMessageKey.seed(key);
            advanced = chain.advancedTo(key.next());
            while (keys.size() > Limits.MAX_SKIPPED_SENDER_KEYS) {
                keys.removeFirst();
            }
        }
        SenderMessageKey key = SenderMessageKey.fromSeed(seed);
        byte[] padded = AesGcm.decrypt(key.aesKey(), key.nonce(), parsed.ciphertext(),
                Bytes.concat(groupId.bytes(), parsed.header()));
        List<ReceivingSenderChain> kept = new ArrayList<>(chains);
        kept.set(chains.indexOf(chain), advanced);
        return new GroupDecryption(padded, new SenderKeyReceiver(kept, keys));
    }

    private ReceivingSenderChain chain(byte[] chainId) {
        for (ReceivingSenderChain chain : chains) {
            if (chain.is(chainId)) {
                return chain;
            }
        }
        return null;
    }

    /** Versioned persistence ({@link SenderKeyReceiverCodec}). */
    public byte[] encode() {
        return SenderKeyReceiverCodec.encode(this);
    }

    public static SenderKeyReceiver decode(byte[] bytes) throws ProtocolException {
        return SenderKeyReceiverCodec.decode(bytes);
    }

    @Override
    public String toString() {
        return "SenderKeyReceiver[chains=" + chains.size() + ", skipped=" + skipped.size() + "]";
    }
}
