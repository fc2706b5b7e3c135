package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupOutboxStore;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.payload.Payload;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Sending messages (0x0F) and controls (0x10..0x13) (docs/CLIENT-MODEL.md, "Message content and
 * controls"). 1:1: queued in the outbox to the peer, and to this account's other devices as a
 * sent payload (0x14) wrapping the same payload, in one transaction with the history; groups: a
 * group message through the group outbox (this account's other devices are members). A message
 * carries the conversation's timer; a plain text without quote, attachment or timer still goes
 * as a text (0x01). A control is applied here first with the receivers' rules, so one they would
 * refuse is refused before anything is queued.
 */
final class ContentSender {

    /** Makes a control with the id and sentAt given. */
    @FunctionalInterface
    interface ControlMaker {
        Payload make(String id, long sentAt);
    }

    private final ClientStore store;
    private final Outbox outbox;
    private final Groups groups;
    private final GroupOutbox groupOutbox;
    private final OwnDevicesSync sync;
    private final Supplier<Messaging> messaging;
    private final Randomness randomness;
    private final Clock clock;
    private final Duration timeout;
    private final BooleanSupplier connected;
    private final ContentControls controls;

    ContentSender(ClientStore store, Outbox outbox, Groups groups, GroupOutbox groupOutbox, OwnDevicesSync sync,
            Supplier<Messaging> messaging, Randomness randomness, Clock clock, Duration timeout, BooleanSupplier connected) {
        this.store = store;
        this.outbox = outbox;
        this.groups = groups;
        this.groupOutbox = groupOutbox;
        this.sync = sync;
        this.messaging = messaging;
        this.randomness = randomness;
        this.clock = clock;
        this.timeout = timeout;
        this.connected = connected;
        this.controls = new ContentControls(store, sync::self);
    }

    /** The conversation as the store names it: a group by its id, after checking this account may send there. */
    ConversationRef sendable(ConversationRef to) throws ClientException {
        Messaging current = requireMessaging();
        if (to.isGroup()) {
            return ConversationRef.group(groups.active(to.group()).id().text());
        }
        current.checkSendable(to.user());
        return to;
    }

    /** The conversation with a group named by its id (not checking membership). */
    ConversationRef resolved(ConversationRef conversation) throws ClientException {
        return conversation.isGroup() ? ConversationRef.group(groups.resolveId(conversation.group())) : conversation;
    }

    /** The conversation's timer in seconds (0: off). */
    int timer(ConversationRef resolved) {
        return store.content.timer(ContentControls.key(resolved));
    }

    /** Sends a draft; returns its id once the server stored it (connected) or at once (disconnected). */
    String send(ConversationRef to, MessageDraft draft) throws ClientException {
        ConversationRef conversation = sendable(to);
        int timer = timer(conversation);
        String id = MessageIds.random(randomness);
        long now = clock.millis();
        String self = requireMessaging().username;
        if (draft.quote() == null && draft.attachment() == null && timer == 0) {
            if (conversation.isGroup()) {
                return groups.send(conversation.group(), draft.text(), timeout, connected);
            }
            outbox.sendText(conversation.user(), new Payload.Text(id, now, draft.text()), timeout, connected);
            return id;
        }
        Payload.Message message = build(() -> new Payload.Message(id, now, timer, draft.text(), draft.quote(), draft.attachment()));
        byte[] encoded = Messaging.encode(message);
        if (conversation.isGroup()) {
            String group = conversation.group();
            store.transaction(() -> {
                store.groupHistory.add(new GroupEntry(group, id, self, 0, true, GroupEntry.Kind.TEXT, message.text(), now, 0), true);
                ContentViews.saveExtras(store, conversation, self, message, now);
                store.groupOutbox.queue(id, group, GroupOutboxStore.Kind.MESSAGE, encoded, List.of(), now);
                store.groupOutbox.setExpiresIn(id, timer);
            });
            groupOutbox.pump();
            groups.awaitStored(group, self, id, timeout, connected);
            return id;
        }
        String peer = conversation.user();
        byte[] sent = sync.hasOtherDevices() ? Messaging.encode(new Payload.SentPayload(id, now, peer, message)) : null;
        outbox.sendQueued(peer, id, () -> store.transaction(() -> {
            store.history.saveOutgoing(peer, id, message.text(), now);
            ContentViews.saveExtras(store, conversation, self, message, now);
            store.outbox.queue(peer, id, encoded, now, timer);
            if (sent != null) {
                store.outbox.queue(self, id, sent, now, timer);
            }
        }), timeout, connected);
        return id;
    }

    /**
     * Applies a control here (REFUSED, with nothing queued, when the receivers would refuse it)
     * and queues it, in one transaction; returns its id. It is sent by the outbox ({@code flush} waits).
     */
    String control(ConversationRef to, ControlMaker maker) throws ClientException {
        ConversationRef conversation = sendable(to);
        String self = requireMessaging().username;
        long now = clock.millis();
        Payload control = build(() -> maker.make(MessageIds.random(randomness), now));
        byte[] encoded = Messaging.encode(control);
        byte[] sent = !conversation.isGroup() && sync.hasOtherDevices()
                ? Messaging.encode(new Payload.SentPayload(control.id(), now, conversation.user(), control)) : null;
        store.transaction(() -> {
            if (controls.apply(conversation, self, 0, control, now, now, false) instanceof ContentControls.Outcome.Refused r) {
                throw new ClientException(Reason.REFUSED, r.reason() + "; nothing was sent");
            }
            if (conversation.isGroup()) {
                store.groupOutbox.queue(control.id(), conversation.group(), GroupOutboxStore.Kind.MESSAGE, encoded, List.of(), now);
            } else {
                store.outbox.queue(conversation.user(), control.id(), encoded, now);
                if (sent != null) {
                    store.outbox.queue(self, control.id(), sent, now);
                }
            }
        });
        if (conversation.isGroup()) {
            groupOutbox.pump();
        } else {
            outbox.pump();
        }
        return control.id();
    }

    private Messaging requireMessaging() throws ClientException {
        Messaging current = messaging.get();
        if (current == null) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home has no account");
        }
        return current;
    }

    /** A payload whose constructor refuses what breaks a rule (lengths, emoji, timer range): REFUSED in its words. */
    private static <P extends Payload> P build(Supplier<P> make) throws ClientException {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new ClientException(Reason.REFUSED, e.getMessage() + "; nothing was sent");
        }
    }
}
