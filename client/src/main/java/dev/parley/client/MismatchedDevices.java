package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.OutboxStore.OutboxEntry;
import java.time.Clock;

/**
 * The outbox's answer to {@code mismatched_devices} (docs/CLIENT-MODEL.md, "The outbox" 6): the
 * recipient's list changed since the entry was sealed. The list is fetched and checked again
 * and the same content goes to the devices now listed, under the same id
 * ({@link Messaging#resealForDevices}); a list that did not change (the server's devices differ
 * from the signed list) or cannot be accepted parks the entry with the reason. Runs on the
 * outbox's worker.
 */
final class MismatchedDevices {

    /** What the outbox does with the entry. */
    sealed interface Outcome permits Resend, Wait, Park {}

    /** Send {@code sealed} for {@code entry} (as stored now) again, under the same id. */
    record Resend(OutboxEntry entry, Messaging.Sealed sealed) implements Outcome {}

    /** Nothing now: the entry is gone, or the connection is; the next connect resends it. */
    record Wait() implements Outcome {}

    /** Sent again on the next connect only; {@code reason} goes to the caller who waits. */
    record Park(ClientException reason) implements Outcome {}

    private final ClientStore store;
    private final Clock clock;

    MismatchedDevices(ClientStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Reseals {@code entry} (answered {@code mismatched_devices}) with {@code sessions}, the current identity's. */
    Outcome handle(OutboxEntry entry, Messaging sessions) {
        OutboxEntry stored = store.outbox.entry(entry.recipient(), entry.id()).orElse(null);
        if (stored == null) {
            return new Wait();
        }
        try {
            var resealed = sessions.resealForDevices(stored, clock.millis());
            return resealed.<Outcome>map(sealed -> new Resend(stored, sealed)).orElseGet(Wait::new);
        } catch (ClientException e) {
            if (e.reason() == Reason.SERVER_UNREACHABLE || e.reason() == Reason.TIMEOUT) {
                return new Wait(); // the next connect resends it
            }
            return new Park(e);
        }
    }
}
