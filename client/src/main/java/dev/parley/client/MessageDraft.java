package dev.parley.client;

import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.payload.Quote;
import java.util.Objects;

/**
 * What {@link Conversations#send} sends: a text (empty only with an attachment), optionally
 * quoting a message ({@code quote}: its author and id) and carrying an attachment pointer
 * (uploaded already; its key travels end to end inside the message). The conversation's timer
 * is added when it is sent. A draft with neither quote nor attachment, in a conversation
 * without a timer, goes as a plain text (0x01). Prints no text or key.
 */
public record MessageDraft(String text, Quote quote, AttachmentPointer attachment) {

    public MessageDraft {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() && attachment == null) {
            throw new IllegalArgumentException("a message without an attachment needs a text");
        }
    }

    public static MessageDraft text(String text) {
        return new MessageDraft(text, null, null);
    }

    public MessageDraft withQuote(Quote quote) {
        return new MessageDraft(text, quote, attachment);
    }

    public MessageDraft withAttachment(AttachmentPointer attachment) {
        return new MessageDraft(text, quote, attachment);
    }

    @Override
    public String toString() {
        return "MessageDraft[quote=" + (quote != null) + ", attachment=" + (attachment != null) + "]";
    }
}
