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
 * libsignal-client, measured exactly as {@link ParleyBenchmarks}: one 1 KiB message encrypted
 * by one party and decrypted by the other per operation, and session setup. Its in-memory stores
 * keep session records serialized, so every call loads and stores them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LibsignalBenchmarks {

    private final byte[] payload = Payloads.oneKib();
    private LibsignalConversation conversation;
    private LibsignalConversation setup;

    @Setup
    public void setUp() throws Exception {
        conversation = new LibsignalConversation();
        conversation.establish(payload);
        setup = new LibsignalConversation();
    }

    /** Alice to Bob only: the symmetric chain, no DH ratchet step. */
    @Benchmark
    public byte[] ratchetSameChain() throws Exception {
        return conversation.sameChain(payload);
    }

    /** Directions alternate: every message starts a new chain (a DH ratchet step on receipt). */
    @Benchmark
    public byte[] ratchetWithTurns() throws Exception {
        return conversation.withTurns(payload);
    }

    /**
     * PQXDH initiate (bundle verified) + first message encrypted + PQXDH respond and decrypt.
     * Longer warm-up: at milliseconds per operation the JIT needs more than 3 x 2 s.
     */
    @Benchmark
    @Warmup(iterations = ParleyBenchmarks.SETUP_WARMUP_ITERATIONS, time = 2)
    public byte[] sessionSetup() throws Exception {
        return setup.setUp(payload);
    }
}
