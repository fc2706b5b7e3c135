package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ContentStore;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Disappearing messages (docs/CLIENT-MODEL.md, "Message content and controls"): when the client
 * opens and every second after, each message whose time is up ({@code expiresAt}, by the
 * client's {@link Clock}) is erased from the store with what it added, its reactions and its
 * attachment key (SQLite's {@code secure_delete} overwrites the freed pages), and the listener
 * is told. Controls that waited more than {@link ContentControls#WINDOW} for their targets are dropped.
 */
final class ExpirySweeper implements AutoCloseable {

    private final ClientStore store;
    private final Supplier<String> self;
    private final Clock clock;
    private final ParleyListener listener;
    private final Executor events;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parley-expiry").factory());

    ExpirySweeper(ClientStore store, Supplier<String> self, Clock clock, ParleyListener listener, Executor events) {
        this.store = store;
        this.self = self;
        this.clock = clock;
        this.listener = listener;
        this.events = events;
    }

    /** Sweeps now and every second until closed. */
    void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                // Only the failure's type: never a message's content. The next sweep tries again.
                System.getLogger(ExpirySweeper.class.getName()).log(System.Logger.Level.WARNING, "expiry: " + e.getClass().getName());
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** Erases what is due now; returns how many messages. */
    synchronized int sweep() {
        String me = self.get();
        if (me == null) {
            return 0;
        }
        long now = clock.millis();
        store.content.dropWaitingBefore(now - ContentControls.WINDOW.toMillis());
        int erased = 0;
        for (ContentStore.Due due : store.content.due(now)) {
            store.content.erase(due.conv(), me, due.author(), due.id());
            erased++;
            ConversationRef conversation = due.conv().startsWith("g:") ? ConversationRef.group(due.conv().substring(2))
                    : ConversationRef.user(due.conv().substring(2));
            try {
                events.execute(() -> UnpromptedFrames.safely(() -> listener.onExpired(conversation, due.author(), due.id())));
            } catch (RejectedExecutionException closing) {
                // the store has the state
            }
        }
        return erased;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
