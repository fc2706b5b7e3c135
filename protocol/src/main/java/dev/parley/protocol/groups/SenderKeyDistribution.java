package dev.parley.protocol.groups;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.ratchet.ChainKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A sender-key chain as its sender hands it to one member device (payload 0x0B, CRYPTO.md §11):
 *
 * <pre>
 * Distribution = 32 groupId || 16 chainId || u32 iteration || 32 chainKey || 32 signingPublic
 * </pre>
 *
 * {@code chainKey} is the key at {@code iteration}: the receiver can derive that message's key
 * and later ones, nothing sent before. Prints no key.
 */
public record SenderKeyDistribution(GroupId groupId, byte[] chainId, long iteration, byte[] chainKey, byte[] signingPublic) {

    public static final int CHAIN_ID_SIZE = 16;
    public static final int SIZE = GroupId.SIZE + CHAIN_ID_SIZE + 4 + ChainKey.SIZE + Ed25519.KEY_SIZE;

    public SenderKeyDistribution {
        Objects.requireNonNull(groupId, "groupId");
        chainId = Bytes.requireLength(chainId, CHAIN_ID_SIZE, "chain id").clone();
        SenderChain.requireIteration(iteration);
        chainKey = Bytes.requireLength(chainKey, ChainKey.SIZE, "chain key").clone();
        signingPublic = Bytes.requireLength(signingPublic, Ed25519.KEY_SIZE, "signing key").clone();
    }

    @Override public byte[] chainId() { return chainId.clone(); }
    @Override public byte[] chainKey() { return chainKey.clone(); }
    @Override public byte[] signingPublic() { return signingPublic.clone(); }

    public byte[] encode() {
        return new ByteWriter(SIZE).bytes(groupId.bytes()).bytes(chainId).u32(iteration).bytes(chainKey)
                .bytes(signingPublic).toByteArray();
    }

    /** Exactly {@link #SIZE} bytes; an iteration beyond the last usable one is malformed. */
    public static SenderKeyDistribution decode(byte[] bytes) throws ProtocolException {
        ByteReader in = new ByteReader(bytes, "sender key distribution");
        GroupId groupId = GroupId.of(in.bytes(GroupId.SIZE));
        byte[] chainId = in.bytes(CHAIN_ID_SIZE);
        long iteration = in.u32();
        byte[] chainKey = in.bytes(ChainKey.SIZE);
        byte[] signingPublic = in.bytes(Ed25519.KEY_SIZE);
        in.expectEnd();
        try {
            return new SenderKeyDistribution(groupId, chainId, iteration, chainKey, signingPublic);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SenderKeyDistribution that && groupId.equals(that.groupId)
                && Arrays.equals(chainId, that.chainId) && iteration == that.iteration
                && Arrays.equals(chainKey, that.chainKey) && Arrays.equals(signingPublic, that.signingPublic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, Arrays.hashCode(chainId), iteration);
    }

    @Override
    public String toString() {
        return "SenderKeyDistribution[group=" + groupId + ", chainId=" + Bytes.b64(chainId) + ", iteration=" + iteration + "]";
    }
}
