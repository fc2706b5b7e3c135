package dev.parley.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code parley-bench}: Parley's load generator. One subcommand per scenario, plus the plot. */
@Command(name = "parley-bench", mixinStandardHelpOptions = true, version = "parley-bench 0.1.0",
        description = "Load generator for Parley: runs a scenario against a freshly started server (or --server URL) "
                + "over real WebSockets and prints throughput, latency, errors, and the server's CPU and memory.",
        subcommands = {RelayCommand.class, IdleCommand.class, ConnectCommand.class, DrainCommand.class, GroupCommand.class, AttachmentsCommand.class, PageLoadCommand.class, ClusterCommand.class, ClusterTableCommand.class, FlameCommand.class, PlotCommand.class, TableCommand.class, StartCommand.class, CliStartCommand.class})
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line; returns the exit status (0 when the scenario ran and had no errors). */
    static int run(String... args) {
        var commandLine = new CommandLine(new BenchMain());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.registerConverter(java.time.Duration.class, new Durations());
        return commandLine.execute(args);
    }
}
