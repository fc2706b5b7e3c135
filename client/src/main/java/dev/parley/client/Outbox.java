package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.OutboxStore.OutboxEntry;
import dev.parley.protocol.payload.Payload;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The outbox (docs/CLIENT-MODEL.md, "The outbox"). Texts and receipts are committed to it
 * before anything is sent ({@link #queue}); one worker thread sends the entries in order,
 * pipelined up to {@link WireLimits#DELIVERY_WINDOW}, encrypting each when it first leaves
 * ({@link Messaging#seal}) and resending the same id and envelope after that. An entry leaves
 * only on its own {@code stored} (the text becomes {@link MessageStatus#STORED}) or on a final
 * refusal ({@link MessageStatus#FAILED}); a refusal that resolves itself holds the contact's
 * entries for {@link #RETRY_AFTER}. How an entry ends, and who is told, is
 * {@link OutboxSettlement}.
 */
final class Outbox implements AutoCloseable {

    /**
     * Refusals that resolve themselves: the contact's entries are retried after {@link #RETRY_AFTER}.
     * {@code unavailable} (the server cannot reach its database) is an outage: nothing was stored.
     */
    static final Set<ErrorCode> TRANSIENT = EnumSet.of(ErrorCode.RATE_LIMITED, ErrorCode.QUEUE_FULL,
            ErrorCode.QUEUE_SHARE_FULL, ErrorCode.QUOTA_EXCEEDED, ErrorCode.STORAGE_FULL, ErrorCode.NO_PREKEYS,
            ErrorCode.INTERNAL_ERROR, ErrorCode.UNAVAILABLE);
    /** Refusals for good: the message becomes FAILED and leaves the outbox. */
    static final Set<ErrorCode> FINAL = EnumSet.of(ErrorCode.UNKNOWN_USER, ErrorCode.ENVELOPE_TOO_LARGE, ErrorCode.BAD_FRAME);
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    /**
     * The same for entries to one's own devices: a device just linked uploads its prekeys moments
     * after the approval that queued its history, so waiting as long as for a contact only delays it.
     */
    static final Duration RETRY_OWN_AFTER = Duration.ofSeconds(2);

    private final ClientStore store;
    private final Supplier<ServerConnection> connection;
    private final Supplier<Messaging> messaging;
    private final Clock clock;
    private final OwnDevicesSync sync;
    private final ScheduledExecutorService worker =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parley-outbox").factory());
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    /** Callers of {@link #sendText} waiting for the outcome. */
    private final SendWaiters waiters = new SendWaiters();
    /** How an entry ends and who is told. */
    private final OutboxSettlement settlement;
    private final MismatchedDevices mismatched;
    // Worker thread only:
    private final Set<String> inFlight = new HashSet<>();
    /** The ids of {@link #inFlight}: at most one request per id at a time (answers name the id only). */
    private final Set<String> inFlightIds = new HashSet<>();
    private final Map<String, Long> heldUntil = new HashMap<>();
    /** Entries refused for a reason that is neither final nor transient: sent again on the next connect only. */
    private final Set<String> parked = new HashSet<>();

    /** {@code events} runs listener callbacks (the client's receive thread, one at a time). */
    Outbox(ClientStore store, Supplier<ServerConnection> connection, Supplier<Messaging> messaging, ParleyListener listener,
            Executor events, Clock clock, OwnDevicesSync sync) {
        this.sync = sync;
        this.store = store;
        this.connection = connection;
        this.messaging = messaging;
        this.clock = clock;
        this.settlement = new OutboxSettlement(store, listener, events, sync, waiters);
        this.mismatched = new MismatchedDevices(store, clock);
    }

    /** Queues a payload after everything queued before (in the caller's transaction, if any); {@link #pump} sends it. */
    void queue(String to, Payload payload) throws ClientException {
        store.outbox.queue(to, payload.id(), Messaging.encode(payload), clock.millis());
    }

    /**
     * Commits a text to the history (SENDING) and the outbox in one transaction, with
     * {@code alsoCommit}, and its sent transcript to this account's other devices if it has any
     * ({@link OwnDevicesSync#transcript}).
     */
    void queueText(String to, Payload.Text text, Runnable alsoCommit) throws ClientException {
        byte[] encoded = Messaging.encode(text);
        byte[] transcript = sync.transcript(to, text);
        store.transaction(() -> {
            alsoCommit.run();
            store.history.saveOutgoing(to, text.id(), text.text(), text.sentAt());
            store.outbox.queue(to, text.id(), encoded, clock.millis());
            if (transcript != null) {
                store.outbox.queue(sync.self(), text.id(), transcript, clock.millis());
            }
        });
    }

    /** After each login: what waited for a connection (parked entries included) goes out, in order. */
    void connected() {
        onWorker(parked::clear);
        pump();
    }

    /** Starts a pass over the outbox on the worker, unless one is already waiting to start. */
    void pump() {
        if (pumpQueued.compareAndSet(false, true)) {
            onWorker(this::run);
        }
    }

    /**
     * {@link ParleyClient#send}: commits the text, then, if {@code connected} now, waits until the
     * server stored it (sent by the outbox, across reconnects), at most {@code timeout}. A final
     * refusal, or an identity change that holds it, is thrown; on a timeout the message stays in
     * the outbox. Disconnected, it returns at once: the next connect sends it.
     */
    void sendText(String to, Payload.Text text, Duration timeout, BooleanSupplier connected) throws ClientException {
        sendQueued(to, text.id(), () -> queueText(to, text, () -> { }), timeout, connected);
    }

    /**
     * As {@link #sendText} for a message that {@code queue} commits (history and outbox, in one
     * transaction) under id {@code id} to {@code to}.
     */
    void sendQueued(String to, String id, ClientStore.Work<ClientException> queue, Duration timeout, BooleanSupplier connected)
            throws ClientException {
        CompletableFuture<Void> done = connected.getAsBoolean() ? waiters.register(to, id) : null;
        try {
            queue.run();
        } catch (ClientException | RuntimeException e) {
            waiters.forget(to, id);
            throw e;
        }
        pump();
        if (done != null) {
            waiters.await(to, id, done, timeout, connected);
        }
    }

    /** Sends a frame once, for what is never kept (typing); its answer is not awaited. */
    void sendOnce(String to, String id, Messaging.Sealed sealed) {
        ServerConnection current = connection.get();
        if (current != null && current.isOpen() && !sealed.envelopes().isEmpty()) {
            current.requestAsync(new SendMessage(id, to, sealed.content(), sealed.envelopes()), Stored.class);
        }
    }

    /**
     * A {@code stored} answer whose request was no longer waiting (sent on an earlier connection).
     * When two entries share the id (a text and its transcript), which one it answers is unknown:
     * both stay and are resent, and the server's deduplication answers each.
     */
    void acknowledged(Stored answer) {
        onWorker(() -> {
            var matching = store.outbox.entries().stream().filter(e -> e.id().equals(answer.re())).toList();
            if (matching.size() == 1) {
                settlement.stored(matching.getFirst(), answer.serverTime());
            }
        });
    }

    /** Entries not yet stored by the server. */
    int size() {
        return store.outbox.size();
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

    /** One pass: sends what may go now, in order, each contact's entries behind its first that waits. */
    private void run() {
        pumpQueued.set(false);
        ServerConnection current = connection.get();
        Messaging sessions = messaging.get();
        if (current == null || !current.isOpen() || sessions == null) {
            return; // the next connect pumps
        }
        long now = System.nanoTime();
        heldUntil.values().removeIf(until -> until <= now);
        Set<String> waiting = new HashSet<>(heldUntil.keySet());
        for (OutboxEntry entry : store.outbox.entries()) {
            if (inFlight.size() >= WireLimits.DELIVERY_WINDOW) {
                return; // an answer pumps again
            }
            if (inFlight.contains(key(entry)) || waiting.contains(entry.recipient())) {
                continue;
            }
            if (inFlightIds.contains(entry.id())) {
                waiting.add(entry.recipient()); // a text's transcript shares its id, and answers are matched by id
                continue;
            }
            if (parked.contains(key(entry))) {
                waiting.add(entry.recipient());
                continue;
            }
            Messaging.Sealed sealed;
            if (entry.encrypted()) {
                sealed = Messaging.Sealed.of(entry);
            } else {
                try {
                    var made = sessions.seal(entry);
                    if (made.isEmpty()) {
                        continue; // a sync payload while this is the account's only device: removed
                    }
                    sealed = made.get();
                } catch (ClientException e) {
                    if (e.reason() == Reason.SERVER_UNREACHABLE) {
                        if (current.isOpen()) {
                            hold(entry.recipient()); // the server's database was unreachable (unavailable): try again later
                        }
                        return;
                    }
                    notEncrypted(entry, e);
                    waiting.add(entry.recipient());
                    continue;
                }
                if ("afterOutboxCommit".equals(System.getProperty(ParleyClient.HALT_PROPERTY))) {
                    Runtime.getRuntime().halt(86); // crash test: the envelope is committed, nothing was sent
                }
            }
            send(current, entry, sealed);
        }
    }

    private void send(ServerConnection current, OutboxEntry entry, Messaging.Sealed sealed) {
        inFlight.add(key(entry));
        inFlightIds.add(entry.id());
        // a disappearing message: the server drops a copy still queued when its time is up (PROTOCOL.md §6)
        Integer expiresIn = store.outbox.expiresIn(entry.recipient(), entry.id());
        current.requestAsync(new SendMessage(entry.id(), entry.recipient(), sealed.content(), sealed.envelopes(), expiresIn),
                        Stored.class)
                .whenComplete((stored, error) -> onWorker(() -> answered(entry, stored, error)));
    }

    /** {@code mismatched_devices}: resealed for the checked list and sent again, or parked ({@link MismatchedDevices}). */
    private void resendToDevices(OutboxEntry entry) {
        ServerConnection current = connection.get();
        Messaging sessions = messaging.get();
        if (current == null || !current.isOpen() || sessions == null) {
            return;
        }
        switch (mismatched.handle(entry, sessions)) {
            case MismatchedDevices.Resend resend -> send(current, resend.entry(), resend.sealed());
            case MismatchedDevices.Park park -> {
                parked.add(key(entry));
                settlement.fail(entry, OutboxSettlement.kept(entry, park.reason()));
            }
            case MismatchedDevices.Wait w -> {
            }
        }
    }

    /** An entry that could not be encrypted: unknown user is final; an identity change or anything else holds the contact. */
    private void notEncrypted(OutboxEntry entry, ClientException e) {
        switch (e.reason()) {
            case UNKNOWN_USER -> settlement.failed(entry, e);
            case IDENTITY_CHANGED -> settlement.fail(entry, e); // held until the new identity is accepted (verify pumps)
            case REFUSED -> { // no prekeys yet, a bundle or device list that did not verify: retried, and the sender told
                hold(entry.recipient());
                settlement.fail(entry, OutboxSettlement.kept(entry, e));
            }
            default -> hold(entry.recipient()); // no answer in time
        }
    }

    private void answered(OutboxEntry entry, Stored answer, Throwable error) {
        inFlight.remove(key(entry));
        inFlightIds.remove(entry.id());
        Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        if (cause == null) {
            settlement.stored(entry, answer.serverTime());
        } else if (cause instanceof ServerError refused) {
            ErrorCode code = refused.code().orElse(null);
            if (code == ErrorCode.MISMATCHED_DEVICES) {
                resendToDevices(entry);
            } else if (FINAL.contains(code)) {
                settlement.failed(entry, new ClientException(code == ErrorCode.UNKNOWN_USER ? Reason.UNKNOWN_USER : Reason.REFUSED,
                        "the server refused message " + entry.id() + " to " + entry.recipient() + " (" + refused.getMessage() + ")"));
            } else if (TRANSIENT.contains(code)) {
                hold(entry.recipient());
            } else {
                parked.add(key(entry));
                settlement.fail(entry, ServerErrors.refused("message " + entry.id(), refused));
            }
        } // else the connection ended: the next connect resends it
        pump();
    }

    private void hold(String contact) {
        Duration wait = contact.equals(sync.self()) ? RETRY_OWN_AFTER : RETRY_AFTER;
        heldUntil.put(contact, System.nanoTime() + wait.toNanos());
        try {
            worker.schedule(this::pump, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the client is closing; the entries wait in the store
        }
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // Only the failure's type: never a message's content. The next pump tries again.
                    System.getLogger(Outbox.class.getName()).log(System.Logger.Level.WARNING, "outbox: " + e.getClass().getName());
                }
            });
        } catch (RejectedExecutionException closed) {
            pumpQueued.set(false); // the client is closing; the entries wait in the store
        }
    }

    private static String key(OutboxEntry entry) {
        return key(entry.recipient(), entry.id());
    }

    private static String key(String recipient, String id) {
        return recipient + "/" + id;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
