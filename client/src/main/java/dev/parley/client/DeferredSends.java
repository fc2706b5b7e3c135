package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.DeferredText;
import dev.parley.client.store.ClientStore.OutboxEntry;
import dev.parley.protocol.payload.Payload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Texts sent while disconnected to a contact with no session yet. Starting a session needs the
 * contact's prekey bundle from the server, so such a text is kept in the store (plaintext, like
 * the history, in the {@code deferred} table, with its PENDING history row) and encrypted on the
 * next connect, before the outbox is resent. Encrypting commits the outbox entry and removes the
 * deferred row in one transaction, so a text is encrypted once and never lost in between.
 *
 * <p>Order per contact is kept: after a failure for a contact, its later texts wait too. A
 * recipient the server does not know is final: the text is dropped and reported to
 * {@link ParleyListener#onNotSent}; anything else (offline again, no prekeys yet, a verified
 * contact's identity changed) keeps it for the next connect.
 */
final class DeferredSends {

    private final ClientStore store;
    private final Supplier<Messaging> messaging;
    private final ParleyListener listener;
    private final Executor events;

    DeferredSends(ClientStore store, Supplier<Messaging> messaging, ParleyListener listener, Executor events) {
        this.store = store;
        this.messaging = messaging;
        this.listener = listener;
        this.events = events;
    }

    /** Keeps {@code text} for {@code to} until the next connect. */
    void defer(String to, Payload.Text text) {
        store.defer(new DeferredText(to, text.id(), text.text(), text.sentAt()));
    }

    /**
     * Encrypts every deferred text that can be now, oldest first, into the outbox; returns the
     * new outbox entries (the caller sends them, or the outbox resend does). One caller at a
     * time, so a text is never encrypted twice.
     */
    synchronized List<OutboxEntry> encryptAll() {
        List<OutboxEntry> queued = new ArrayList<>();
        Set<String> waiting = new HashSet<>();
        Messaging current = messaging.get();
        for (DeferredText text : store.deferred()) {
            if (current == null || waiting.contains(text.recipient())) {
                continue;
            }
            try {
                queued.add(current.encryptAndQueue(text.recipient(), new Payload.Text(text.id(), text.sentAt(), text.text()),
                        () -> store.removeDeferred(text.recipient(), text.id())));
            } catch (ClientException e) {
                if (e.reason() == Reason.UNKNOWN_USER) {
                    store.removeDeferred(text.recipient(), text.id());
                    report(text, e.getMessage());
                } else {
                    waiting.add(text.recipient());
                }
            }
        }
        return queued;
    }

    int size() {
        return store.deferred().size();
    }

    private void report(DeferredText text, String reason) {
        try {
            events.execute(() -> ParleyClient.safely(() -> listener.onNotSent(text.recipient(), text.id(), reason)));
        } catch (RejectedExecutionException closed) {
            // the client is closing; the text was dropped and its history row stays PENDING
        }
    }
}
