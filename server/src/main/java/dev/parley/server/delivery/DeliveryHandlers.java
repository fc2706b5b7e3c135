package dev.parley.server.delivery;

import dev.parley.server.cluster.Cluster;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.MessageStore;
import dev.parley.server.storage.OutgoingMessage;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.storage.StorageFullException;
import dev.parley.server.storage.StoredMessage;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeliveryFrames.Ack;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code send_message} and the recipient device's {@code ack}: the durable delivery path
 * (docs/ARCHITECTURE.md, "The path of a message"). A send carries one envelope per device of
 * the recipient's signed list; it is stored for exactly those devices or not at all
 * ({@code mismatched_devices} names what is missing and extra), and answered with
 * {@code stored} only after every copy is committed; each copy is relayed to its device after
 * the commit, and erased when that device acknowledges it. Handling is asynchronous, so a sender may
 * pipeline many messages and they share group commits.
 *
 * <p>Every refusal (a full queue, the sender's share of it or its byte quota, a full disk)
 * comes before the ack, and nothing of a refused message is stored.
 */
public final class DeliveryHandlers {

    static final Logger log = LoggerFactory.getLogger(DeliveryHandlers.class);

    private final AccountStore accounts;
    private final MessageStore messages;
    private final OnlineUsers online;
    private final Cluster cluster;
    private final Clock clock;
    private final int maxEnvelopeChars;
    private final QueueLimits queueLimits;
    private final DiskGuard disk;
    private final Duration queueTtl;
    private final int window;
    private final Executor executor;
    /**
     * Every username: loaded at start, added to on registration (usernames are never deleted),
     * so that a send never waits for the database before its write is queued: it runs on
     * Jetty's network thread (see {@link dev.parley.server.gateway.Route#nonBlocking}). In
     * cluster mode registrations on other nodes arrive as events, and the set is reloaded
     * whenever this node may have missed some ({@link #reloadUsernames}).
     */
    private final Set<String> knownUsers = ConcurrentHashMap.newKeySet();
    private final Counter stored;
    private final Counter relayed;
    private final MultiSend multi;
    private final ExpirySweeps sweeps;

    public DeliveryHandlers(AccountStore accounts, MessageStore messages, OnlineUsers online, Cluster cluster, Clock clock,
                            int maxEnvelopeChars, QueueLimits queueLimits, DiskGuard disk, Duration queueTtl, int window,
                            long recipientSetBytes, Executor executor, MeterRegistry metrics, ExpirySweeps sweeps) {
        accounts.usernames().forEach(knownUsers::add);
        this.accounts = accounts;
        this.messages = messages;
        this.online = online;
        this.cluster = cluster;
        this.clock = clock;
        this.maxEnvelopeChars = maxEnvelopeChars;
        this.queueLimits = queueLimits;
        this.disk = disk;
        this.queueTtl = queueTtl;
        this.window = window;
        this.executor = executor;
        this.sweeps = sweeps;
        this.stored = Counter.builder("parley_messages_stored").description("Messages durably queued").register(metrics);
        this.relayed = Counter.builder("parley_messages_acknowledged").description("Messages acknowledged by recipients").register(metrics);
        this.multi = new MultiSend(this, messages, clock, maxEnvelopeChars, queueLimits, disk, queueTtl,
                new RecipientSets(recipientSetBytes, new java.security.SecureRandom()), metrics);
    }

    public void send(ClientConnection connection, SendMessage message) {
        String messageId = message.id();
        String to = message.to();
        checkSizes(message);
        if (!exists(to)) {
            throw new FrameRefused(ErrorCode.UNKNOWN_USER, "no user '" + to + "'");
        }
        disk.ensureAccepting();
        long now = clock.millis();
        var outgoing = new OutgoingMessage(to, connection.username(), connection.device(), messageId, message.content(),
                message.devices(), now, expiresAt(now, queueTtl, message.expiresIn()));
        connection.sendPending();
        messages.append(outgoing, queueLimits).whenComplete((result, failure) -> {
            connection.sendSettled();
            if (failure != null) {
                storeFailed(connection, messageId, failure);
                return;
            }
            switch (result) {
                case AppendResult.Stored s -> {
                    stored.increment();
                    expiresEarly(outgoing.expiresAt(), message.expiresIn());
                    connection.send(new Stored(messageId, now, false));
                    s.copies().forEach(this::route);
                    notifyUncopied(Map.of(to, deviceIds(message)), s.copies());
                }
                case AppendResult.Duplicate d -> {
                    connection.send(new Stored(messageId, now, true));
                    // The node that stored the first copies may have died before notifying.
                    notifyUncopied(Map.of(to, deviceIds(message)), List.of());
                }
                case AppendResult.MismatchedDevices m -> connection.send(ErrorFrame.mismatchedDevices(messageId,
                        "the send must name exactly " + (to.equals(connection.username()) ? "your other devices" : "'" + to
                                + "''s devices") + "; fetch the list again (get_devices); nothing was stored",
                        m.missing(), m.extra()));
                case AppendResult.NoDeviceList n -> connection.send(ErrorFrame.of(ErrorCode.UNKNOWN_DEVICE,
                        "'" + to + "' has not published a device list yet; nothing was stored, try later", messageId));
                case AppendResult.QueueFull q -> connection.send(ErrorFrame.of(ErrorCode.QUEUE_FULL,
                        "a device of '" + to + "' has " + queueLimits.queueCap() + " undelivered messages; nothing was stored, "
                                + "try later", messageId));
                case AppendResult.QueueShareFull q -> connection.send(ErrorFrame.of(ErrorCode.QUEUE_SHARE_FULL,
                        "you have " + queueLimits.senderShare() + " undelivered messages for a device of '" + to
                                + "'; nothing was stored, try once they have read some", messageId));
                case AppendResult.QuotaExceeded q -> connection.send(ErrorFrame.of(ErrorCode.QUOTA_EXCEEDED,
                        "your undelivered messages take " + queueLimits.senderBytes() + " bytes, your quota; "
                                + "nothing was stored, try once recipients have read some", messageId));
            }
        });
    }

    /**
     * When a copy stored at {@code now} expires: the queue's TTL, or sooner for a disappearing
     * message ({@code expiresIn} seconds, null for none), so that the copy, still queued, is
     * deleted at the instant the message disappears on its devices (docs/PROTOCOL.md §6).
     */
    static long expiresAt(long now, Duration queueTtl, Integer expiresIn) {
        long queued = now + queueTtl.toMillis();
        return expiresIn == null ? queued : Math.min(queued, now + expiresIn * 1000L);
    }

    /** Copies of a disappearing message were stored: the expiry sweep runs when they expire. */
    void expiresEarly(long expiresAt, Integer expiresIn) {
        if (expiresIn != null) {
            sweeps.due(expiresAt);
        }
    }

    /** {@code send_multi}: see {@link MultiSend}. */
    public void sendMulti(ClientConnection connection, SendMulti message) {
        multi.send(connection, message);
    }

    /** Answers a send whose write failed: nothing was stored ({@code storage_full} on a full disk, else {@code internal_error}). */
    void storeFailed(ClientConnection connection, String messageId, Throwable failure) {
        if (failure instanceof StorageFullException
                || failure instanceof java.util.concurrent.CompletionException && failure.getCause() instanceof StorageFullException) {
            disk.countRefusal();
            connection.send(ErrorFrame.of(ErrorCode.STORAGE_FULL,
                    "the server's disk is full; nothing was stored, send it again later", messageId));
            return;
        }
        log.error("storing message failed connection={}: {}", connection.id(), failure.toString());
        connection.send(ErrorFrame.of(ErrorCode.INTERNAL_ERROR, "the message was not stored; send it again", messageId));
    }

    /** The shared content and each envelope are at most {@code maxEnvelopeChars}; the frame limit bounds their sum. */
    private void checkSizes(SendMessage message) {
        if (message.content() != null && message.content().length() > maxEnvelopeChars) {
            throw new FrameRefused(ErrorCode.ENVELOPE_TOO_LARGE, "'content' exceeds " + maxEnvelopeChars + " characters");
        }
        for (int i = 0; i < message.devices().size(); i++) {
            if (message.devices().get(i).envelope().length() > maxEnvelopeChars) {
                throw new FrameRefused(ErrorCode.ENVELOPE_TOO_LARGE,
                        "'devices[" + i + "].envelope' exceeds " + maxEnvelopeChars + " characters");
            }
        }
    }

    public void acknowledge(ClientConnection connection, Ack ack) {
        String messageId = ack.id();
        String from = ack.from();
        String recipient = connection.username();
        int device = connection.device();
        // The slot in the delivery window is free now; the erasure commits with a later batch
        // (a crash before that delivers the message again, and the client drops it by its id).
        Mailbox mailbox = connection.deliveryState(Mailbox.class);
        if (mailbox != null) {
            mailbox.acknowledged(from, messageId);
        }
        messages.acknowledge(recipient, device, from, messageId).whenComplete((erased, failure) -> {
            if (failure != null) {
                log.error("acknowledging failed connection={}: {}", connection.id(), failure.toString());
            } else if (erased) {
                relayed.increment();
            }
        });
    }

    /** Starts replaying the device's stored queue to a connection that just logged in as a listed device. */
    public void startDelivery(ClientConnection connection) {
        var mailbox = new Mailbox(connection, messages, window, executor, clock, cluster.notifiesInCommitOrder());
        connection.setDeliveryState(mailbox);
        mailbox.start();
    }

    /** A username now exists (registration, here or on another node). */
    public void userRegistered(String username) {
        knownUsers.add(username);
    }

    /** Reads every username again (cluster mode: registrations whose events this node may have missed). */
    public void reloadUsernames() {
        knownUsers.addAll(accounts.usernames());
    }

    /** {@code connection}'s mailbox reads its queue (a notification from another node, or the delivery sweep). */
    public void readQueue(ClientConnection connection) {
        Mailbox mailbox = connection.deliveryState(Mailbox.class);
        if (mailbox != null) {
            mailbox.readQueue();
        }
    }

    /** Tells the recipient device about a committed copy: its mailbox if it is here, else the node holding it. */
    void route(StoredMessage message) {
        ClientConnection recipient = online.get(message.recipient(), message.recipientDevice());
        if (recipient == null) {
            cluster.notifyElsewhere(message.recipient(), message.recipientDevice());
            return;
        }
        Mailbox mailbox = recipient.deliveryState(Mailbox.class);
        if (mailbox != null) {
            mailbox.stored(message);
        }
    }

    /**
     * A send stored {@code copies} for the devices it named and was not refused ({@code named}:
     * account to device ids); a named device without a new copy already held the message (a
     * resend). Those are told again, wherever they are, since whoever stored their copy may have
     * crashed before telling them; a mailbox that relayed it already relays nothing twice.
     */
    void notifyUncopied(Map<String, List<Integer>> named, List<StoredMessage> copies) {
        int devices = named.values().stream().mapToInt(List::size).sum();
        if (copies.size() == devices) {
            return; // every named device got a new copy, and was told
        }
        Set<String> copied = new HashSet<>();
        copies.forEach(copy -> copied.add(copy.recipient() + "/" + copy.recipientDevice()));
        named.forEach((account, ids) -> {
            for (int device : ids) {
                if (!copied.contains(account + "/" + device)) {
                    ClientConnection recipient = online.get(account, device);
                    if (recipient == null) {
                        cluster.notifyElsewhere(account, device);
                    } else {
                        readQueue(recipient);
                    }
                }
            }
        });
    }

    private static List<Integer> deviceIds(SendMessage message) {
        return message.devices().stream().map(DeviceEnvelope::device).toList();
    }

    boolean exists(String username) {
        return knownUsers.contains(username);
    }
}
