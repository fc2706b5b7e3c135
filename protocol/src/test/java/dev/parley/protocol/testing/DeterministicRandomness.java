package dev.parley.protocol.testing;

import dev.parley.protocol.crypto.Hmac;
import dev.parley.protocol.crypto.Randomness;
import java.nio.charset.StandardCharsets;

/**
 * Reproducible test randomness: block {@code i} is {@code HMAC-SHA256(utf8(label), u64 i)}, so
 * the same label always yields the same stream. Records every draw when asked to.
 */
public final class DeterministicRandomness implements Randomness {

    private final byte[] key;
    private long counter;
    private final java.util.List<byte[]> draws = new java.util.ArrayList<>();

    public DeterministicRandomness(String label) {
        this.key = label.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void nextBytes(byte[] out) {
        int offset = 0;
        while (offset < out.length) {
            byte[] block = Hmac.sha256(key, java.nio.ByteBuffer.allocate(8).putLong(counter++).array());
            int take = Math.min(block.length, out.length - offset);
            System.arraycopy(block, 0, out, offset, take);
            offset += take;
        }
        draws.add(out.clone());
    }

    /** Every byte string drawn so far, in order. */
    public java.util.List<byte[]> draws() {
        return java.util.List.copyOf(draws);
    }
}
