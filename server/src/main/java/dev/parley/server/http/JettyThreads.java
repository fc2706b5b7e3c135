package dev.parley.server.http;

import java.util.concurrent.Executors;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The threads Jetty runs on (docs/ARCHITECTURE.md, "Threading"): its selectors and every
 * non-blocking task, which includes each WebSocket frame ({@code Gateway} declares the container
 * non-blocking), on platform threads of a {@link QueuedThreadPool}; its blocking tasks (HTTP
 * requests through Javalin's servlet: static files, blobs, health) on virtual threads.
 *
 * <p>Why not virtual threads for everything (Javalin's {@code useVirtualThreads}): a selector on
 * a virtual thread parks in {@code select} through the JDK's poller, so every socket event was a
 * wake-up of the poller thread, then of a carrier for the selector. At 1,000 msgs/s that cost
 * 11–28 % more server CPU per message (docs/BENCHMARKS.md, "Jetty's selectors on platform
 * threads"); at the relay's maximum, where events come in bursts, platform threads cost about
 * 4 % more.
 *
 * <p>Invariant this relies on: nothing that runs on Jetty's threads blocks. Frames whose handling
 * may block are handed to a virtual thread by {@code Gateway.receive} ({@code Route.mayBlock});
 * a block on a selector thread would stall every socket of that selector.
 */
public final class JettyThreads {

    /** Platform threads: selectors and non-blocking tasks only, so few are ever busy. */
    static final int MAX_PLATFORM_THREADS = 200;
    static final int MIN_PLATFORM_THREADS = 4;

    private JettyThreads() {
    }

    public static QueuedThreadPool create() {
        var pool = new QueuedThreadPool(MAX_PLATFORM_THREADS, MIN_PLATFORM_THREADS, 60_000);
        pool.setName("qtp-parley");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-http-", 0).factory()));
        return pool;
    }
}
