package dev.parley.bench.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Runs every {@code @Benchmark} method of both benchmark classes a few times outside JMH (after
 * their {@code @Setup}), so the benchmarks keep compiling and working; each must hand back the
 * 1 KiB plaintext it sent. Not a measurement: {@code bin/parley-bench-crypto} measures.
 */
class BenchmarkBodiesSmokeTest {

    @Test
    void parleyBenchmarksRoundTripTheirPayload() throws Exception {
        ParleyBenchmarks benchmarks = new ParleyBenchmarks();
        benchmarks.setUp();
        assertEquals(5, runAll(benchmarks), "Parley benchmark methods run");
    }

    @Test
    void libsignalBenchmarksRoundTripTheirPayload() throws Exception {
        LibsignalBenchmarks benchmarks = new LibsignalBenchmarks();
        benchmarks.setUp();
        assertEquals(3, runAll(benchmarks), "libsignal benchmark methods run");
    }

    @Test
    void everyParleyWorkloadHasItsLibsignalCounterpart() {
        List<String> libsignal = benchmarkMethods(LibsignalBenchmarks.class).stream().map(Method::getName).toList();
        for (Method parley : benchmarkMethods(ParleyBenchmarks.class)) {
            String counterpart = parley.getName().replace("Stored", "");
            assertEquals(true, libsignal.contains(counterpart), parley.getName() + " has no libsignal counterpart");
        }
    }

    /** Invokes each benchmark method three times (so turns go both ways); returns how many methods ran. */
    private static int runAll(Object benchmarks) throws Exception {
        List<Method> methods = benchmarkMethods(benchmarks.getClass());
        for (Method method : methods) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(Payloads.oneKib(), (byte[]) method.invoke(benchmarks), method.getName());
            }
        }
        return methods.size();
    }

    private static List<Method> benchmarkMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class)).toList();
    }
}
