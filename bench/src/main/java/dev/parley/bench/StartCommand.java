package dev.parley.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How long the server takes from its launch to a healthy {@code /healthz}, without and with the
 * jar's ahead-of-time class cache ({@code parley-server.aot} beside the jar; docs/OPERATIONS.md,
 * "Start time"). Each round starts it once each way, the order alternating, each on a fresh
 * SQLite file; one JSON line per way: the median, fastest and slowest start, and the server's
 * CPU until healthy (its threads, the JIT compilers' included). Readiness is polled every
 * 100 ms, so single starts are known to about that.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Starts the server again and again, without and with its AOT class cache, and reports the time to healthy.")
final class StartCommand implements Callable<Integer> {

    @Option(names = "--starts", defaultValue = "10", description = "Starts of each way (default ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--json", description = "Print machine-readable JSON lines instead of the text report.")
    boolean json;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        Path cache = AotCache.besideJar(server.jar(), "parley-server.aot", "the server module's package phase");
        List<String> jvmArgs = List.of(server.serverJvmArgs, server.serverJvmArgs + " -XX:AOTCache=" + cache);
        List<List<Double>> millis = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> cpuMillis = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < starts; round++) {
            for (int i = 0; i < 2; i++) {
                int way = round % 2 == 0 ? i : 1 - i;
                server.serverJvmArgs = jvmArgs.get(way);
                long begin = System.nanoTime();
                try (var running = server.startParley()) {
                    millis.get(way).add((System.nanoTime() - begin) / 1e6);
                    cpuMillis.get(way).add(running.target().cpuMicros() / 1e3);
                }
            }
        }
        for (int way = 0; way < 2; way++) {
            List<Double> times = millis.get(way).stream().sorted().toList();
            var result = new Result("start", "parley");
            result.extra.put("aot_cache", way == 1);
            result.extra.put("jvm_args", jvmArgs.get(way));
            result.extra.put("starts", starts);
            result.extra.put("start_median_ms", Result.median(times));
            result.extra.put("start_min_ms", times.getFirst());
            result.extra.put("start_max_ms", times.getLast());
            result.extra.put("start_cpu_median_ms", Result.median(cpuMillis.get(way).stream().sorted().toList()));
            System.out.println(json ? result.toJson() : result.toText());
        }
        return 0;
    }
}
