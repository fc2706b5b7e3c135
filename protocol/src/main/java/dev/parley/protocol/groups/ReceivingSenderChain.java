package dev.parley.protocol.groups;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.ratchet.ChainKey;
import java.util.Arrays;

/**
 * One receiving chain of a {@link SenderKeyReceiver}: the chain id, the sender's signing key,
 * the iteration it was distributed at ({@code first}: nothing before it can be opened) and the
 * chain key of the next iteration not yet derived. Prints no key.
 */
record ReceivingSenderChain(byte[] chainId, byte[] signingPublic, long first, ChainKey next) {

    boolean is(byte[] id) {
        return Arrays.equals(chainId, id);
    }

    ReceivingSenderChain advancedTo(ChainKey key) {
        return new ReceivingSenderChain(chainId, signingPublic, first, key);
    }

    @Override
    public String toString() {
        return "ReceivingSenderChain[chainId=" + Bytes.b64(chainId) + ", first=" + first + ", next=" + next.index() + "]";
    }
}
