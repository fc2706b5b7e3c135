package dev.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many authenticated connections held open and silent. Each is a registered account (an
 * account is one device, so they cannot share one). Memory per connection is the growth of the
 * server's resident set from before the first connection to after the hold, divided by the
 * connections held.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Opens many authenticated connections, holds them, and reports server memory per connection.")
final class IdleCommand implements Callable<Integer> {

    /** Sockets per loopback source address: below the ~28,000 ephemeral ports of one address. */
    static final int CONNECTIONS_PER_SOURCE_ADDRESS = 20_000;
    /** Files a process has open besides the sockets: jars, the database, logs, epoll. */
    static final int FILES_BESIDES_SOCKETS = 300;

    @Option(names = "--connections", defaultValue = "1000", description = "Connections to hold (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--hold", defaultValue = "10s", description = "How long to hold them once all are open (default ${DEFAULT-VALUE}).")
    Duration hold;

    @Mixin
    ScenarioOptions scenario;

    /** Fails fast, with the reason, when a process cannot hold the connections asked for. */
    private void checkOpenFilesLimit(ProcessStats process, String who) {
        long limit = process.openFilesLimit();
        if (connections + FILES_BESIDES_SOCKETS > limit) {
            throw new IllegalStateException(who + " may open " + limit + " files (ulimit -n) and " + connections
                    + " connections need " + (connections + FILES_BESIDES_SOCKETS) + "; raise the limit "
                    + "(bin/parley-bench raises it as far as the hard limit allows) or ask for fewer connections");
        }
    }

    @Override
    public Integer call() throws Exception {
        int sources = Math.max(1, (connections + CONNECTIONS_PER_SOURCE_ADDRESS - 1) / CONNECTIONS_PER_SOURCE_ADDRESS);
        return scenario.runOnParley((target, executor) -> {
            checkOpenFilesLimit(new ProcessStats(ProcessHandle.current().pid()), "the load generator");
            if (target.stats() != null) {
                checkOpenFilesLimit(target.stats(), "the server");
            }
            var https = Accounts.clientsOnSourceAddresses(sources, executor);
            String prefix = Accounts.runPrefix();
            List<String> names = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++) {
                names.add(prefix + "_i" + i);
            }
            long rssBefore = target.rssBytes();
            long cpuBefore = target.cpuMicros();
            long start = System.nanoTime();
            Accounts.Registration registration = Accounts.register(https, target, names);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            long cpuAfterOpen = target.cpuMicros();
            ChildProcess.sleep(hold.toMillis());
            long dropped = registration.devices().stream().filter(device -> device.client().closed().isDone()).count();
            long rssAfter = target.rssBytes();
            int held = (int) (registration.devices().size() - dropped);

            var result = new Result("idle", target.kind());
            result.connections = held;
            result.errors = registration.failures() + dropped;
            result.serverRss(rssAfter);
            result.serverCpu(cpuBefore, cpuAfterOpen, registration.devices().size());
            if (rssBefore >= 0 && held > 0) {
                result.extra.put("rss_before_mb", rssBefore / (1024.0 * 1024.0));
                result.extra.put("rss_per_connection_kb", (rssAfter - rssBefore) / 1024.0 / held);
            }
            result.extra.put("source_addresses", sources);
            result.extra.put("registrations_per_s", registration.devices().size() / openSeconds);
            result.extra.put("held_for_s", hold.toSeconds());
            if (registration.firstFailure() != null) {
                result.extra.put("first_error", registration.firstFailure());
            }
            result.extra.put("note", "server_cpu_us_per_msg here is server CPU per connect+register");
            registration.devices().forEach(device -> device.client().abort());
            https.forEach(java.net.http.HttpClient::shutdownNow);
            return result;
        });
    }
}
