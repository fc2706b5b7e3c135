package dev.parley.bench.crypto;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the benchmark JVM's CPU time per operation (all its threads:
 * the benchmark thread, which also runs libsignal's native code, plus GC and JIT), next to
 * JMH's wall-clock time. On a machine shared with other work, wall-clock time also counts the
 * time this JVM waited for a core; CPU time does not, so the two libraries' CPU figures stay
 * comparable when the machine's load changes between benchmarks.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    /** The secondary result's label in JMH's output and JSON. */
    public static final String LABEL = "cpu";

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark JVM (all threads) per operation, in us/op";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long cpuNanos = OS.getProcessCpuTime() - cpuAtStart;
        long operations = Math.max(1, result.getMetadata().getAllOps());
        return List.of(new ScalarResult(LABEL, cpuNanos / 1000.0 / operations, "us/op", AggregationPolicy.AVG));
    }
}
