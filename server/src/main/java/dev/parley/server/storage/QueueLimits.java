package dev.parley.server.storage;

/**
 * What {@link MessageStore#append} checks before it queues a message, in this order.
 *
 * @param queueCap     undelivered messages per recipient ({@link AppendResult.QueueFull})
 * @param senderShare  undelivered messages one sender may hold in one recipient's queue
 *                     ({@link AppendResult.QueueShareFull})
 * @param senderBytes  envelope bytes one sender may have waiting over all recipients
 *                     ({@link AppendResult.QuotaExceeded})
 */
public record QueueLimits(int queueCap, int senderShare, long senderBytes) {

    /** Only the queue cap (no share, no quota). */
    public static QueueLimits capOnly(int queueCap) {
        return new QueueLimits(queueCap, queueCap, Long.MAX_VALUE);
    }
}
