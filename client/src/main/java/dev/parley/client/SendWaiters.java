package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Callers of {@link ParleyClient#send} waiting for the outcome of their text, by
 * {@code recipient/id}: registered before the text is queued, completed by the {@link Outbox}
 * when the server stored it, or failed with the reason it was refused or held. A text and its
 * sent transcript to one's own devices share the id; the recipient tells them apart.
 */
final class SendWaiters {

    private final Map<String, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();

    /** Registers a caller waiting for {@code to/id}, before the text is queued. */
    CompletableFuture<Void> register(String to, String id) {
        return waiters.computeIfAbsent(key(to, id), key -> new CompletableFuture<>());
    }

    /** The text could not be queued: nobody waits for it. */
    void forget(String to, String id) {
        waiters.remove(key(to, id));
    }

    /**
     * Waits for {@code done} (registered for {@code to/id}) at most {@code timeout}: a refusal is
     * thrown as it came; on a timeout the message stays in the outbox (TIMEOUT while
     * {@code connected}, else SERVER_UNREACHABLE).
     */
    void await(String to, String id, CompletableFuture<Void> done, Duration timeout, BooleanSupplier connected)
            throws ClientException {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClientException refused) {
                throw refused;
            }
            throw new ClientException(Reason.FAILED, "sending message " + id + " failed", e.getCause());
        } catch (TimeoutException e) {
            Reason reason = connected.getAsBoolean() ? Reason.TIMEOUT : Reason.SERVER_UNREACHABLE;
            throw new ClientException(reason, "message " + id + " to " + to + " is kept in the outbox, but the server has"
                    + " not confirmed it within " + timeout.toSeconds() + " s; it is sent again on the next connect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Reason.FAILED, "interrupted while sending message " + id);
        } finally {
            waiters.remove(key(to, id), done);
        }
    }

    /** The server stored {@code to/id}: its caller, if one waits, returns. */
    void stored(String to, String id) {
        CompletableFuture<Void> waiter = waiters.get(key(to, id));
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    /** {@code to/id} was refused or is held: its caller, if one waits, gets {@code reason}. */
    void failed(String to, String id, ClientException reason) {
        CompletableFuture<Void> waiter = waiters.get(key(to, id));
        if (waiter != null) {
            waiter.completeExceptionally(reason);
        }
    }

    private static String key(String to, String id) {
        return to + "/" + id;
    }
}
