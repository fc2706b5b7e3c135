package dev.parley.bench.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ParleyBenchmarks} and {@link LibsignalBenchmarks} in one JMH run (so both meet the
 * same machine load) and prints the ratio table. Settings for a 2-core machine: one fork per
 * benchmark, one thread, warm-up 3 x 2 s (session setup: 10 x 2 s, the JIT needs it at
 * milliseconds per operation), measurement 5 x 2 s.
 *
 * <pre>
 * bin/parley-bench-crypto                      all benchmarks
 * bin/parley-bench-crypto ratchetSameChain     only methods matching the regular expression
 * bin/parley-bench-crypto --quick              warm-up 1 x 1 s, measurement 3 x 1 s
 * bin/parley-bench-crypto --json out.json      also writes JMH's JSON results
 * </pre>
 */
public final class CryptoBenchMain {

    private CryptoBenchMain() {}

    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        String json = null;
        List<String> methods = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--json" -> json = args[++i];
                case "-h", "--help" -> {
                    System.out.println("usage: parley-bench-crypto [--quick] [--json FILE] [METHOD_REGEX...]");
                    return;
                }
                default -> methods.add(args[i]);
            }
        }
        // Forks, warm-up and measurement come from the benchmark classes' annotations (one fork,
        // warm-up 3 x 2 s, session setup 10 x 2 s, measurement 5 x 2 s); --quick overrides them.
        ChainedOptionsBuilder options = new OptionsBuilder().threads(1).shouldFailOnError(true)
                .addProfiler(ProcessCpuProfiler.class);
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        for (Class<?> benchmarks : List.of(ParleyBenchmarks.class, LibsignalBenchmarks.class)) {
            String prefix = benchmarks.getName().replace(".", "\\.") + "\\.";
            if (methods.isEmpty()) {
                options.include(prefix);
            } else {
                methods.forEach(m -> options.include(prefix + m));
            }
        }
        if (json != null) {
            options.resultFormat(ResultFormatType.JSON).result(json);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println(RatioTable.format(results));
    }
}
