package dev.parley.server.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Durable per-device delivery queues (docs/ARCHITECTURE.md, "The path of a message"). A send
 * is stored as one copy per device of the recipient's signed device list, all in one
 * transaction, or not at all; each device acknowledges, and so erases, its own copy.
 */
public interface MessageStore {

    /**
     * Stores every copy of the message, durably, before completing; or nothing, with the reason.
     * In the writer's transaction, in this order: the copies' devices must be exactly the
     * recipient's listed devices (the sending device left out when the recipient is the sender's
     * own account): else {@link AppendResult.MismatchedDevices} or {@link AppendResult.NoDeviceList};
     * then the limits, per device queue, for each copy not stored before. Idempotent by
     * (recipient, device, sender, id): a send whose every copy was stored before is a
     * {@link AppendResult.Duplicate} even when a limit is reached.
     */
    CompletableFuture<AppendResult> append(OutgoingMessage message, QueueLimits limits);

    /**
     * Stores a {@code send_multi}: for each recipient, in the writer's transaction, the checks
     * of {@link #append} (exactly its listed devices, then its device queues' cap and this
     * sender's share, each copy not stored before); a recipient that fails one gets a
     * refusal and nothing stored. Then the sender's byte quota over everything accepted, the
     * body counted once: over it, nothing at all is stored. The body (the content, once) and
     * every accepted copy commit together, before completing. Idempotent per (recipient,
     * device, sender, id), as {@link #append}.
     */
    CompletableFuture<MultiAppendResult> appendMulti(OutgoingMulti message, QueueLimits limits);

    /**
     * Undelivered copies for {@code recipient}'s {@code device} with {@code seq > afterSeq}
     * that have not expired at {@code now} (ms), oldest first: a copy past its expiry (a
     * disappearing message's) is never relayed, even before {@link #purgeExpired} deletes it.
     */
    List<StoredMessage> pending(String recipient, int device, long afterSeq, int limit, long now);

    /**
     * Erases the device's copy (envelope and content; a {@code send_multi} body with its last
     * pending copy) after its ack; {@code false} if nothing
     * was pending. The erasure may be committed up to a few tens of milliseconds later, with
     * other writes; until then {@link #pending} still returns the copy. Call {@link #flush}
     * first where that matters.
     */
    CompletableFuture<Boolean> acknowledge(String recipient, int device, String sender, String messageId);

    /** Completes once every write submitted before it, acknowledgements included, is committed. */
    CompletableFuture<Void> flush();

    /**
     * Deletes every row (pending or tombstone) whose expiry has passed, a {@code send_multi}
     * body with its last copy; returns how many rows. {@code secure_delete} overwrites them and
     * the WAL truncation takes them out of the WAL within the erasure bound.
     */
    CompletableFuture<Integer> purgeExpired(long now);

    /** The earliest expiry (ms) of any row, pending or tombstone; empty when the queue is empty. */
    java.util.OptionalLong earliestExpiry();
}
