package dev.parley.server.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Readiness.Check} over a probe that goes to the network (a trivial database query),
 * made cheap and bounded for a load balancer that asks every second:
 * <ul>
 *   <li>an answer is kept for {@code fresh} (about a second): checks within it cost nothing;</li>
 *   <li>at most one probe runs at a time, on a virtual thread; every check that finds the
 *       answer stale waits for that same probe;</li>
 *   <li>a check waits at most {@code timeout}: a probe that has not answered by then makes
 *       the check not ready ({@code no_answer}), and that answer is kept for {@code fresh} too,
 *       so a hung database costs each check at most one timeout per {@code fresh}.</li>
 * </ul>
 * A probe that throws is not ready ({@code failed}); the exception is logged by its class name
 * only (a driver's message may carry a host or a user name).
 */
public final class CachedProbe implements Readiness.Check {

    private static final Logger log = LoggerFactory.getLogger(CachedProbe.class);

    /** Returns once the dependency answered; throws when it did not. */
    @FunctionalInterface
    public interface Probe {
        void run() throws Exception;
    }

    private record Answer(Readiness.State state, long atNanos) {
    }

    private final String name;
    private final Probe probe;
    private final long freshNanos;
    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    private volatile Answer last;
    /** The probe under way, or null; guarded by this. */
    private CompletableFuture<Readiness.State> running;

    public CachedProbe(String name, Probe probe, Duration fresh, Duration timeout) {
        this(name, probe, fresh, timeout, System::nanoTime);
    }

    CachedProbe(String name, Probe probe, Duration fresh, Duration timeout, LongSupplier nanoTime) {
        this.name = name;
        this.probe = probe;
        this.freshNanos = fresh.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Readiness.State state() {
        Answer answer = last;
        if (answer != null && nanoTime.getAsLong() - answer.atNanos() < freshNanos) {
            return answer.state();
        }
        CompletableFuture<Readiness.State> probing = start();
        Readiness.State state;
        try {
            state = probing.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            state = Readiness.State.notReady("no_answer");
            remember(state);
        } catch (ExecutionException e) {
            state = Readiness.State.notReady("failed"); // probeOnce catches everything: not reached
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = Readiness.State.notReady("interrupted");
        }
        return state;
    }

    private synchronized CompletableFuture<Readiness.State> start() {
        if (running == null) {
            CompletableFuture<Readiness.State> probing = new CompletableFuture<>();
            running = probing;
            Thread.ofVirtual().name("parley-readiness-" + name).start(() -> {
                Readiness.State state = probeOnce();
                remember(state);
                synchronized (this) {
                    running = null;
                }
                probing.complete(state);
            });
        }
        return running;
    }

    private Readiness.State probeOnce() {
        try {
            probe.run();
            return Readiness.State.ready("ok");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("readiness: {} probe failed ({})", name, e.getClass().getSimpleName());
            return Readiness.State.notReady("failed");
        }
    }

    /** Keeps the answer; logs when readiness changes, once per change. */
    private void remember(Readiness.State state) {
        Answer before = last;
        last = new Answer(state, nanoTime.getAsLong());
        if (before == null ? !state.ready() : before.state().ready() != state.ready()) {
            if (state.ready()) {
                log.info("readiness: {} answers again", name);
            } else {
                log.warn("readiness: {} not ready ({})", name, state.detail());
            }
        }
    }
}
