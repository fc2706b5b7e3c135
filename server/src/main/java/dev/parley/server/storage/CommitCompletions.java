package dev.parley.server.storage;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each committed (or failed) batch's completions in commit order. A batch's completions run
 * on one completer thread, so that the writer starts the next transaction while the
 * acknowledgements of the last one are sent; a small batch is completed on the writer itself when
 * nothing of an earlier batch waits on the completer (at low load the hand-off cost more than the
 * completions). Only the writer thread calls {@link #inOrder}.
 */
final class CommitCompletions {

    /** Batches up to this size are completed on the writer when the completer is idle. */
    static final int INLINE_MAX = 4;

    private final ExecutorService completer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("parley-db-completer").daemon(true).factory());
    /** Completion tasks handed to {@link #completer} and not finished; only the writer adds. */
    private final AtomicInteger queued = new AtomicInteger();

    /** Runs a batch's completions after those of every earlier batch. */
    void inOrder(int batchSize, Runnable completions) {
        if (batchSize <= INLINE_MAX && queued.get() == 0) {
            completions.run();
            return;
        }
        queued.incrementAndGet();
        completer.execute(() -> {
            try {
                completions.run();
            } finally {
                queued.decrementAndGet();
            }
        });
    }

    /** Finishes the completions handed over so far (waits up to 30 s). */
    void close() throws InterruptedException {
        completer.shutdown();
        completer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
