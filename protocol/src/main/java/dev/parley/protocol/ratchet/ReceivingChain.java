package dev.parley.protocol.ratchet;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.X25519;
import java.util.Arrays;

/**
 * The current receiving chain: the peer's ratchet public key {@code DHr} and the chain key
 * {@code CKr} whose index is {@code Nr}, the next message number expected. Immutable.
 *
 * @param chainKey null while only {@code DHr} is known: an initiator before the first reply
 *     knows {@code DHr = SPK_B} but has no receiving chain yet (CRYPTO.md §3.1)
 */
public record ReceivingChain(byte[] ratchetKey, ChainKey chainKey) {

    public ReceivingChain {
        ratchetKey = Bytes.requireLength(ratchetKey, X25519.KEY_SIZE, "ratchet key").clone();
    }

    public boolean isFor(byte[] otherRatchetKey) {
        return Arrays.equals(ratchetKey, otherRatchetKey);
    }

    ReceivingChain advance() {
        return new ReceivingChain(ratchetKey, chainKey.next());
    }

    @Override
    public byte[] ratchetKey() {
        return ratchetKey.clone();
    }

    @Override
    public String toString() {
        return "ReceivingChain[dh=" + Bytes.b64(ratchetKey) + ", n=" + (chainKey == null ? "-" : chainKey.index()) + "]";
    }
}
