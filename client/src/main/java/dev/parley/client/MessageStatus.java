package dev.parley.client;

/**
 * Where an outgoing text message is, as far as this client knows. A status only rises, by
 * {@link #rank()}: a late or repeated event never moves a message back.
 */
public enum MessageStatus {
    /** Encrypted and in the outbox (or kept as text until a session can start); the server has not confirmed it yet. */
    PENDING(0),
    /** Stored by the server. */
    SENT(1),
    /**
     * Will never be delivered: it was stored by the server for (or encrypted for) an identity
     * of the contact that was then replaced by an account reset, and the server dropped the old
     * identity's queue. Offered to {@link ParleyClient#resendUndelivered} once. It ranks with
     * {@link #SENT}, so a late stored ack never lowers it; a delivery receipt that the old
     * device had already sent still raises it to {@link #DELIVERED} (and then it is not offered
     * for resending).
     */
    UNDELIVERED(1),
    /** The recipient's device sent a delivery receipt. */
    DELIVERED(2),
    /** The recipient marked it read. */
    READ(3);

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    /** The order statuses rise in; {@link #SENT} and {@link #UNDELIVERED} rank equal, so neither replaces the other. */
    public int rank() {
        return rank;
    }
}
