package dev.parley.bench;

import dev.parley.wire.frames.AuthFrames;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AtomicHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Connect-and-authenticate churn: each worker owns a set of registered accounts and, in a
 * loop, opens a WebSocket, waits for the challenge, logs in with a fresh signature, waits for
 * {@code logged_in}, and closes. Latency is that whole handshake; the rate counts handshakes
 * completed in the measured window. Accounts are registered beforehand, unmeasured.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Connect + challenge + signed login + close, in a loop; reports connects-with-auth per second.")
final class ConnectCommand implements Callable<Integer> {

    @Option(names = "--concurrency", defaultValue = "64", description = "Handshakes in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--accounts-per-worker", defaultValue = "4", description = "Accounts each worker cycles through (default ${DEFAULT-VALUE}).")
    int accountsPerWorker;

    @Option(names = "--source-addresses", defaultValue = "4",
            description = "Loopback source addresses to spread sockets over (default ${DEFAULT-VALUE}).")
    int sourceAddresses;

    @Mixin
    MeasuredWindow measured;

    @Mixin
    ScenarioOptions scenario;

    @Override
    public Integer call() throws Exception {
        return scenario.runOnParley((target, executor) -> {
            List<HttpClient> https = Accounts.clientsOnSourceAddresses(sourceAddresses, executor);
            String prefix = Accounts.runPrefix();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < concurrency * accountsPerWorker; i++) {
                names.add(prefix + "_c" + i);
            }
            List<Accounts.Device> devices = Accounts.register(https, target, names).all();
            devices.forEach(device -> device.client().close());

            var latencies = new AtomicHistogram(TimeUnit.MINUTES.toNanos(1), 3);
            var inWindow = new LongAdder();
            var errors = new LongAdder();
            var firstError = new AtomicReference<String>();
            long start = System.nanoTime();
            long measureStart = start + measured.warmup.toNanos();
            long measureEnd = measureStart + measured.duration.toNanos();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                workers.add(Thread.ofVirtual().start(() -> {
                    HttpClient http = https.get(worker % https.size());
                    for (long round = 0; System.nanoTime() < measureEnd; round++) {
                        var device = devices.get(worker * accountsPerWorker + (int) (round % accountsPerWorker));
                        long begin = System.nanoTime();
                        try {
                            BenchClient client = BenchClient.connect(http, target)
                                    .thenCompose(c -> c.login(device.username(), device.device(), device.deviceKey()).thenApply(answer -> {
                                        if (!(answer instanceof AuthFrames.LoggedIn)) {
                                            c.abort();
                                            throw new IllegalStateException("login failed: " + answer);
                                        }
                                        return c;
                                    }))
                                    .get(30, TimeUnit.SECONDS);
                            long end = System.nanoTime();
                            client.close();
                            client.closed().get(10, TimeUnit.SECONDS); // the next login of this account must not replace a live session
                            if (begin >= measureStart && end < measureEnd) {
                                latencies.recordValue(Math.min(end - begin, latencies.getHighestTrackableValue()));
                            }
                            if (end >= measureStart && end < measureEnd) {
                                inWindow.increment();
                            }
                        } catch (Exception e) {
                            errors.increment();
                            firstError.compareAndSet(null, String.valueOf(e.getCause() != null ? e.getCause() : e));
                        }
                    }
                }));
            }
            RelayScenario.parkUntil(measureStart);
            long cpuBefore = target.cpuMicros();
            RelayScenario.parkUntil(measureEnd);
            long cpuAfter = target.cpuMicros();
            long completed = inWindow.sum();
            for (Thread worker : workers) {
                worker.join();
            }
            var result = new Result("connect", target.kind());
            result.msgsPerSecond = completed / measured.seconds();
            result.latencies(latencies);
            result.errors = errors.sum();
            result.serverCpu(cpuBefore, cpuAfter, completed);
            result.serverRss(target.rssBytes());
            result.connections = concurrency;
            result.extra.put("connects_per_s", result.msgsPerSecond);
            result.extra.put("accounts", devices.size());
            if (firstError.get() != null) {
                result.extra.put("first_error", firstError.get());
            }
            result.extra.put("note", "msgs_per_s = connects with auth per second; latency = connect to logged_in");
            https.forEach(HttpClient::shutdownNow);
            return result;
        });
    }
}
