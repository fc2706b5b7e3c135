package dev.parley.protocol.groups;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.ratchet.ChainKey;
import dev.parley.wire.signed.SignedBytes;
import java.util.Objects;

/**
 * This device's sending chain in one group (CRYPTO.md §11), immutable: a chain id, the chain
 * key at the next iteration and an Ed25519 key pair that signs every message. Each
 * {@link #encrypt} returns the chain advanced by one; the caller stores it before sending, so
 * that no message key is ever used twice. Prints no key.
 *
 * <p>Persistence ({@link #encode}): {@code u8 0x01 || 16 chainId || u32 iteration || 32 chainKey || 32 signingPrivate}.
 */
public final class SenderChain {

    public static final int FORMAT = 0x01;

    private final byte[] chainId;
    private final ChainKey chainKey;
    private final byte[] signingPrivate;
    private final byte[] signingPublic;

    private SenderChain(byte[] chainId, ChainKey chainKey, byte[] signingPrivate) {
        this.chainId = Bytes.requireLength(chainId, SenderKeyDistribution.CHAIN_ID_SIZE, "chain id").clone();
        this.chainKey = chainKey;
        this.signingPrivate = Bytes.requireLength(signingPrivate, Ed25519.KEY_SIZE, "signing key").clone();
        this.signingPublic = Ed25519.publicKey(this.signingPrivate);
    }

    /** A new chain at iteration 0: draws 16 bytes (chain id), 32 (chain key), 32 (signing key), in that order. */
    public static SenderChain generate(Randomness randomness) {
        byte[] chainId = randomness.bytes(SenderKeyDistribution.CHAIN_ID_SIZE);
        ChainKey chainKey = new ChainKey(randomness.bytes(ChainKey.SIZE), 0);
        return new SenderChain(chainId, chainKey, Ed25519.newPrivateKey(randomness));
    }

    /** An iteration a chain may use: 0..{@link Limits#MAX_MESSAGE_NUMBER}. */
    static void requireIteration(long iteration) {
        if (iteration < 0 || iteration > Limits.MAX_MESSAGE_NUMBER) {
            throw new IllegalArgumentException("iteration must be 0.." + Limits.MAX_MESSAGE_NUMBER);
        }
    }

    public byte[] chainId() {
        return chainId.clone();
    }

    /** The iteration of the next message. */
    public long iteration() {
        return chainKey.index();
    }

    /** The chain at its current iteration, for one member device: it opens this iteration's message and later ones. */
    public SenderKeyDistribution distribution(GroupId groupId) {
        return new SenderKeyDistribution(groupId, chainId, iteration(), chainKey.bytes(), signingPublic);
    }

    /** The encrypted message and the chain to keep; {@code this} must not be used again. */
    public record GroupEncryption(byte[] message, SenderChain next) {
        public GroupEncryption {
            message = message.clone();
            Objects.requireNonNull(next, "next");
        }

        @Override public byte[] message() { return message.clone(); }

        @Override
        public String toString() {
            return "GroupEncryption[message=" + message.length + " bytes, next=" + next + "]";
        }
    }

    /**
     * Encrypts and signs one padded payload for {@code groupId}.
     *
     * @throws IllegalArgumentException if the payload is larger than {@link Limits#MAX_PADDED_PAYLOAD}
     * @throws IllegalStateException if the chain has used its last iteration (a new chain is needed)
     */
    public GroupEncryption encrypt(GroupId groupId, byte[] paddedPayload) {
        if (paddedPayload.length > Limits.MAX_PADDED_PAYLOAD) {
            throw new IllegalArgumentException("padded payload larger than " + Limits.MAX_PADDED_PAYLOAD + " bytes");
        }
        if (iteration() > Limits.MAX_MESSAGE_NUMBER) {
            throw new IllegalStateException("sender chain exhausted; start a new one");
        }
        byte[] header = GroupMessage.header(chainId, iteration());
        SenderMessageKey key = SenderMessageKey.fromSeed(SenderMessageKey.seed(chainKey));
        byte[] ciphertext = AesGcm.encrypt(key.aesKey(), key.nonce(), paddedPayload, Bytes.concat(groupId.bytes(), header));
        byte[] headerAndCiphertext = Bytes.concat(header, ciphertext);
        byte[] signature = Ed25519.sign(signingPrivate, signingPublic,
                SignedBytes.groupMessage(groupId.bytes(), headerAndCiphertext));
        return new GroupEncryption(Bytes.concat(headerAndCiphertext, signature),
                new SenderChain(chainId, chainKey.next(), signingPrivate));
    }

    public byte[] encode() {
        return new ByteWriter(1 + 16 + 4 + 32 + 32).u8(FORMAT).bytes(chainId).u32(chainKey.index())
                .bytes(chainKey.bytes()).bytes(signingPrivate).toByteArray();
    }

    /** Strict; a chain past its last iteration ({@code 2^32 - 1}) still decodes but no longer encrypts. */
    public static SenderChain decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "sender chain", FORMAT);
        byte[] chainId = in.bytes(SenderKeyDistribution.CHAIN_ID_SIZE);
        long iteration = in.u32();
        byte[] chainKey = in.bytes(ChainKey.SIZE);
        byte[] signingPrivate = in.bytes(Ed25519.KEY_SIZE);
        in.expectEnd();
        return new SenderChain(chainId, new ChainKey(chainKey, iteration), signingPrivate);
    }

    @Override
    public String toString() {
        return "SenderChain[chainId=" + Bytes.b64(chainId) + ", iteration=" + iteration() + "]";
    }
}
