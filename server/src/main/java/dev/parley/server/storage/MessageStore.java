package dev.parley.server.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable delivery queue. Invariant: a message for which {@link #append} completed with
 * {@link AppendResult.Stored} survives a crash or kill of the server until the recipient
 * acknowledges it or it expires.
 */
public interface MessageStore {

    /**
     * Queues a message, durably, before completing. Idempotent by (recipient, sender, id): a
     * message stored before is a {@link AppendResult.Duplicate} even when a limit is reached.
     * The limits are checked in the same transaction as the insert, so concurrent sends cannot
     * pass them together.
     */
    CompletableFuture<AppendResult> append(String recipient, String sender, String messageId, String envelope,
                                           long serverTime, long expiresAt, QueueLimits limits);

    /** {@link #append} with the queue cap as the only limit. */
    default CompletableFuture<AppendResult> append(String recipient, String sender, String messageId, String envelope,
                                                   long serverTime, long expiresAt, int queueCap) {
        return append(recipient, sender, messageId, envelope, serverTime, expiresAt, QueueLimits.capOnly(queueCap));
    }

    /** Undelivered messages for {@code recipient} with {@code seq > afterSeq}, oldest first. */
    List<StoredMessage> pending(String recipient, long afterSeq, int limit);

    /**
     * Erases the envelope after the recipient's ack; {@code false} if nothing was pending. The
     * erasure may be committed up to a few tens of milliseconds later, with other writes; until
     * then {@link #pending} still returns the message. Call {@link #flush} first where that matters.
     */
    CompletableFuture<Boolean> acknowledge(String recipient, String sender, String messageId);

    /** Completes once every write submitted before it, acknowledgements included, is committed. */
    CompletableFuture<Void> flush();

    /** Deletes every row (pending or tombstone) whose expiry has passed; returns how many. */
    CompletableFuture<Integer> purgeExpired(long now);
}
