package dev.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.testing.Eventually;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The database's readiness check: answers kept for a while, one probe at a time, a hung probe bounded. */
class CachedProbeTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger probes = new AtomicInteger();

    @Test
    void anAnswerIsKeptWhileFreshAndAskedAgainAfter() {
        var check = new CachedProbe("db", probes::incrementAndGet, Duration.ofSeconds(1), Duration.ofSeconds(30), now::get);
        assertEquals(Readiness.State.ready("ok"), check.state());
        assertEquals(Readiness.State.ready("ok"), check.state());
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertEquals(Readiness.State.ready("ok"), check.state());
        assertEquals(1, probes.get(), "answers within a second come from memory");
        now.addAndGet(Duration.ofMillis(2).toNanos());
        check.state();
        assertEquals(2, probes.get(), "a stale answer is asked again");
    }

    @Test
    void aFailingProbeIsNotReadyAndRecovers() {
        var failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        var check = new CachedProbe("db", () -> {
            if (failing.get()) {
                throw new SQLException("connection refused to db.internal:5432 as user parley");
            }
        }, Duration.ofSeconds(1), Duration.ofSeconds(30), now::get);
        assertEquals(Readiness.State.notReady("failed"), check.state(), "the state names no host and no user");
        failing.set(false);
        assertEquals(Readiness.State.notReady("failed"), check.state(), "still fresh");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(Readiness.State.ready("ok"), check.state());
    }

    @Test
    void aHungProbeIsNotReadyAfterTheTimeoutAndRunsOnlyOnce() throws Exception {
        var release = new CountDownLatch(1);
        var check = new CachedProbe("db", () -> {
            probes.incrementAndGet();
            release.await();
        }, Duration.ofSeconds(1), Duration.ofMillis(100), now::get);
        assertEquals(Readiness.State.notReady("no_answer"), check.state());
        assertEquals(Readiness.State.notReady("no_answer"), check.state(), "kept: no second wait while fresh");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(Readiness.State.notReady("no_answer"), check.state(), "stale, but the one probe is still under way");
        assertEquals(1, probes.get(), "one probe at a time");
        release.countDown();
        Eventually.await(() -> check.state().ready(), "the late answer is kept");
        assertEquals(1, probes.get());
    }
}
