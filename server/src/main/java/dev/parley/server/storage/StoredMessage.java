package dev.parley.server.storage;

/**
 * A queued message as the delivery path sees it. {@code envelope} is the opaque base64url
 * string the sender sent; it is never logged.
 *
 * @param seq order of arrival in the recipient's queue (strictly increasing)
 */
public record StoredMessage(long seq, String recipient, String sender, String messageId, String envelope,
                           long serverTime) {

    @Override
    public String toString() {
        return "StoredMessage[seq=" + seq + ", " + sender + "->" + recipient + ", id=" + messageId + "]";
    }
}
