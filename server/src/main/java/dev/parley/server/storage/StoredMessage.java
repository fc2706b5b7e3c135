package dev.parley.server.storage;

/**
 * One device's copy of a queued message as the delivery path sees it. {@code envelope} and
 * {@code content} (the fan-out's shared ciphertext, or null) are the opaque base64url strings
 * the sender sent; they are never logged.
 *
 * @param seq order of arrival in the database (strictly increasing within each device queue)
 */
public record StoredMessage(long seq, String recipient, int recipientDevice, String sender, int senderDevice,
                            String messageId, String envelope, String content, long serverTime) {

    @Override
    public String toString() {
        return "StoredMessage[seq=" + seq + ", " + sender + "/" + senderDevice + "->" + recipient + "/" + recipientDevice
                + ", id=" + messageId + "]";
    }
}
