package dev.parley.protocol.groups;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.ratchet.ChainKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Persistence of a {@link SenderKeyReceiver}:
 *
 * <pre>
 * u8 0x01 (format) || u8 count || count x ( 16 chainId || 32 signingPublic || u32 first || u32 next || 32 chainKey )
 * || u16 count || count x ( 16 chainId || u32 iteration || 32 seed || u64 storedAt )
 * </pre>
 *
 * Chains oldest installed first, skipped keys oldest first. Decoding is strict: at most
 * {@link Limits#MAX_SENDER_KEY_CHAINS} distinct chains and {@link Limits#MAX_SKIPPED_SENDER_KEYS}
 * distinct skipped keys, each of a held chain between its first and next iteration.
 */
final class SenderKeyReceiverCodec {

    static final int FORMAT = 0x01;
    private static final int CHAIN_ID = SenderKeyDistribution.CHAIN_ID_SIZE;

    private SenderKeyReceiverCodec() {}

    static byte[] encode(SenderKeyReceiver receiver) {
        ByteWriter out = new ByteWriter(4 + receiver.chains().size() * 88 + receiver.skipped().size() * 60)
                .u8(FORMAT).u8(receiver.chains().size());
        for (ReceivingSenderChain chain : receiver.chains()) {
            out.bytes(chain.chainId()).bytes(chain.signingPublic()).u32(chain.first()).u32(chain.next().index())
                    .bytes(chain.next().bytes());
        }
        out.u16(receiver.skipped().size());
        for (SkippedSenderKey key : receiver.skipped()) {
            out.bytes(key.chainId()).u32(key.iteration()).bytes(key.seed()).u64(key.storedAt());
        }
        return out.toByteArray();
    }

    static SenderKeyReceiver decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "sender key receiver", FORMAT);
        int chainCount = in.u8();
        if (chainCount > Limits.MAX_SENDER_KEY_CHAINS) {
            throw in.malformed("more than " + Limits.MAX_SENDER_KEY_CHAINS + " chains");
        }
        List<ReceivingSenderChain> chains = new ArrayList<>(chainCount);
        for (int i = 0; i < chainCount; i++) {
            byte[] chainId = in.bytes(CHAIN_ID);
            byte[] signingPublic = in.bytes(Ed25519.KEY_SIZE);
            long first = in.u32();
            long next = in.u32();
            byte[] chainKey = in.bytes(ChainKey.SIZE);
            if (first > Limits.MAX_MESSAGE_NUMBER || next < first) {
                throw in.malformed("chain iterations out of order");
            }
            if (chains.stream().anyMatch(chain -> chain.is(chainId))) {
                throw in.malformed("chain held twice");
            }
            chains.add(new ReceivingSenderChain(chainId, signingPublic, first, new ChainKey(chainKey, next)));
        }
        int keyCount = in.u16();
        if (keyCount > Limits.MAX_SKIPPED_SENDER_KEYS) {
            throw in.malformed("more than " + Limits.MAX_SKIPPED_SENDER_KEYS + " skipped keys");
        }
        List<SkippedSenderKey> keys = new ArrayList<>(keyCount);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keyCount; i++) {
            byte[] chainId = in.bytes(CHAIN_ID);
            long iteration = in.u32();
            byte[] seed = in.bytes(32);
            long storedAt = in.u64();
            ReceivingSenderChain chain = chains.stream().filter(c -> c.is(chainId)).findFirst()
                    .orElseThrow(() -> in.malformed("skipped key of a chain not held"));
            if (iteration < chain.first() || iteration >= chain.next().index()) {
                throw in.malformed("skipped key outside its chain's iterations");
            }
            if (!seen.add(Bytes.b64(chainId) + ":" + iteration)) {
                throw in.malformed("skipped key held twice");
            }
            keys.add(new SkippedSenderKey(chainId, iteration, seed, storedAt));
        }
        in.expectEnd();
        return new SenderKeyReceiver(chains, keys);
    }
}
