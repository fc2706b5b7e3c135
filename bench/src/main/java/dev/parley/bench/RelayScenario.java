package dev.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.AtomicHistogram;

/**
 * The relay workload: {@code pairs} senders each send to their own receiver, either at a fixed
 * total rate (open loop: message k of a pair is due at a fixed time, and its latency counts from
 * that time, so a stalled server cannot hide its stall) or as fast as the server goes (closed
 * loop: each pair keeps {@code window} messages in flight).
 *
 * <p>Latency is end to end: from when a message was due to be sent to when its receiver got
 * it. The message id carries the due time and the pair, so nothing is looked up on receipt.
 * Only messages due inside the measured window count for latency; throughput and server CPU
 * count deliveries inside that window. Warm-up traffic is sent but not measured.
 */
final class RelayScenario {

    /** Open loop: a pair never has more than this many messages undelivered, so a slow server cannot exhaust the bench's memory. */
    static final int MAX_UNDELIVERED_PER_PAIR = 20_000;
    /** After sending stops, how long to wait for messages still in flight. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    record Settings(int pairs, int envelopeBytes, double ratePerSecond, int window, Duration warmup, Duration duration) {
    }

    /**
     * Readings taken at the edges of the measured window besides the target's CPU time (the
     * cluster scenario reads every node, PostgreSQL and Redis): {@link #begin} when measuring
     * starts, {@link #end} when it stops, then {@link #report} adds the figures per message
     * delivered inside the window to the result.
     */
    interface WindowMeter {
        WindowMeter NONE = new WindowMeter() {
            @Override
            public void begin() {
            }

            @Override
            public void end() {
            }

            @Override
            public void report(Result result, long deliveredInWindow) {
            }
        };

        /**
         * Called once, {@link #WARMED_UP_LEAD} before the measured window starts (or at the
         * start of the run when the warm-up is shorter): work that brings the target to its
         * steady state and must not count in the window.
         */
        default void warmedUp() {
        }

        void begin();

        void end();

        void report(Result result, long deliveredInWindow);
    }

    /** How long before the measured window {@link WindowMeter#warmedUp} is called. */
    static final Duration WARMED_UP_LEAD = Duration.ofSeconds(2);

    private final Settings settings;
    private final String scenarioName;
    private final AtomicHistogram latencies = new AtomicHistogram(TimeUnit.MINUTES.toNanos(2), 3);
    private final LongAdder deliveredInWindow = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong firstError = new AtomicLong();
    private volatile String firstErrorCode;
    private long[] sent;
    private LongAdder[] delivered;
    private Semaphore[] windows;
    private long origin;
    private long measureStart;
    private long measureEnd;

    RelayScenario(Settings settings) {
        this(settings, "relay");
    }

    /** The relay workload reported as scenario {@code scenarioName} (e.g. {@code cluster}). */
    RelayScenario(Settings settings, String scenarioName) {
        this.settings = settings;
        this.scenarioName = scenarioName;
    }

    Result run(Target target, RelayTransport transport) {
        return run(target, transport, WindowMeter.NONE);
    }

    Result run(Target target, RelayTransport transport, WindowMeter meter) {
        int pairs = settings.pairs();
        sent = new long[pairs];
        delivered = new LongAdder[pairs];
        windows = new Semaphore[pairs];
        for (int i = 0; i < pairs; i++) {
            delivered[i] = new LongAdder();
            windows[i] = new Semaphore(settings.window());
        }
        transport.open(pairs, settings.envelopeBytes(), new RelayTransport.Sink() {
            @Override
            public void delivered(String messageId) {
                onDelivered(messageId);
            }

            @Override
            public void error(String what) {
                if (firstError.getAndIncrement() == 0) {
                    firstErrorCode = what;
                }
                errors.increment();
            }
        });

        origin = System.nanoTime();
        measureStart = origin + settings.warmup().toNanos();
        measureEnd = measureStart + settings.duration().toNanos();
        List<Thread> senders = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            int pair = i;
            senders.add(Thread.ofVirtual().name("relay-sender-" + i).start(() -> sendLoop(transport, pair)));
        }
        var self = new ProcessStats(ProcessHandle.current().pid());
        parkUntil(Math.max(origin, measureStart - WARMED_UP_LEAD.toNanos()));
        meter.warmedUp();
        parkUntil(measureStart);
        long cpuBefore = target.cpuMicros();
        long selfBefore = self.cpuMicros();
        meter.begin();
        parkUntil(measureEnd);
        long cpuAfter = target.cpuMicros();
        long selfAfter = self.cpuMicros();
        meter.end();
        long inWindow = deliveredInWindow.sum();
        long rss = target.rssBytes();
        senders.forEach(RelayScenario::join);
        long undelivered = awaitDrained(transport);

        var result = new Result(scenarioName, target.kind());
        result.msgsPerSecond = inWindow / (settings.duration().toNanos() / 1e9);
        result.offeredPerSecond = settings.ratePerSecond();
        result.latencies(latencies);
        result.errors = errors.sum() + undelivered;
        result.serverCpu(cpuBefore, cpuAfter, inWindow);
        result.serverRss(rss);
        result.connections = transport.connections();
        result.extra.put("bench_cpu_s", (selfAfter - selfBefore) / 1e6);
        result.extra.put("pairs", pairs);
        result.extra.put("envelope_bytes", settings.envelopeBytes());
        result.extra.put("sent", total(sent));
        result.extra.put("undelivered", undelivered);
        if (transport instanceof ParleyRelay parley) {
            result.extra.put("stored_acks", parley.stored());
            result.extra.put("devices_per_account", parley.devicesPerAccount());
            if (parley.devicesPerAccount() > 1) {
                result.extra.put("transcripts_delivered", parley.transcripts());
            }
        }
        if (firstErrorCode != null) {
            result.extra.put("first_error", firstErrorCode);
        }
        result.extra.put("mode", settings.ratePerSecond() > 0 ? "open loop" : "closed loop, window " + settings.window());
        meter.report(result, inWindow);
        return result;
    }

    private void sendLoop(RelayTransport transport, int pair) {
        boolean openLoop = settings.ratePerSecond() > 0;
        long interval = openLoop ? (long) (settings.pairs() * 1e9 / settings.ratePerSecond()) : 0;
        long due = origin + (openLoop ? interval * pair / settings.pairs() : 0);
        long sequence = 0;
        while (true) {
            if (openLoop) {
                if (due >= measureEnd) {
                    return;
                }
                parkUntil(due);
                while (sent[pair] - delivered[pair].sum() >= MAX_UNDELIVERED_PER_PAIR) {
                    if (System.nanoTime() >= measureEnd) {
                        return;
                    }
                    LockSupport.parkNanos(100_000);
                }
            } else {
                try {
                    if (!windows[pair].tryAcquire(Math.max(0, measureEnd - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                due = System.nanoTime();
                if (due >= measureEnd) {
                    return;
                }
            }
            transport.send(pair, messageId(due, pair, sequence++));
            sent[pair]++;
            due += interval;
        }
    }

    /** {@code <due time, base 36, ns since origin>-<pair>-<sequence>}: unique per pair, and its own timestamp. */
    private String messageId(long due, int pair, long sequence) {
        return Long.toString(due - origin, 36) + "-" + pair + "-" + sequence;
    }

    private void onDelivered(String messageId) {
        long now = System.nanoTime();
        int firstDash = messageId.indexOf('-');
        int secondDash = messageId.indexOf('-', firstDash + 1);
        long due = origin + Long.parseLong(messageId, 0, firstDash, 36);
        int pair = Integer.parseInt(messageId, firstDash + 1, secondDash, 10);
        delivered[pair].increment();
        windows[pair].release();
        if (due >= measureStart && due < measureEnd) {
            latencies.recordValue(Math.min(now - due, latencies.getHighestTrackableValue()));
        }
        if (now >= measureStart && now < measureEnd) {
            deliveredInWindow.increment();
        }
    }

    /** Waits for messages still in flight; returns how many never arrived. */
    private long awaitDrained(RelayTransport transport) {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long missing;
        while (((missing = total(sent) - totalDelivered()) > 0 || !transport.settled()) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return Math.max(0, missing);
    }

    private long totalDelivered() {
        long sum = 0;
        for (LongAdder adder : delivered) {
            sum += adder.sum();
        }
        return sum;
    }

    private static long total(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }

    static void parkUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
