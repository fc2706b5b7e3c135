package dev.parley.server.storage;

import dev.parley.wire.frames.DeliveryFrames.RecipientRefusal;
import java.util.List;

/** Outcome of {@link MessageStore#appendMulti}. */
public sealed interface MultiAppendResult {

    /**
     * Durably committed: every copy for the recipients not in {@code refused} that no earlier
     * send of the same id had stored (with its queue position); nothing for the refused ones.
     * {@code duplicate}: at least one recipient was accepted and every accepted copy had been
     * stored before.
     */
    record Stored(List<StoredMessage> copies, List<RecipientRefusal> refused, boolean duplicate) implements MultiAppendResult {
        public Stored {
            copies = List.copyOf(copies);
            refused = List.copyOf(refused);
        }
    }

    /** The sender's queued characters (the body once, each new copy's envelope) would pass its quota; nothing was written. */
    record QuotaExceeded() implements MultiAppendResult {
    }
}
