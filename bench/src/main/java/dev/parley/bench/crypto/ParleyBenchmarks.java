package dev.parley.bench.crypto;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parley's Java protocol: one 1 KiB message encrypted by one party and decrypted by the other
 * per operation, and session setup. Method names match {@link LibsignalBenchmarks} (a
 * {@code Stored} suffix marks the variant that loads and stores session records as bytes around
 * every call, like libsignal's in-memory stores).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParleyBenchmarks {

    /** Warm-up iterations (2 s each) of the session-setup benchmarks of both libraries. */
    public static final int SETUP_WARMUP_ITERATIONS = 10;

    private final byte[] payload = Payloads.oneKib();
    private ParleyConversation inMemory;
    private ParleyConversation stored;
    private ParleyConversation setup;

    @Setup
    public void setUp() throws Exception {
        inMemory = new ParleyConversation(false);
        inMemory.establish(payload);
        stored = new ParleyConversation(true);
        stored.establish(payload);
        setup = new ParleyConversation(false);
    }

    /** Alice to Bob only: the symmetric chain, no DH ratchet step. */
    @Benchmark
    public byte[] ratchetSameChain() throws Exception {
        return inMemory.sameChain(payload);
    }

    /** Directions alternate: every message starts a new chain (a DH ratchet step on receipt). */
    @Benchmark
    public byte[] ratchetWithTurns() throws Exception {
        return inMemory.withTurns(payload);
    }

    /** As {@link #ratchetSameChain()}, with both records loaded from and stored as bytes. */
    @Benchmark
    public byte[] ratchetSameChainStored() throws Exception {
        return stored.sameChain(payload);
    }

    /** As {@link #ratchetWithTurns()}, with both records loaded from and stored as bytes. */
    @Benchmark
    public byte[] ratchetWithTurnsStored() throws Exception {
        return stored.withTurns(payload);
    }

    /**
     * PQXDH initiate (bundle verified) + first message encrypted + PQXDH respond and decrypt.
     * Longer warm-up: at milliseconds per operation the JIT needs more than 3 x 2 s.
     */
    @Benchmark
    @Warmup(iterations = SETUP_WARMUP_ITERATIONS, time = 2)
    public byte[] sessionSetup() throws Exception {
        return setup.setUp(payload);
    }
}
