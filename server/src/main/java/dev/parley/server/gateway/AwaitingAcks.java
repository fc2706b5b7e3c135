package dev.parley.server.gateway;

/**
 * The messages relayed on a connection and not acknowledged yet, as the gateway's frame rate
 * limit sees them: an {@code ack} of one of them is never refused for the rate (docs/PROTOCOL.md
 * §1), so acknowledging can never be what stops delivery. Implemented by the delivery mailbox
 * that a logged-in connection carries as its delivery state. Both methods are thread-safe.
 */
public interface AwaitingAcks {

    /** Whether some relayed message still waits for its ack. */
    boolean anyAwaitingAck();

    /** Whether the message {@code messageId} from {@code from} was relayed here and waits for its ack. */
    boolean awaitsAck(String from, String messageId);
}
