package dev.parley.protocol.testing;

import dev.parley.protocol.crypto.Randomness;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Hands out recorded byte strings in order (vector replay); fails on any mismatch in length or count. */
public final class RecordedRandomness implements Randomness {

    private final Deque<byte[]> remaining;

    public RecordedRandomness(List<byte[]> recorded) {
        this.remaining = new ArrayDeque<>(recorded);
    }

    @Override
    public void nextBytes(byte[] out) {
        byte[] next = remaining.pollFirst();
        if (next == null) {
            throw new AssertionError("protocol drew more randomness than was recorded");
        }
        if (next.length != out.length) {
            throw new AssertionError("protocol drew " + out.length + " bytes where " + next.length + " were recorded");
        }
        System.arraycopy(next, 0, out, 0, out.length);
    }

    public int remaining() {
        return remaining.size();
    }
}
