package dev.parley.server.testing;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/** A clock for Bucket4j buckets that moves only when a test moves it. */
public final class ManualTimeMeter implements TimeMeter {

    private long nanos = 1_000_000_000L;

    @Override
    public long currentTimeNanos() {
        return nanos;
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }

    public void advance(Duration by) {
        nanos += by.toNanos();
    }
}
