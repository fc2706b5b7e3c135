package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ContentStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.payload.Quote;
import java.util.Optional;

/** Messages as the SDK shows them ({@link ContentMessage}), read from the store; and how an attachment pointer is kept there. */
final class ContentViews {

    private ContentViews() {
    }

    /** The message {@code (author, id)} of {@code conversation} (a group by its id), if held here. */
    static Optional<ContentMessage> load(ClientStore store, ConversationRef conversation, String self, String author, String id) {
        String conv = ContentControls.key(conversation);
        return store.content.row(conv, self, author, id).map(row -> {
            ContentStore.Extras extras = store.content.extras(conv, author, id).orElse(null);
            Quote quote = extras == null || extras.quoteId() == null ? null : new Quote(extras.quoteAuthor(), extras.quoteId());
            return new ContentMessage(conversation, author, row.device(), id, row.outgoing(), row.sentAt(), row.serverTime(),
                    row.text(), quote, extras == null ? null : attachment(extras.attachment()),
                    extras == null ? 0 : extras.expireSeconds(), extras == null ? 0 : extras.expiresAt(),
                    extras != null && extras.edited(), extras != null && extras.deleted(),
                    store.content.reactions(conv, author, id));
        });
    }

    /** A pointer as the store keeps it: inside an encoded 0x0F payload that carries nothing else, so the codec checks it on the way back. */
    static byte[] attachmentBytes(Payload.Message message) {
        if (message.attachment() == null) {
            return null;
        }
        return PayloadCodec.encode(new Payload.Message(message.id(), message.sentAt(), 0, "", null, message.attachment()));
    }

    static AttachmentPointer attachment(byte[] stored) {
        if (stored == null) {
            return null;
        }
        try {
            return PayloadCodec.decode(stored) instanceof Payload.Message message ? message.attachment() : null;
        } catch (ProtocolException e) {
            return null; // written here: not expected
        }
    }

    /** Saves what a 0x0F message adds to its text row. */
    static void saveExtras(ClientStore store, ConversationRef conversation, String author, Payload.Message message,
            long serverTime) {
        Quote quote = message.quote();
        store.content.saveExtras(ContentControls.key(conversation), author, message.id(), quote == null ? null : quote.author(),
                quote == null ? null : quote.id(), attachmentBytes(message), message.expireSeconds(), serverTime);
    }
}
