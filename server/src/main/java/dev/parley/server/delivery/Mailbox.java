package dev.parley.server.delivery;

import dev.parley.server.gateway.AwaitingAcks;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.FieldHandles;
import dev.parley.server.storage.MessageStore;
import dev.parley.server.storage.StorageUnavailableException;
import dev.parley.server.storage.StoredMessage;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * Delivers one logged-in device's queue, in order, with at most {@code window}
 * relayed-but-unacknowledged messages outstanding.
 *
 * <p>It is an actor: events run one at a time, so the state below needs no lock, and nobody
 * who posts an event ever blocks (the database's commit path posts {@link #stored}). Events
 * are queued and run on a virtual thread, except {@link #stored}, which never blocks and runs
 * on the caller's thread when the mailbox is idle.
 *
 * <p>Invariants: messages go out in strictly increasing {@code seq}; {@link #lastSentSeq} is
 * the highest sent; while {@link #backlog} is true the database may hold pending messages
 * above {@link #lastSentSeq} that this mailbox has not seen, so live notifications are ignored
 * (the store has them, and a {@link #stored} event is only posted after its commit) and the
 * next {@link #pump} reads them in order. Nothing is relayed while the connection's outgoing
 * queue is over its bound ({@link ClientConnection#hasRoomForRelays}); the connection pumps again once
 * it is back under, so a recipient that reads slowly holds at most that bound in memory.
 *
 * <p>A notified copy is relayed from the notification when notifications arrive in commit
 * order ({@code inOrder}: one node). In cluster mode another node's lower {@code seq} may be
 * committed while its notification is still on its way; relaying a higher one first would move
 * {@link #lastSentSeq} past it for good. There a copy stored on this node is relayed from its
 * notification only when its store knew that no copy of the device pending before it lies above
 * {@link #lastSentSeq} ({@link StoredMessage#previousPending}, known under the account's lock
 * in the transaction that stored it); any other notification, local or remote, makes the mailbox
 * read its queue from {@link #lastSentSeq} ({@link #readQueue}). Per device, commit order is
 * {@code seq} order on every store, so what such a read finds is never overtaken.
 *
 * <p>{@link #inflight} is the one piece of state shared with other threads: the gateway asks
 * it whether an {@code ack} answers a relay ({@link AwaitingAcks}), and an ack removes its entry
 * at once on the gateway's thread, so a repeated ack finds nothing. It is made on the first
 * relay (by the mailbox's own thread, the only one that adds) and published through a volatile
 * field: most connections are idle, and an empty set costs about a hundred bytes each.
 */
final class Mailbox implements AwaitingAcks {

    private static final VarHandle SCHEDULED = FieldHandles.of(MethodHandles.lookup(), "scheduled", boolean.class);
    private static final VarHandle READ_QUEUED = FieldHandles.of(MethodHandles.lookup(), "readQueued", boolean.class);

    private record Key(String sender, String messageId) {
    }

    private final ClientConnection connection;
    private final String recipient;
    private final int device;
    private final MessageStore messages;
    private final int window;
    private final Executor executor;
    private final Clock clock;
    private final boolean inOrder;
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    /** Set while a drain of {@link #events} is running or handed to the executor. */
    private volatile boolean scheduled;
    /** Set while a read of the queue is posted and has not begun: further requests join it. */
    private volatile boolean readQueued;

    private long lastSentSeq;
    private boolean backlog = true;
    /** False until the replay at login begins: reads asked for before are that replay's. */
    private boolean started;
    /** Relayed and not yet acknowledged; null until the first relay. */
    private volatile Set<Key> inflight;

    /** @param inOrder whether notifications of committed copies arrive in commit order (see the class comment) */
    Mailbox(ClientConnection connection, MessageStore messages, int window, Executor executor, Clock clock, boolean inOrder) {
        this.connection = connection;
        this.recipient = connection.username();
        this.device = connection.device();
        this.messages = messages;
        this.window = window;
        this.executor = executor;
        this.clock = clock;
        this.inOrder = inOrder;
    }

    /**
     * Starts delivery: replays the stored queue from the beginning, once acknowledgements still
     * waiting to be committed (from this account's previous connection) have taken effect.
     */
    void start() {
        connection.onRoomForRelays(() -> post(this::pump));
        messages.flush().whenComplete((done, failure) -> post(() -> {
            started = true;
            pump();
        }));
    }

    /** A message for this recipient was committed. Never blocks, so it may run on the caller's thread. */
    void stored(StoredMessage message) {
        long previous = message.previousPending();
        if (!inOrder && previous == StoredMessage.PREVIOUS_UNKNOWN) {
            readQueue();
            return;
        }
        runOrPost(() -> {
            if (message.seq() <= lastSentSeq || backlog) {
                return;
            }
            if (!inOrder && previous > lastSentSeq) { // a lower copy, committed elsewhere, is not relayed yet
                readQueue(); // posted: this may run on the committing thread, which never waits for a read
                return;
            }
            if (inflightCount() < window && connection.hasRoomForRelays()) {
                send(message);
            } else {
                backlog = true;
            }
        });
    }

    /**
     * Reads the queue from {@link #lastSentSeq} (a notification in cluster mode, the delivery
     * sweep, a resend of a stored message): whatever was committed for this device and not yet
     * relayed goes out, in order. Requests made before the read begins share it.
     */
    void readQueue() {
        if (READ_QUEUED.compareAndSet(this, false, true)) {
            post(() -> {
                readQueued = false;
                if (started) {
                    backlog = true;
                    pump();
                }
            });
        }
    }

    /** The recipient acknowledged a message: its window slot is free (the erasure is on its way). */
    void acknowledged(String sender, String messageId) {
        Set<Key> awaiting = inflight;
        if (awaiting != null && awaiting.remove(new Key(sender, messageId))) {
            post(this::pump);
        }
    }

    @Override
    public boolean anyAwaitingAck() {
        Set<Key> awaiting = inflight;
        return awaiting != null && !awaiting.isEmpty();
    }

    @Override
    public boolean awaitsAck(String sender, String messageId) {
        Set<Key> awaiting = inflight;
        return awaiting != null && awaiting.contains(new Key(sender, messageId));
    }

    private void pump() {
        while (backlog && inflightCount() < window && connection.hasRoomForRelays()) {
            int want = window - inflightCount();
            List<StoredMessage> page = messages.pending(recipient, device, lastSentSeq, want, clock.millis());
            int sent = 0;
            while (sent < page.size() && connection.hasRoomForRelays()) {
                send(page.get(sent++));
            }
            if (sent == page.size() && page.size() < want) {
                backlog = false;
            }
        }
    }

    private void send(StoredMessage message) {
        var frame = new RelayMessage(message.messageId(), message.sender(), message.senderDevice(), message.envelope(),
                message.content(), message.serverTime(), message.multi());
        // Awaited before it is sent, so that its ack always finds it.
        Set<Key> awaiting = inflight;
        if (awaiting == null) {
            awaiting = ConcurrentHashMap.newKeySet();
            inflight = awaiting;
        }
        awaiting.add(new Key(message.sender(), message.messageId()));
        lastSentSeq = message.seq();
        connection.send(frame);
    }

    private int inflightCount() {
        Set<Key> awaiting = inflight;
        return awaiting == null ? 0 : awaiting.size();
    }

    /**
     * Runs a non-blocking event on the caller's thread when the mailbox is idle (saving a
     * virtual thread per relayed message), else queues it like {@link #post}.
     */
    private void runOrPost(Runnable event) {
        if (!events.isEmpty() || !SCHEDULED.compareAndSet(this, false, true)) {
            post(event);
            return;
        }
        run(event);
        scheduled = false;
        if (!events.isEmpty() && SCHEDULED.compareAndSet(this, false, true)) {
            executor.execute(this::drain);
        }
    }

    private void post(Runnable event) {
        events.add(event);
        if (SCHEDULED.compareAndSet(this, false, true)) {
            executor.execute(this::drain);
        }
    }

    private void run(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            DeliveryHandlers.log.warn("delivery to connection={} failed: {}", connection.id(), e.toString());
            if (StorageUnavailableException.in(e) != null) { // the page could not be read: log in again later
                connection.send(ErrorFrame.of(ErrorCode.UNAVAILABLE, "the server cannot reach its database; reconnect later", null));
            }
            connection.close();
            events.clear();
        }
    }

    private void drain() {
        do {
            Runnable event;
            while ((event = events.poll()) != null) {
                run(event);
            }
            scheduled = false;
        } while (!events.isEmpty() && SCHEDULED.compareAndSet(this, false, true));
    }
}
