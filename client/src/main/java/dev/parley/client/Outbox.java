package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.OutboxEntry;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Sending what {@link Messaging} committed to the outbox: each entry goes out as a
 * {@code send_message} with its message id, and is deleted (and its message marked
 * {@link MessageStatus#SENT}) only when the server answers {@code ack{stored}}. Entries are
 * resent, with the same id and envelope, on every connect; the server deduplicates them.
 */
final class Outbox {

    private final ClientStore store;
    private final Supplier<ServerConnection> connection;
    private final BooleanSupplier closing;
    private final ParleyListener listener;
    private final Executor events;

    /** {@code events} runs listener callbacks (the client's receive thread, one at a time). */
    Outbox(ClientStore store, Supplier<ServerConnection> connection, BooleanSupplier closing, ParleyListener listener,
            Executor events) {
        this.store = store;
        this.connection = connection;
        this.closing = closing;
        this.listener = listener;
        this.events = events;
    }

    /** Sends an entry on the current connection, if there is one; otherwise the next connect sends it. */
    void transmit(OutboxEntry entry) {
        ServerConnection current = connection.get();
        if (current != null && current.isOpen()) {
            send(current, entry);
        }
    }

    /** Resends everything not yet stored by the server, oldest first (after each login). */
    void resendAll(ServerConnection opened) {
        store.outbox().forEach(entry -> send(opened, entry));
    }

    /**
     * Sends an entry and waits for the server's stored ack, across reconnects, for at most
     * {@code timeout}. On failure the entry stays in the outbox.
     */
    void awaitStored(OutboxEntry entry, Duration timeout) throws ClientException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ServerConnection current = connection.get();
            if (current != null && current.isOpen()) {
                try {
                    current.await(send(current, entry), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())),
                            "message " + entry.id());
                    return;
                } catch (ServerError e) {
                    if (e.is(ErrorCode.UNKNOWN_USER)) {
                        throw new ClientException(Reason.UNKNOWN_USER, "there is no user " + entry.recipient() + " on "
                                + current.server());
                    }
                    throw new ClientException(Reason.REFUSED, "the server did not store message " + entry.id() + " ("
                            + e.getMessage() + "); it stays in the outbox and is sent again on the next connect");
                } catch (ClientException e) {
                    if (e.reason() != Reason.SERVER_UNREACHABLE || System.nanoTime() > deadline) {
                        throw pending(entry, e);
                    }
                }
            }
            if (System.nanoTime() > deadline || closing.getAsBoolean()) {
                throw pending(entry, new ClientException(Reason.SERVER_UNREACHABLE, "not connected"));
            }
            pause(100);
        }
    }

    /** A {@code stored} answer whose request was no longer waiting (sent on an earlier connection). */
    void acknowledged(Stored answer) {
        String id = answer.re();
        store.outbox().stream().filter(entry -> entry.id().equals(id)).forEach(this::stored);
    }

    /** Entries not yet stored by the server, texts deferred until a session can be started included. */
    int size() {
        return store.outbox().size() + store.deferred().size();
    }

    /** Waits until the server stored everything, at most {@code timeout}; returns whether it did. */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (size() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(50);
        }
        return true;
    }

    CompletableFuture<Stored> send(ServerConnection current, OutboxEntry entry) {
        var frame = new SendMessage(entry.id(), entry.recipient(), entry.envelope());
        return current.requestAsync(frame, Stored.class).whenComplete((ack, error) -> {
            if (error == null) {
                stored(entry);
            } else if (error instanceof ServerError serverError && serverError.is(ErrorCode.UNKNOWN_USER)) {
                store.removeFromOutbox(entry.recipient(), entry.id()); // can never be delivered
            }
        });
    }

    private void stored(OutboxEntry entry) {
        if ("onAck".equals(System.getProperty(ParleyClient.HALT_PROPERTY))) {
            Runtime.getRuntime().halt(87); // crash test: the ack is lost before it is processed
        }
        boolean[] text = {false};
        store.transaction(() -> {
            if (store.removeFromOutbox(entry.recipient(), entry.id())) {
                store.raiseStatus(entry.recipient(), entry.id(), MessageStatus.SENT);
                text[0] = store.outgoingStatus(entry.recipient(), entry.id()).isPresent();
            }
        });
        if (text[0]) { // once per text: a second ack of a resend finds no outbox row
            try {
                events.execute(() -> ParleyClient.safely(() -> listener.onSent(entry.recipient(), entry.id())));
            } catch (RejectedExecutionException closed) {
                // the client is closing; the status in the store says SENT
            }
        }
    }

    private static ClientException pending(OutboxEntry entry, ClientException cause) {
        Reason reason = cause.reason() == Reason.TIMEOUT ? Reason.TIMEOUT : Reason.SERVER_UNREACHABLE;
        return new ClientException(reason, "message " + entry.id() + " to " + entry.recipient() + " is encrypted and kept"
                + " in the outbox, but the server has not confirmed it (" + cause.getMessage() + "); it is sent again on"
                + " the next connect", cause);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
