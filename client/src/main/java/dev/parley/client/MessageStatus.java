package dev.parley.client;

/**
 * Where an outgoing text message is, as far as this client knows (docs/CLIENT-MODEL.md,
 * "Outgoing message states"). A status only rises, by {@link #rank()}: a late or repeated event
 * never moves a message back.
 */
public enum MessageStatus {
    /** In this device's outbox; the server has not confirmed it. */
    SENDING(0),
    /** The server answered {@code stored}: it is on the server's disk. */
    STORED(1),
    /** The recipient's device stored it and sent a delivery receipt. */
    DELIVERED(2),
    /** The recipient marked it read. */
    READ(3),
    /**
     * Will never arrive: it was stored by the server for an identity of the contact that an
     * account reset then replaced, and the server dropped that identity's queue. Offered to
     * {@link ParleyClient#resendUndelivered} once. A delivery receipt that the old device had
     * already sent still raises it to {@link #DELIVERED} (and then it is not offered).
     */
    UNDELIVERED(1),
    /**
     * The server refused it for good ({@code unknown_user}, {@code envelope_too_large},
     * {@code bad_frame}); it left the outbox, and {@link ParleyListener#onNotSent} said why.
     */
    FAILED(1);

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    /** The order statuses rise in; {@link #STORED}, {@link #UNDELIVERED} and {@link #FAILED} rank equal, so none replaces another. */
    public int rank() {
        return rank;
    }
}
