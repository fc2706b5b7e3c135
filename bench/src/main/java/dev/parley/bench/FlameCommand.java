package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordingFile;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A flame graph (one self-contained HTML file) of the CPU samples in a JFR recording, such as
 * the one {@code --jfr FILE} makes of a server the bench started, drawn by async-profiler's
 * converter ({@code tools.profiler:jfr-converter}). The bench records {@code jdk.CPUTimeSample}
 * (JDK 25: a sample per 10 ms of a thread's CPU time, native code such as SQLite's included, a
 * thread that waits never sampled); a recording without them is drawn from
 * {@code jdk.ExecutionSample} plus {@code jdk.NativeMethodSample}, where a thread parked in native
 * code (epoll) counts too, so read those graphs as wall time. With {@code --threads} every
 * thread is its own tower (the writer, the completer, Jetty's and the virtual threads'
 * carriers side by side). Kernel frames are not sampled: a system call shows as the frame that
 * made it; per-thread system time is in the relay's {@code server_threads_us_per_msg}.
 */
@Command(name = "flame", mixinStandardHelpOptions = true,
        description = "Turns the CPU samples of a JFR recording (--jfr FILE of a scenario) into an HTML flame graph.")
final class FlameCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The JFR recording.")
    Path recording;

    @Parameters(index = "1", description = "The HTML file to write.")
    Path output;

    @Option(names = "--title", defaultValue = "Parley server CPU", description = "The graph's title (default ${DEFAULT-VALUE}).")
    String title;

    @Option(names = "--threads", description = "One tower per thread.")
    boolean threads;

    @Option(names = "--include", description = "Only stacks with a frame matching this regular expression.")
    String include;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(recording)) {
            System.err.println("no recording at " + recording);
            return 2;
        }
        boolean cpuTime = hasCpuTimeSamples(recording);
        if (!cpuTime) {
            System.err.println("no jdk.CPUTimeSample events in " + recording + ": drawing execution and native-method samples (wall time in native code)");
        }
        List<String> args = new ArrayList<>(List.of("--simple", "--title", title));
        if (cpuTime) {
            args.add("--cpu-time");
        }
        if (threads) {
            args.add("--threads");
        }
        if (include != null) {
            args.addAll(List.of("--include", include));
        }
        args.add(recording.toString());
        args.add(output.toString());
        Arguments arguments = new Arguments(args.toArray(String[]::new));
        JfrToFlame.convert(recording.toString(), output.toString(), arguments);
        System.err.println("flame graph in " + output);
        return 0;
    }

    private static boolean hasCpuTimeSamples(Path recording) throws java.io.IOException {
        try (var file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                if (file.readEvent().getEventType().getName().equals("jdk.CPUTimeSample")) {
                    return true;
                }
            }
        }
        return false;
    }
}
