package dev.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How long one {@code parley} command takes from launch to exit, without and with the CLI jar's
 * ahead-of-time class cache ({@code parley.aot} beside the jar; docs/CLIENT.md, "Start time"):
 * against a freshly started server, two accounts are registered, then each round runs
 * {@code send} (connect, log in, encrypt, store, exit) and {@code --help} once each way, the
 * order alternating. At the end the recipient receives, and the run fails unless every message
 * sent arrived. One JSON line per command and way: the median, fastest and slowest wall time and
 * the median CPU of the command's JVM (every thread, read from the children's times the kernel
 * adds to this process's {@code /proc/self/stat} when it reaps them; 10 ms ticks).
 */
@Command(name = "cli-start", mixinStandardHelpOptions = true,
        description = "Runs parley commands again and again, without and with the CLI's AOT class cache, and reports their time to exit.")
final class CliStartCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "10", description = "Runs of each command each way (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--cli-jar", description = "The CLI jar (default: <repo>/client/target/parley.jar); its cache is parley.aot beside it.")
    Path cliJar;

    @Option(names = "--json", description = "Print machine-readable JSON lines instead of the text report.")
    boolean json;

    @Mixin
    ServerOptions server;

    private record Timing(double millis, double cpuMillis) {
    }

    @Override
    public Integer call() throws Exception {
        Path jar = (cliJar != null ? cliJar : server.repoRoot().resolve("client/target/parley.jar")).toAbsolutePath();
        Path cache = AotCache.besideJar(jar, "parley.aot", "the client module's package phase");
        List<List<String>> ways = List.of(List.of(), List.of("-XX:AOTCache=" + cache));
        Path homes = Files.createTempDirectory("parley-bench-cli");
        try (var running = server.startParley()) {
            String alice = homes.resolve("alice").toString();
            String bob = homes.resolve("bob").toString();
            String url = running.target().httpBase();
            run(jar, List.of(), "--server", url, "register", "bench_alice", "--home", alice);
            run(jar, List.of(), "--server", url, "register", "bench_bob", "--home", bob);
            List<String[]> commands = List.of(new String[] {"send", "bench_bob", "a measured message", "--home", alice},
                    new String[] {"--help"});
            for (String[] command : commands) {
                List<List<Timing>> timings = List.of(new ArrayList<>(), new ArrayList<>());
                for (int round = 0; round < runs; round++) {
                    for (int i = 0; i < 2; i++) {
                        int way = round % 2 == 0 ? i : 1 - i;
                        timings.get(way).add(run(jar, ways.get(way), command));
                    }
                }
                for (int way = 0; way < 2; way++) {
                    report(command[0], way == 1, ways.get(way), timings.get(way));
                }
            }
            long received = runForOutput(jar, "receive", "--wait", "3", "--home", bob).lines().filter(line -> !line.isBlank()).count();
            if (received != 2L * runs) {
                throw new IllegalStateException("bob received " + received + " of the " + 2 * runs + " messages sent");
            }
        } finally {
            ChildProcess.deleteTree(homes);
        }
        return 0;
    }

    private void report(String command, boolean cached, List<String> jvmArgs, List<Timing> timings) {
        List<Double> millis = timings.stream().map(Timing::millis).sorted().toList();
        var result = new Result("cli-start", "parley");
        result.extra.put("command", command);
        result.extra.put("aot_cache", cached);
        result.extra.put("jvm_args", String.join(" ", jvmArgs));
        result.extra.put("runs", runs);
        result.extra.put("median_ms", Result.median(millis));
        result.extra.put("min_ms", millis.getFirst());
        result.extra.put("max_ms", millis.getLast());
        result.extra.put("cpu_median_ms", Result.median(timings.stream().map(Timing::cpuMillis).sorted().toList()));
        System.out.println(json ? result.toJson() : result.toText());
    }

    /** Runs one command to its exit (which must be 0), its output discarded, and times it. */
    private static Timing run(Path jar, List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        long cpuBefore = childrenCpuTicks();
        long begin = System.nanoTime();
        Path errors = Files.createTempFile("parley-cli-start", ".err");
        Process process = start(jar, jvmArgs, args, ProcessBuilder.Redirect.DISCARD, errors);
        await(process, args, errors);
        double millis = (System.nanoTime() - begin) / 1e6;
        return new Timing(millis, (childrenCpuTicks() - cpuBefore) * 1000.0 / ProcessStats.TICKS_PER_SECOND);
    }

    private static String runForOutput(Path jar, String... args) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("parley-cli-start", ".err");
        Process process = start(jar, List.of(), args, ProcessBuilder.Redirect.PIPE, errors);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        await(process, args, errors);
        return output;
    }

    /**
     * Starts one CLI command with its standard error to the file {@code errors}, so that a child
     * writing much to it never blocks on a pipe nobody reads while its output is read.
     */
    private static Process start(Path jar, List<String> jvmArgs, String[] args, ProcessBuilder.Redirect output, Path errors)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(output).redirectError(errors.toFile()).start();
    }

    /** Waits for the command's exit, which must be 0 with nothing on standard error; deletes {@code errors}. */
    private static void await(Process process, String[] args, Path errors) throws IOException, InterruptedException {
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("'parley " + String.join(" ", args) + "' did not exit within 2 minutes");
            }
            String written = new String(Files.readAllBytes(errors), StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || !written.isBlank()) {
                throw new IllegalStateException("'parley " + String.join(" ", args) + "' exited with " + process.exitValue() + ": " + written);
            }
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** This process's reaped children's CPU (user and system), in clock ticks, from /proc/self/stat. */
    private static long childrenCpuTicks() throws IOException {
        String[] fields = ProcessStats.fieldsAfterName(Files.readString(Path.of("/proc/self/stat")));
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime and cstime (fields 16 and 17)
    }
}
