package dev.parley.protocol.groups;

import dev.parley.protocol.codec.Bytes;
import java.util.Arrays;

/**
 * A message key derived past but not used yet (a message still on its way), stored as its seed
 * with the time it was derived (the caller's clock, ms). Prints no key.
 */
record SkippedSenderKey(byte[] chainId, long iteration, byte[] seed, long storedAt) {

    boolean is(byte[] id, long i) {
        return iteration == i && Arrays.equals(chainId, id);
    }

    @Override
    public String toString() {
        return "SkippedSenderKey[chainId=" + Bytes.b64(chainId) + ", iteration=" + iteration + "]";
    }
}
