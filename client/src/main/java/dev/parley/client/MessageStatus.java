package dev.parley.client;

/** Where an outgoing text message is, as far as this client knows. */
public enum MessageStatus {
    /** Encrypted and in the outbox; the server has not confirmed it yet. */
    PENDING,
    /** Stored by the server. */
    SENT,
    /** The recipient's device sent a delivery receipt. */
    DELIVERED,
    /** The recipient marked it read. */
    READ
}
