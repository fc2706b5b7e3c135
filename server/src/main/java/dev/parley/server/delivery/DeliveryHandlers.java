package dev.parley.server.delivery;

import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.MessageStore;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.storage.StorageFullException;
import dev.parley.server.storage.StoredMessage;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeliveryFrames.Ack;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code send_message} and the recipient's {@code ack}: the durable delivery path
 * (docs/ARCHITECTURE.md, "The path of a message"). {@code send_message} is answered with {@code stored} only after
 * the message is committed; the message is relayed to the recipient after the commit, and
 * erased when the recipient acknowledges it. Handling is asynchronous, so a sender may
 * pipeline many messages and they share group commits.
 *
 * <p>Every refusal (a full queue, the sender's share of it or its byte quota, a full disk)
 * comes before the ack, and nothing of a refused message is stored.
 */
public final class DeliveryHandlers {

    static final Logger log = LoggerFactory.getLogger(DeliveryHandlers.class);

    private final MessageStore messages;
    private final OnlineUsers online;
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
     * Jetty's network thread (see {@link dev.parley.server.gateway.Route#nonBlocking}).
     */
    private final Set<String> knownUsers = ConcurrentHashMap.newKeySet();
    private final Counter stored;
    private final Counter relayed;

    public DeliveryHandlers(AccountStore accounts, MessageStore messages, OnlineUsers online, Clock clock,
                            int maxEnvelopeChars, QueueLimits queueLimits, DiskGuard disk, Duration queueTtl, int window,
                            Executor executor, MeterRegistry metrics) {
        accounts.usernames().forEach(knownUsers::add);
        this.messages = messages;
        this.online = online;
        this.clock = clock;
        this.maxEnvelopeChars = maxEnvelopeChars;
        this.queueLimits = queueLimits;
        this.disk = disk;
        this.queueTtl = queueTtl;
        this.window = window;
        this.executor = executor;
        this.stored = Counter.builder("parley_messages_stored").description("Messages durably queued").register(metrics);
        this.relayed = Counter.builder("parley_messages_acknowledged").description("Messages acknowledged by recipients").register(metrics);
    }

    public void send(ClientConnection connection, SendMessage message) {
        String messageId = message.id();
        String to = message.to();
        String envelope = message.envelope();
        if (envelope.length() > maxEnvelopeChars) {
            throw new FrameRefused(ErrorCode.ENVELOPE_TOO_LARGE, "'envelope' exceeds " + maxEnvelopeChars + " characters");
        }
        if (!exists(to)) {
            throw new FrameRefused(ErrorCode.UNKNOWN_USER, "no user '" + to + "'");
        }
        disk.ensureAccepting();
        long now = clock.millis();
        connection.sendPending();
        messages.append(to, connection.username(), messageId, envelope, now, now + queueTtl.toMillis(), queueLimits)
                .whenComplete((result, failure) -> {
                    connection.sendSettled();
                    if (failure instanceof StorageFullException) {
                        disk.countRefusal();
                        connection.send(ErrorFrame.of(ErrorCode.STORAGE_FULL,
                                "the server's disk is full; nothing was stored, send it again later", messageId));
                        return;
                    }
                    if (failure != null) {
                        log.error("storing message failed connection={}: {}", connection.id(), failure.toString());
                        connection.send(ErrorFrame.of(ErrorCode.INTERNAL_ERROR, "the message was not stored; send it again", messageId));
                        return;
                    }
                    switch (result) {
                        case AppendResult.Stored s -> {
                            stored.increment();
                            connection.send(new Stored(messageId, s.message().serverTime(), false));
                            route(s.message());
                        }
                        case AppendResult.Duplicate d -> connection.send(new Stored(messageId, now, true));
                        case AppendResult.QueueFull q -> connection.send(ErrorFrame.of(ErrorCode.QUEUE_FULL,
                                "'" + to + "' has " + queueLimits.queueCap() + " undelivered messages; try later", messageId));
                        case AppendResult.QueueShareFull q -> connection.send(ErrorFrame.of(ErrorCode.QUEUE_SHARE_FULL,
                                "you have " + queueLimits.senderShare() + " undelivered messages for '" + to
                                        + "'; nothing was stored, try once they have read some", messageId));
                        case AppendResult.QuotaExceeded q -> connection.send(ErrorFrame.of(ErrorCode.QUOTA_EXCEEDED,
                                "your undelivered messages take " + queueLimits.senderBytes() + " bytes, your quota; "
                                        + "nothing was stored, try once recipients have read some", messageId));
                    }
                });
    }

    public void acknowledge(ClientConnection connection, Ack ack) {
        String messageId = ack.id();
        String from = ack.from();
        String recipient = connection.username();
        // The slot in the delivery window is free now; the erasure commits with a later batch
        // (a crash before that delivers the message again, and the client drops it by its id).
        Mailbox mailbox = connection.deliveryState(Mailbox.class);
        if (mailbox != null) {
            mailbox.acknowledged(from, messageId);
        }
        messages.acknowledge(recipient, from, messageId).whenComplete((erased, failure) -> {
            if (failure != null) {
                log.error("acknowledging failed connection={}: {}", connection.id(), failure.toString());
            } else if (erased) {
                relayed.increment();
            }
        });
    }

    /** Starts replaying the stored queue to a connection that just logged in. */
    public void startDelivery(ClientConnection connection) {
        var mailbox = new Mailbox(connection, messages, window, executor);
        connection.setDeliveryState(mailbox);
        mailbox.start();
    }

    /** A username now exists (registration). */
    public void userRegistered(String username) {
        knownUsers.add(username);
    }

    private void route(StoredMessage message) {
        ClientConnection recipient = online.get(message.recipient());
        if (recipient != null) {
            Mailbox mailbox = recipient.deliveryState(Mailbox.class);
            if (mailbox != null) {
                mailbox.stored(message);
            }
        }
    }

    private boolean exists(String username) {
        return knownUsers.contains(username);
    }
}
