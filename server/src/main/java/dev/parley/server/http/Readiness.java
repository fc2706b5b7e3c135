package dev.parley.server.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /readyz} answers (docs/OPERATIONS.md, "Readiness and health"): whether this
 * node should be sent new clients. It is ready while every registered check is: the database
 * answered a trivial query recently, Redis is connected (cluster mode), the disk has room, and
 * the node is not draining. Each part registers its own check under a fixed name; the answer is
 * 200 or 503 with every check's state, as short words that never carry a secret (no URL, no
 * address, no exception text).
 *
 * <p>A load balancer asks often (every second per proxy): a check must answer at once from
 * memory. A check that needs the network is wrapped in a {@link CachedProbe}.
 */
public final class Readiness {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** One named condition of readiness. Must answer quickly and never throw for a known state. */
    @FunctionalInterface
    public interface Check {
        State state();
    }

    /**
     * A check's answer.
     *
     * @param ready  whether this check lets the node take new clients
     * @param detail one short word or phrase for operators ({@code ok}, {@code no_answer},
     *               {@code draining}); never a secret
     */
    public record State(boolean ready, String detail) {
        public State {
            Objects.requireNonNull(detail);
        }

        public static State ready(String detail) {
            return new State(true, detail);
        }

        public static State notReady(String detail) {
            return new State(false, detail);
        }
    }

    /** Every check's state, by name, and whether all are ready. */
    public record Report(boolean ready, Map<String, State> checks) {
    }

    /** By name, in name order, so the answer reads the same every time. */
    private final Map<String, Check> checks = new ConcurrentSkipListMap<>();

    /** Adds a check; each name once (a second registration of a name is a wiring mistake). */
    public void register(String name, Check check) {
        if (!name.matches("[a-z][a-z0-9_]{0,31}")) {
            throw new IllegalArgumentException("a readiness check's name is a short lower-case word: " + name);
        }
        if (checks.putIfAbsent(name, Objects.requireNonNull(check)) != null) {
            throw new IllegalStateException("readiness check registered twice: " + name);
        }
    }

    /** Runs every check now. A check that throws counts as not ready ({@code error}). */
    public Report report() {
        Map<String, State> states = new LinkedHashMap<>();
        boolean ready = true;
        for (var entry : checks.entrySet()) {
            State state;
            try {
                state = Objects.requireNonNull(entry.getValue().state());
            } catch (RuntimeException e) {
                log.warn("readiness check {} failed: {}", entry.getKey(), e.getClass().getSimpleName());
                state = State.notReady("error");
            }
            states.put(entry.getKey(), state);
            ready &= state.ready();
        }
        return new Report(ready, states);
    }

    /**
     * Answers {@code /readyz}: 200 {@code {"status":"ready","checks":{...}}} or 503
     * {@code {"status":"not_ready",...}}, never cached by anything between.
     */
    public void answer(Context ctx) {
        Report report = report();
        Map<String, CheckBody> checksBody = new LinkedHashMap<>();
        report.checks().forEach((name, state) -> checksBody.put(name, new CheckBody(state.ready(), state.detail())));
        ctx.header("Cache-Control", "no-store");
        ctx.status(report.ready() ? 200 : 503).json(new Body(report.ready() ? "ready" : "not_ready", checksBody));
    }

    /** The JSON answer, fields in this order. */
    private record Body(String status, Map<String, CheckBody> checks) {
    }

    private record CheckBody(boolean ready, String state) {
    }
}
