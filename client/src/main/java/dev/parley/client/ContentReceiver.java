package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.payload.Payload;
import java.util.List;

/**
 * Receiving messages (0x0F) and controls (0x10..0x13), inside {@link Receiver}'s receive
 * transaction: from a contact (1:1), from this account's other devices (0x14, what they sent
 * in a 1:1 conversation), and as group messages. A message is stored like a text (receipts,
 * unread state) with what it adds; a control goes through {@link ContentControls}. The
 * listener is told after the commit ({@code events}).
 */
final class ContentReceiver {

    private final ClientStore store;
    private final Outbox outbox;
    private final Randomness randomness;
    private final String self;
    private final ParleyListener listener;
    private final ContentControls controls;

    ContentReceiver(ClientStore store, Messaging messaging, Outbox outbox, Randomness randomness) {
        this.store = store;
        this.outbox = outbox;
        this.randomness = randomness;
        this.self = messaging.username;
        this.listener = messaging.listener;
        this.controls = new ContentControls(store, () -> messaging.username);
    }

    static boolean isContent(Payload payload) {
        return payload instanceof Payload.Message || ContentControls.isControl(payload);
    }

    /** A message or control from contact {@code from}; returns whether a delivery receipt was queued. */
    boolean fromContact(String from, int fromDevice, Payload payload, long serverTime, Contact contact, long now,
            List<Runnable> events) throws ClientException {
        ConversationRef conversation = ConversationRef.user(from);
        if (payload instanceof Payload.Message message) {
            store.history.saveIncoming(new IncomingMessage(from, message.id(), message.text(), message.sentAt(), serverTime,
                    fromDevice));
            ContentViews.saveExtras(store, conversation, from, message, serverTime);
            stored(conversation, from, message.id(), now, events);
            if (contact.trust() != Contact.Trust.CHANGED) {
                outbox.queue(from, new Payload.DeliveryReceipt(MessageIds.random(randomness), now, List.of(message.id())));
                return true;
            }
            return false;
        }
        report(controls.apply(conversation, from, fromDevice, payload, serverTime, now, true), events);
        return false;
    }

    /** What this account's device {@code fromDevice} sent in a 1:1 conversation (0x14). */
    void fromOwnDevice(int fromDevice, Payload.SentPayload sent, long serverTime, long now, List<Runnable> events) {
        ConversationRef conversation = ConversationRef.user(sent.peer());
        if (sent.inner() instanceof Payload.Message message) {
            store.history.saveTranscript(new SentElsewhere(sent.peer(), message.id(), message.text(), message.sentAt(),
                    fromDevice));
            ContentViews.saveExtras(store, conversation, self, message, serverTime);
            stored(conversation, self, message.id(), now, events);
        } else if (ContentControls.isControl(sent.inner())) {
            report(controls.apply(conversation, self, fromDevice, sent.inner(), serverTime, now, true), events);
        }
    }

    /**
     * A group message's payload once opened (the text entry is the caller's for 0x01): a message
     * is stored as a group text with what it adds; returns whether a receipt should be queued
     * (a new message, not this account's own).
     */
    boolean fromGroup(String group, String from, int fromDevice, boolean own, Payload payload, long serverTime, long now,
            List<Runnable> events) {
        ConversationRef conversation = ConversationRef.group(group);
        if (payload instanceof Payload.Message message) {
            GroupEntry entry = new GroupEntry(group, message.id(), from, fromDevice, own, GroupEntry.Kind.TEXT, message.text(),
                    message.sentAt(), serverTime);
            if (!store.groupHistory.add(entry, false)) {
                return false; // the same message again
            }
            ContentViews.saveExtras(store, conversation, from, message, serverTime);
            stored(conversation, from, message.id(), now, events);
            return !own;
        }
        report(controls.apply(conversation, from, fromDevice, payload, serverTime, now, true), events);
        return false;
    }

    /** A text (0x01) was stored: the controls that waited for it apply now. */
    void textArrived(ConversationRef conversation, String id, long now, List<Runnable> events) {
        controls.arrived(conversation, id, now).forEach(outcome -> report(outcome, events));
    }

    private void stored(ConversationRef conversation, String author, String id, long now, List<Runnable> events) {
        var message = ContentViews.load(store, conversation, self, author, id);
        message.ifPresent(m -> events.add(() -> listener.onContentMessage(m)));
        textArrived(conversation, id, now, events);
    }

    /** Tells the listener what became of a control; a refused one in a group also becomes a warning in its history. */
    private void report(ContentControls.Outcome outcome, List<Runnable> events) {
        switch (outcome) {
            case ContentControls.Outcome.Applied applied -> events.add(() -> listener.onControl(applied.event()));
            case ContentControls.Outcome.Refused refused -> {
                ControlEvent event = refused.event();
                if (event.conversation().isGroup()) {
                    store.groupHistory.add(new GroupEntry(event.conversation().group(), event.id(), event.from(), event.device(),
                            false, GroupEntry.Kind.WARNING, "refused " + event.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + " from " + event.from() + ": " + refused.reason(), 0, 0), true);
                }
                events.add(() -> listener.onControlRefused(event, refused.reason()));
            }
            case ContentControls.Outcome.Waiting waiting -> {
            }
        }
    }
}
