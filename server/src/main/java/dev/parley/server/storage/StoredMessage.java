package dev.parley.server.storage;

/**
 * One device's copy of a queued message as the delivery path sees it. {@code envelope} (this
 * device's own, or null for a {@code send_multi} copy without one) and {@code content} (the
 * shared ciphertext of a fan-out or a {@code send_multi} body, or null; never both null) are
 * the opaque base64url strings the sender sent; they are never logged.
 *
 * @param seq   order of arrival in the database (strictly increasing within each device queue)
 * @param multi stored by a {@code send_multi} (relayed with {@code multi}: its content is a group message)
 */
public record StoredMessage(long seq, String recipient, int recipientDevice, String sender, int senderDevice,
                            String messageId, String envelope, String content, long serverTime, boolean multi) {

    @Override
    public String toString() {
        return "StoredMessage[seq=" + seq + ", " + sender + "/" + senderDevice + "->" + recipient + "/" + recipientDevice
                + ", id=" + messageId + "]";
    }
}
