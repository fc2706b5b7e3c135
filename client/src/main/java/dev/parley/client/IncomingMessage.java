package dev.parley.client;

/**
 * A text message received and stored.
 *
 * @param id the sender's message id (also the id its receipts name)
 * @param sentAt the sender's clock, ms since the Unix epoch (as the sender claims it)
 * @param serverTime when the server stored it, ms since the Unix epoch
 */
public record IncomingMessage(String from, String id, String text, long sentAt, long serverTime) {

    @Override
    public String toString() {
        return "IncomingMessage[from=" + from + ", id=" + id + ", sentAt=" + sentAt + "]";
    }
}
