package dev.parley.client;

/**
 * A text message received and stored.
 *
 * @param id the sender's message id (also the id its receipts name)
 * @param sentAt the sender's clock, ms since the Unix epoch (as the sender claims it)
 * @param serverTime when the server stored it, ms since the Unix epoch
 * @param device the sending device's id in the sender's account (0 when unknown: history
 *     brought at linking, or stored before devices existed)
 */
public record IncomingMessage(String from, String id, String text, long sentAt, long serverTime, int device) {

    /** A message whose sending device is not known. */
    public IncomingMessage(String from, String id, String text, long sentAt, long serverTime) {
        this(from, id, text, sentAt, serverTime, 0);
    }

    @Override
    public String toString() {
        return "IncomingMessage[from=" + from + ", device=" + device + ", id=" + id + ", sentAt=" + sentAt + "]";
    }
}
