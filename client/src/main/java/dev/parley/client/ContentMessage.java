package dev.parley.client;

import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.payload.Quote;
import java.util.Map;

/**
 * A message of a conversation as this device holds it (docs/CLIENT-MODEL.md, "Message content
 * and controls"): a text (0x01) or a message (0x0F) with its quote, attachment pointer (key
 * included: the store holds plaintext anyway) and expiry, and what controls did to it.
 *
 * @param conversation the user, or the group by its id
 * @param from the author (this account's name for its own messages)
 * @param device the author's sending device (0: this device, or unknown)
 * @param outgoing written by this account (here or on another of its devices)
 * @param sentAt the author's clock (ms)
 * @param serverTime when the server stored it (ms; for one of ours still sending: when it was queued)
 * @param quote the quoted message (author and id), or null; shown even when that message is gone
 * @param attachment the attachment pointer, or null (also after a delete)
 * @param expireSeconds the message's timer (0: it does not expire)
 * @param expiresAt when it is erased (ms), 0 when it does not expire
 * @param edited its text was replaced by its author
 * @param deleted its author deleted it: text, quote and attachment are gone
 * @param reactions one emoji per reacting account
 */
public record ContentMessage(ConversationRef conversation, String from, int device, String id, boolean outgoing,
        long sentAt, long serverTime, String text, Quote quote, AttachmentPointer attachment, int expireSeconds,
        long expiresAt, boolean edited, boolean deleted, Map<String, String> reactions) {

    public ContentMessage {
        reactions = Map.copyOf(reactions);
    }

    @Override
    public String toString() {
        return "ContentMessage[" + conversation + ", from=" + from + ", device=" + device + ", id=" + id
                + (outgoing ? ", outgoing" : "") + ", sentAt=" + sentAt + ", expireSeconds=" + expireSeconds
                + (edited ? ", edited" : "") + (deleted ? ", deleted" : "") + "]";
    }
}
