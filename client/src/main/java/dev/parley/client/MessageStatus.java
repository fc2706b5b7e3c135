package dev.parley.client;

/**
 * Where an outgoing text message is, as far as this client knows (docs/CLIENT-MODEL.md,
 * "Outgoing message states"). A status only rises, by {@link #rank()}: a late or repeated event
 * never moves a message back.
 */
public enum MessageStatus {
    /** In this device's outbox; the server has not confirmed it. */
    SENDING,
    /** The server answered {@code stored}: it is on the server's disk. */
    STORED,
    /** The recipient's device stored it and sent a delivery receipt. */
    DELIVERED,
    /** The recipient marked it read. */
    READ,
    /**
     * Will never arrive: it was stored by the server for an identity of the contact that an
     * account reset then replaced, and the server dropped that identity's queue. Offered to
     * {@link ParleyClient#resendUndelivered} once. A delivery receipt that the old device had
     * already sent still raises it to {@link #DELIVERED} (and then it is not offered).
     */
    UNDELIVERED,
    /**
     * The server refused it for good ({@code unknown_user}, {@code envelope_too_large},
     * {@code bad_frame}); it left the outbox, and {@link ParleyListener#onNotSent} said why.
     */
    FAILED;

    /** The order statuses rise in; {@link #STORED}, {@link #UNDELIVERED} and {@link #FAILED} rank equal, so none replaces another. */
    public int rank() {
        return switch (this) {
            case SENDING -> 0;
            case STORED, UNDELIVERED, FAILED -> 1;
            case DELIVERED -> 2;
            case READ -> 3;
        };
    }
}
