package dev.parley.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a generous timeout (the test machine is busy), polling every 50 ms. */
public final class Eventually {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Eventually() {
    }

    public static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
