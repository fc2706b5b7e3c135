package dev.parley.protocol.payload;

/**
 * The message a {@link Payload.Message} replies to: its author's username and its id (a
 * target is {@code (conversation, author, id)}, since ids are chosen by senders). A receiver
 * shows the quote even when it no longer holds the quoted message.
 */
public record Quote(String author, String id) {
    public Quote {
        ContentFields.requireUsername(author, "quoted author");
        ContentFields.requireTargetId(id);
    }
}
