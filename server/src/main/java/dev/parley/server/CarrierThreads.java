package dev.parley.server;

/**
 * How many platform threads (carriers) run the server's virtual threads: Jetty's selectors and
 * frame handling, the HTTP handlers and the mailboxes. The JDK's default is one per processor;
 * Parley leaves one processor to its platform threads on the message path (the database writer
 * and completer, the JDK's poller), so on two processors its virtual threads share one carrier.
 * At 1,000 msgs/s on two processors that cut the server's CPU per message by 6–27 % (median
 * 13 %) and each connect's by a fifth, mostly the carriers' wake-ups of one another
 * (docs/BENCHMARKS.md, "One carrier thread on two processors").
 *
 * <p>The JDK reads {@value #PROPERTY} once, when the first virtual thread starts: {@link #configure}
 * must run before that, first thing in {@link ServerMain#main}. A value given on the command line
 * ({@code -Djdk.virtualThreadScheduler.parallelism=N}) is kept.
 */
final class CarrierThreads {

    /** The JDK's system property for its virtual-thread scheduler's parallelism. */
    static final String PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    private CarrierThreads() {
    }

    /** Parley's default carrier count for {@code processors} processors: one less, at least one. */
    static int defaultFor(int processors) {
        return Math.max(1, processors - 1);
    }

    /** Sets {@value #PROPERTY} to {@link #defaultFor} this machine unless it is set; returns the value in effect. */
    static String configure() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        String chosen = Integer.toString(defaultFor(Runtime.getRuntime().availableProcessors()));
        System.setProperty(PROPERTY, chosen);
        return chosen;
    }
}
