package dev.parley.server.storage;

import java.util.List;

/** Outcome of {@link MessageStore#append}. */
public sealed interface AppendResult {

    /**
     * Durably committed: one copy per device that did not hold the message yet, with its queue
     * position (copies stored by an earlier send of the same id are not repeated).
     */
    record Stored(List<StoredMessage> copies) implements AppendResult {
    }

    /** Every device already held the same (sender, id): nothing was written. */
    record Duplicate() implements AppendResult {
    }

    /**
     * The send's devices are not exactly the recipient's current list (own account: minus the
     * sending device); nothing was written. Ids ascending.
     */
    record MismatchedDevices(List<Integer> missing, List<Integer> extra) implements AppendResult {
    }

    /** The recipient has not published a device list yet (an account from before devices); nothing was written. */
    record NoDeviceList() implements AppendResult {
    }

    /** One of the recipient's device queues holds the maximum number of undelivered messages. */
    record QueueFull() implements AppendResult {
    }

    /** This sender holds its whole share of one of the recipient's device queues; other senders may still get through. */
    record QueueShareFull() implements AppendResult {
    }

    /** The sender's queued bytes over all device queues would pass its quota. */
    record QuotaExceeded() implements AppendResult {
    }
}
