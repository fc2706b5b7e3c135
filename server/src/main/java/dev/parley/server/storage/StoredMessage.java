package dev.parley.server.storage;

/**
 * One device's copy of a queued message as the delivery path sees it. {@code envelope} (this
 * device's own, or null for a {@code send_multi} copy without one) and {@code content} (the
 * shared ciphertext of a fan-out or a {@code send_multi} body, or null; never both null) are
 * the opaque base64url strings the sender sent; they are never logged.
 *
 * @param seq             order of arrival in the database (strictly increasing within each device queue)
 * @param multi           stored by a {@code send_multi} (relayed with {@code multi}: its content is a group message)
 * @param previousPending the highest {@code seq} among this device's copies that were pending when this one was
 *                        stored, 0 if none was; {@link #PREVIOUS_UNKNOWN} when the store did not read it (SQLite,
 *                        where one writer notifies in commit order, and copies read back from the queue). Known in
 *                        the transaction that stored the copy, under its account's lock, and never below the truth:
 *                        every copy of the device with a lower {@code seq} that is still pending has at most this
 *                        {@code seq} (sqlite.QueueCounts#queued)
 */
public record StoredMessage(long seq, String recipient, int recipientDevice, String sender, int senderDevice,
                            String messageId, String envelope, String content, long serverTime, boolean multi,
                            long previousPending) {

    /** {@link #previousPending} of a copy whose store did not read it. */
    public static final long PREVIOUS_UNKNOWN = -1;

    @Override
    public String toString() {
        return "StoredMessage[seq=" + seq + ", " + sender + "/" + senderDevice + "->" + recipient + "/" + recipientDevice
                + ", id=" + messageId + "]";
    }
}
