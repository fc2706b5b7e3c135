package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ContentStore;
import dev.parley.client.store.OutboxStore.OutboxEntry;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * How an {@link Outbox} entry ends, and who is told: on its {@code stored} the entry leaves
 * and its text becomes {@link MessageStatus#STORED}; on a final refusal it leaves and its text
 * becomes {@link MessageStatus#FAILED}; otherwise it stays and only a caller waiting in
 * {@link ParleyClient#send} hears why. Removing the entry and raising its text's status happen
 * in one transaction, and the listener hears each text's outcome once (a second answer to a
 * resend finds no entry). Called on the outbox's worker thread only.
 */
final class OutboxSettlement {

    private final ClientStore store;
    private final ParleyListener listener;
    private final Executor events;
    private final OwnDevicesSync sync;
    private final SendWaiters waiters;

    /** {@code events} runs listener callbacks (the client's receive thread, one at a time). */
    OutboxSettlement(ClientStore store, ParleyListener listener, Executor events, OwnDevicesSync sync, SendWaiters waiters) {
        this.store = store;
        this.listener = listener;
        this.events = events;
        this.sync = sync;
        this.waiters = waiters;
    }

    /** The server stored the entry at {@code serverTime}. */
    void stored(OutboxEntry entry, long serverTime) {
        if ("onAck".equals(System.getProperty(ParleyClient.HALT_PROPERTY))) {
            Runtime.getRuntime().halt(87); // crash test: the ack is lost before it is processed
        }
        store.content.stored(ContentStore.user(entry.recipient()), sync.self(), entry.id(), serverTime);
        if (settle(entry, MessageStatus.STORED)) { // once per text: a second answer of a resend finds no entry
            report(() -> listener.onSent(entry.recipient(), entry.id()));
        }
        waiters.stored(entry.recipient(), entry.id());
    }

    /** A final refusal: the entry leaves the outbox and its text becomes FAILED. */
    void failed(OutboxEntry entry, ClientException reason) {
        if (settle(entry, MessageStatus.FAILED)) {
            report(() -> listener.onNotSent(entry.recipient(), entry.id(), reason.getMessage()));
        }
        fail(entry, reason);
    }

    /** Tells a caller waiting for the entry why it was not stored; the entry stays. */
    void fail(OutboxEntry entry, ClientException reason) {
        waiters.failed(entry.recipient(), entry.id(), reason);
    }

    /** {@code e} for a caller whose message stays in the outbox and is tried again. */
    static ClientException kept(OutboxEntry entry, ClientException e) {
        return new ClientException(e.reason(), e.getMessage() + "; message " + entry.id() + " is kept in the outbox and"
                + " tried again (do not send it again)", e);
    }

    /** Removes the entry and raises its text to {@code status}, together; returns whether a text of ours was settled. */
    private boolean settle(OutboxEntry entry, MessageStatus status) {
        boolean[] text = {false};
        store.transaction(() -> {
            if (store.outbox.remove(entry.recipient(), entry.id())) {
                store.history.raiseStatus(entry.recipient(), entry.id(), status);
                text[0] = store.history.outgoingStatus(entry.recipient(), entry.id()).isPresent();
            }
        });
        return text[0];
    }

    private void report(Runnable callback) {
        try {
            events.execute(() -> UnpromptedFrames.safely(callback));
        } catch (RejectedExecutionException closed) {
            // the client is closing; the store has the state
        }
    }
}
