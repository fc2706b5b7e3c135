package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupOutboxStore;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.RecipientRefusal;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The group outbox (docs/CLIENT-MODEL.md, "Groups"), the outbox's rules for {@code send_multi}:
 * entries are committed before anything is sent, sealed once when first sent
 * ({@link GroupSealing}), and resent unchanged under the same id until the server stored every
 * recipient's copies; in order, pipelined up to {@link WireLimits#DELIVERY_WINDOW} entries. A
 * send whose frame would pass {@link WireLimits#MAX_FRAME_BYTES} is split by recipient
 * ({@link GroupFrames}), each frame carrying the content once, one frame after the other; a
 * frame whose exact list has a recipient set kept names the set instead ({@link GroupRecipientSets};
 * {@code unknown_recipient_set} sends it again with its list). The {@code stored} answer's
 * per-recipient refusals: {@code mismatched_devices} / {@code unknown_device} reseal only that
 * member's part and send it again under the same id; {@code queue_full} and the other
 * refusals that resolve themselves hold the entry ({@link Outbox#RETRY_AFTER}); {@code
 * unknown_user} drops the member from the send and reports it; anything else parks the member
 * until the next connect. One worker thread; an entry held or parked holds the group's later
 * entries, so a member gets a group's messages and changes in order.
 */
final class GroupOutbox implements AutoCloseable {

    /** A frame not answered within this is sent again, unchanged (the server deduplicates it). */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final ClientStore store;
    private final Supplier<ServerConnection> connection;
    private final Supplier<GroupSealing> sealing;
    private final GroupReports reports;
    private final Clock clock;
    private final Supplier<String> self;
    private final ScheduledExecutorService worker =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parley-group-outbox").factory());
    private final java.util.concurrent.atomic.AtomicBoolean pumpQueued = new java.util.concurrent.atomic.AtomicBoolean();
    // Worker thread only:
    /** Entry id to the number of its frames in flight (at most one: see {@link #run}). */
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Long> heldUntil = new HashMap<>();
    /** {@code id/member}: sent again on the next connect only. */
    private final Set<String> parked = new HashSet<>();
    private final GroupRecipientSets sets;
    /** Test seam: sees every {@code send_multi} frame as it is sent (a test checks which name a recipient set). */
    volatile java.util.function.Consumer<SendMulti> sentTap;

    GroupOutbox(ClientStore store, Supplier<ServerConnection> connection, Supplier<GroupSealing> sealing, GroupReports reports,
            Clock clock, Supplier<String> self) {
        this.store = store;
        this.connection = connection;
        this.sealing = sealing;
        this.reports = reports;
        this.clock = clock;
        this.self = self;
        this.sets = new GroupRecipientSets(store);
    }

    /** After each login: what waited (parked members included) goes out, in order. */
    void connected() {
        onWorker(parked::clear);
        pump();
    }

    void pump() {
        if (pumpQueued.compareAndSet(false, true)) {
            onWorker(this::run);
        }
    }

    int size() {
        return store.groupOutbox.size();
    }

    private void run() {
        pumpQueued.set(false);
        ServerConnection current = connection.get();
        GroupSealing seals = sealing.get();
        if (current == null || !current.isOpen() || seals == null) {
            return; // the next connect pumps
        }
        long now = System.nanoTime();
        heldUntil.values().removeIf(until -> until <= now);
        Set<String> blocked = new HashSet<>();
        for (GroupOutboxStore.Entry listed : store.groupOutbox.entries()) {
            if (inFlight.size() >= WireLimits.DELIVERY_WINDOW) {
                return; // an answer pumps again
            }
            if (blocked.contains(listed.groupId()) || inFlight.containsKey(listed.id())) {
                continue;
            }
            if (heldUntil.containsKey(listed.id())) {
                blocked.add(listed.groupId());
                continue;
            }
            GroupOutboxStore.Entry entry = listed;
            if (!entry.sealed()) {
                try {
                    reports.skipped(entry, seals.seal(entry, clock.millis()));
                } catch (ClientException e) {
                    if (e.reason() == Reason.SERVER_UNREACHABLE) {
                        if (current.isOpen()) {
                            hold(entry.id()); // the server's database was unreachable (unavailable): try again later
                        }
                        return;
                    }
                    hold(entry.id(), Outbox.RETRY_OWN_AFTER); // a device just linked has no prekeys for a moment
                    blocked.add(entry.groupId());
                    continue;
                }
                entry = store.groupOutbox.entry(entry.id()).orElse(null);
                if (entry == null || entry.recipients().isEmpty()) {
                    settle(listed);
                    continue;
                }
                if (entry.kind() == GroupOutboxStore.Kind.MESSAGE) {
                    sets.sealed(entry.groupId(), entry.recipients()); // a text's recipients are the group's whole list
                }
            }
            String id = entry.id();
            List<String> members = entry.recipients().keySet().stream().filter(m -> !parked.contains(id + "/" + m)).toList();
            if (members.isEmpty()) {
                blocked.add(entry.groupId());
                continue;
            }
            // One frame of an entry at a time: answers are matched by id, and every frame of a split send has the
            // entry's id. The next frame (the recipients not stored yet) goes on the pass after its answer.
            SendMulti named = GroupFrames.split(entry, members).getFirst();
            SendMulti frame = sets.frameFor(entry.groupId(), named).withExpiresIn(store.groupOutbox.expiresIn(id));
            inFlight.put(id, 1);
            GroupOutboxStore.Entry sent = entry;
            var tap = sentTap;
            if (tap != null) {
                tap.accept(frame);
            }
            current.requestAsync(frame, Stored.class).orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((stored, error) -> onWorker(() -> answered(sent, named, frame, stored, error)));
        }
    }

    /**
     * The answer to {@code frame}: {@code listed} itself, or the same frame naming the recipient
     * set of {@code listed}'s recipients.
     */
    private void answered(GroupOutboxStore.Entry entry, SendMulti listed, SendMulti frame, Stored stored, Throwable error) {
        String id = entry.id();
        inFlight.computeIfPresent(id, (key, left) -> left > 1 ? left - 1 : null);
        Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        if (cause instanceof ServerError refused && frame.recipientSet() != null
                && refused.code().orElse(null) == ErrorCode.UNKNOWN_RECIPIENT_SET) {
            sets.dropped(entry.groupId(), listed); // nothing was stored: the same frame goes again with its list
        } else if (cause instanceof ServerError refused) {
            ErrorCode code = refused.code().orElse(null);
            for (var recipient : listed.recipients()) {
                if (Outbox.FINAL.contains(code)) {
                    store.groupOutbox.recipientDone(id, recipient.to());
                    reports.notSent(entry, recipient.to(), "the server refused the message (" + refused.getMessage() + ")");
                } else if (Outbox.TRANSIENT.contains(code)) {
                    hold(id);
                } else {
                    park(entry, recipient.to(), "the server refused the message (" + refused.getMessage() + ")");
                }
            }
        } else if (cause == null) {
            store.content.stored(dev.parley.client.store.ContentStore.group(entry.groupId()), self.get(), id, stored.serverTime());
            if (frame.recipientSet() == null && stored.recipientSet() != null) {
                sets.learned(entry.groupId(), listed, stored.recipientSet());
            }
            Map<String, RecipientRefusal> refusals = new HashMap<>();
            stored.refused().forEach(r -> refusals.put(r.to(), r));
            for (var recipient : listed.recipients()) {
                RecipientRefusal refusal = refusals.get(recipient.to());
                if (refusal == null) {
                    store.groupOutbox.recipientDone(id, recipient.to());
                } else {
                    refusedFor(entry, recipient.to(), refusal.code());
                }
            }
        } // else the connection ended (the next connect resends it) or no answer came in time (the next pass resends it)
        if (!inFlight.containsKey(id) && store.groupOutbox.entry(id).isEmpty()) {
            settle(entry);
        }
        pump();
    }

    private void refusedFor(GroupOutboxStore.Entry entry, String member, ErrorCode code) {
        switch (code) {
            case MISMATCHED_DEVICES, UNKNOWN_DEVICE -> {
                var stored = store.groupOutbox.entry(entry.id());
                if (stored.isEmpty()) {
                    return;
                }
                try {
                    sealing.get().resealMember(stored.get(), member);
                } catch (ClientException e) {
                    if (member.equals(self.get())) {
                        hold(entry.id(), Outbox.RETRY_OWN_AFTER); // a device just linked has no prekeys for a moment
                    } else if (e.reason() != Reason.SERVER_UNREACHABLE && e.reason() != Reason.TIMEOUT) {
                        park(entry, member, e.getMessage());
                    }
                }
            }
            case UNKNOWN_USER -> {
                store.groupOutbox.recipientDone(entry.id(), member);
                reports.notSent(entry, member, "there is no user " + member + " on the server");
            }
            case QUEUE_FULL, QUEUE_SHARE_FULL -> hold(entry.id());
            default -> park(entry, member, "the server refused it (" + code.wireName() + ")");
        }
    }

    /** The entry left the outbox: a text of this account's is now stored. */
    private void settle(GroupOutboxStore.Entry entry) {
        if (entry.kind() == GroupOutboxStore.Kind.MESSAGE) {
            store.groupHistory.raiseStatus(entry.groupId(), self.get(), entry.id(), MessageStatus.STORED);
        }
    }

    private void park(GroupOutboxStore.Entry entry, String member, String reason) {
        if (parked.add(entry.id() + "/" + member)) {
            reports.notSent(entry, member, reason + "; it is sent again after the next connect");
        }
    }

    private void retryLater() {
        try {
            worker.schedule(this::pump, Outbox.RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the client is closing
        }
    }

    private void hold(String id) {
        hold(id, Outbox.RETRY_AFTER);
    }

    private void hold(String id, Duration wait) {
        heldUntil.put(id, System.nanoTime() + wait.toNanos());
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
                    // Only the failure's type: never a message's content. A pass tries again after a while.
                    System.getLogger(GroupOutbox.class.getName()).log(System.Logger.Level.WARNING,
                            "group outbox: " + e.getClass().getName());
                    retryLater();
                }
            });
        } catch (RejectedExecutionException closed) {
            pumpQueued.set(false);
        }
    }

    /** Waits until the group outbox is empty, at most {@code timeout}; returns whether it is. */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (size() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
