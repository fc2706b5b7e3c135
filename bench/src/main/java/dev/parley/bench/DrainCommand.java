package dev.parley.bench;

import dev.parley.wire.WireFrame;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.AuthFrames;
import dev.parley.wire.frames.DeliveryFrames;
import dev.parley.wire.frames.SessionFrames;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A large offline queue delivered on login. A sender fills an offline recipient's queue
 * (pipelined, {@code --window} unacknowledged sends; reported as the fill rate, each message
 * durably committed); then the recipient logs in and acknowledges every {@code relay_message}
 * as it arrives. The drain rate is messages over the time from sending {@code login} to
 * receiving the last message; server CPU per message is measured over the drain alone.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Fills an offline recipient's queue, then measures how fast it is delivered on login.")
final class DrainCommand implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "10000", description = "Queued messages (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--size", defaultValue = "1024", description = "Envelope size in bytes before base64 (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--window", defaultValue = "256", description = "Unacknowledged sends while filling (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--timeout", defaultValue = "120s", description = "Give up on filling or draining after this long (default ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

    @Mixin
    ScenarioOptions scenario;

    @Override
    public Integer call() throws Exception {
        return scenario.runOnParley((target, executor) -> {
            HttpClient http = HttpClient.newBuilder().executor(executor).build();
            String prefix = Accounts.runPrefix();
            String senderName = prefix + "_sender";
            String recipientName = prefix + "_recipient";
            List<Accounts.Device> devices = Accounts.register(List.of(http), target, List.of(senderName, recipientName)).all();
            Accounts.Device sender = devices.get(0);
            Accounts.Device recipient = devices.get(1);
            recipient.client().close();
            recipient.client().closed().get(10, TimeUnit.SECONDS);

            var errors = new LongAdder();
            var firstError = new AtomicReference<String>();
            double fillPerSecond = fill(sender.client(), recipientName, errors, firstError);

            var received = new LongAdder();
            var done = new CompletableFuture<Void>();
            BenchClient client = BenchClient.connect(http, target).get(10, TimeUnit.SECONDS);
            client.onFrame((c, frame) -> {
                if (frame instanceof DeliveryFrames.RelayMessage message) {
                    Deliveries.acknowledge(c, message);
                    received.increment();
                    if (received.sum() >= messages) {
                        done.complete(null);
                    }
                }
            });
            long cpuBefore = target.cpuMicros();
            long start = System.nanoTime();
            WireFrame answer = client.login(recipientName, recipient.device(), recipient.deviceKey()).get(10, TimeUnit.SECONDS);
            if (!(answer instanceof AuthFrames.LoggedIn)) {
                throw new IllegalStateException("login failed: " + answer);
            }
            try {
                done.get(timeout.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                errors.increment();
                firstError.compareAndSet(null, "drain timed out after " + received.sum() + " messages");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpuAfter = target.cpuMicros();

            var result = new Result("drain", target.kind());
            result.msgsPerSecond = received.sum() / seconds;
            result.errors = errors.sum() + (messages - Math.min(messages, received.sum()));
            result.serverCpu(cpuBefore, cpuAfter, received.sum());
            result.serverRss(target.rssBytes());
            result.connections = 2;
            result.extra.put("queued", messages);
            result.extra.put("delivered", received.sum());
            result.extra.put("drain_s", seconds);
            result.extra.put("fill_msgs_per_s", fillPerSecond);
            if (firstError.get() != null) {
                result.extra.put("first_error", firstError.get());
            }
            client.abort();
            sender.client().abort();
            http.shutdownNow();
            return result;
        });
    }

    /** Sends {@code messages} to the offline recipient, {@code window} at a time; returns stored messages per second. */
    private double fill(BenchClient sender, String to, LongAdder errors, AtomicReference<String> firstError) throws Exception {
        var permits = new Semaphore(window);
        var acknowledged = new LongAdder();
        sender.onFrame((c, frame) -> {
            if (frame instanceof DeliveryFrames.Stored || frame instanceof SessionFrames.ErrorFrame) {
                if (frame instanceof SessionFrames.ErrorFrame error) {
                    errors.increment();
                    firstError.compareAndSet(null, error.code());
                }
                acknowledged.increment();
                permits.release();
            }
        });
        byte[] envelope = new byte[size];
        new SecureRandom().nextBytes(envelope);
        FrameTemplate sendMessage = Deliveries.sendMessage(to, WireJson.base64(envelope));
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        for (int i = 0; i < messages; i++) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("filling the queue timed out after " + i + " messages");
            }
            sender.send(sendMessage.with("m" + i));
        }
        if (!permits.tryAcquire(window, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("filling the queue timed out waiting for acks");
        }
        return messages / ((System.nanoTime() - start) / 1e9);
    }
}
