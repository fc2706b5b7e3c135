package dev.parley.client;

/**
 * An outgoing text left {@link MessageStatus#UNDELIVERED} by a contact's account reset and not
 * resent yet. {@link #toString()} leaves the text out.
 */
public record UndeliveredMessage(String to, String id, String text, long sentAt) {
    @Override
    public String toString() {
        return "UndeliveredMessage[to=" + to + ", id=" + id + "]";
    }
}
