package dev.parley.server.storage;

/** Outcome of {@link MessageStore#append}. */
public sealed interface AppendResult {

    /** Durably committed; {@code message} carries its queue position. */
    record Stored(StoredMessage message) implements AppendResult {
    }

    /** The same (recipient, sender, id) was stored before; nothing was written. */
    record Duplicate() implements AppendResult {
    }

    /** The recipient's queue holds the maximum number of undelivered messages. */
    record QueueFull() implements AppendResult {
    }

    /** This sender holds its whole share of the recipient's queue; other senders may still get through. */
    record QueueShareFull() implements AppendResult {
    }

    /** The sender's queued bytes over all recipients would pass its quota. */
    record QuotaExceeded() implements AppendResult {
    }
}
