package dev.parley.server.delivery;

import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.MessageStore;
import dev.parley.server.storage.MultiAppendResult;
import dev.parley.server.storage.OutgoingMulti;
import dev.parley.server.storage.QueueLimits;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.RecipientRefusal;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code send_multi} (docs/PROTOCOL.md §6a): one message to many accounts, its content stored
 * once. Refusals of the whole frame (an envelope over the limit, a full disk, the sender's
 * quota, a failed write) are an {@code error} with nothing stored; refusals of one recipient
 * (an unknown account, a device list that does not match, a full queue or share) are listed in
 * {@code stored.refused}, with nothing stored for that recipient and everything for the
 * others. {@code stored} is sent only after the commit; each copy is then routed like a
 * {@code send_message} copy (and a device that already held it, a resend, is told again). Runs on the network thread like {@code send_message}: it only
 * queues a write.
 *
 * <p>A frame that names its recipients is answered with the id of their {@link RecipientSets
 * set}; a frame that names a set instead is expanded to the set's recipients and then handled
 * exactly as if it had named them (each checked against its current device list), or refused
 * with {@code unknown_recipient_set}, nothing stored, when this device holds no such set.
 */
final class MultiSend {

    private final DeliveryHandlers delivery;
    private final MessageStore messages;
    private final Clock clock;
    private final int maxEnvelopeChars;
    private final QueueLimits queueLimits;
    private final DiskGuard disk;
    private final Duration queueTtl;
    private final RecipientSets sets;
    private final Counter sends;
    private final Counter copies;
    private final Counter unknownSets;

    MultiSend(DeliveryHandlers delivery, MessageStore messages, Clock clock, int maxEnvelopeChars, QueueLimits queueLimits,
              DiskGuard disk, Duration queueTtl, RecipientSets sets, MeterRegistry metrics) {
        this.delivery = delivery;
        this.messages = messages;
        this.clock = clock;
        this.maxEnvelopeChars = maxEnvelopeChars;
        this.queueLimits = queueLimits;
        this.disk = disk;
        this.queueTtl = queueTtl;
        this.sets = sets;
        this.sends = Counter.builder("parley_multi_sends_stored").description("send_multi frames durably stored").register(metrics);
        this.copies = Counter.builder("parley_multi_copies_stored")
                .description("Device copies stored by send_multi frames (each refers to one stored body)").register(metrics);
        this.unknownSets = Counter.builder("parley_multi_unknown_recipient_sets")
                .description("send_multi frames refused for naming a recipient set the server no longer held").register(metrics);
        Gauge.builder("parley_multi_recipient_sets_bytes", sets, RecipientSets::bytes)
                .description("Memory counted for the held send_multi recipient sets").register(metrics);
    }

    void send(ClientConnection connection, SendMulti frame) {
        SendMulti message = frame.recipientSet() == null ? frame : expand(connection, frame);
        String messageId = message.id();
        checkSizes(message);
        // The set of a frame that named its recipients, issued when it is answered `stored`.
        boolean named = frame.recipientSet() == null;
        Map<String, RecipientRefusal> unknown = new HashMap<>();
        List<MultiRecipient> known = new ArrayList<>();
        for (MultiRecipient recipient : message.recipients()) {
            if (delivery.exists(recipient.to())) {
                known.add(recipient);
            } else {
                unknown.put(recipient.to(), new RecipientRefusal(recipient.to(), ErrorCode.UNKNOWN_USER));
            }
        }
        long now = clock.millis();
        if (known.isEmpty()) {
            connection.send(new Stored(messageId, now, false, inFrameOrder(message, unknown, List.of()),
                    named ? issue(connection, message) : null));
            return;
        }
        disk.ensureAccepting();
        var outgoing = new OutgoingMulti(connection.username(), connection.device(), messageId, message.content(), known, now,
                DeliveryHandlers.expiresAt(now, queueTtl, message.expiresIn()));
        connection.sendPending();
        messages.appendMulti(outgoing, queueLimits).whenComplete((result, failure) -> {
            connection.sendSettled();
            if (failure != null) {
                delivery.storeFailed(connection, messageId, failure);
                return;
            }
            switch (result) {
                case MultiAppendResult.Stored s -> {
                    if (!s.copies().isEmpty()) {
                        sends.increment();
                        copies.increment(s.copies().size());
                        delivery.expiresEarly(outgoing.expiresAt(), message.expiresIn());
                    }
                    connection.send(new Stored(messageId, now, s.duplicate(), inFrameOrder(message, unknown, s.refused()),
                            named ? issue(connection, message) : null));
                    s.copies().forEach(delivery::route);
                    delivery.notifyUncopied(accepted(known, s.refused()), s.copies());
                }
                case MultiAppendResult.QuotaExceeded q -> connection.send(ErrorFrame.of(ErrorCode.QUOTA_EXCEEDED,
                        "your undelivered messages take " + queueLimits.senderBytes() + " bytes, your quota; "
                                + "nothing was stored, try once recipients have read some", messageId));
            }
        });
    }

    /** The device ids of each recipient the store did not refuse. */
    private static Map<String, List<Integer>> accepted(List<MultiRecipient> known, List<RecipientRefusal> refused) {
        Set<String> refusedNames = new HashSet<>();
        refused.forEach(refusal -> refusedNames.add(refusal.to()));
        Map<String, List<Integer>> accepted = new HashMap<>();
        for (MultiRecipient recipient : known) {
            if (!refusedNames.contains(recipient.to())) {
                accepted.put(recipient.to(), recipient.devices().stream().map(MultiDevice::device).toList());
            }
        }
        return accepted;
    }

    /** The frame to the recipients of the set {@code frame} names, or the refusal when this device holds no such set. */
    private SendMulti expand(ClientConnection connection, SendMulti frame) {
        List<MultiRecipient> recipients = sets.expand(connection.username(), connection.device(), frame.recipientSet());
        if (recipients == null) {
            unknownSets.increment();
            throw new FrameRefused(ErrorCode.UNKNOWN_RECIPIENT_SET, "this server holds no recipient set '" + frame.recipientSet()
                    + "' for this device; nothing was stored, send the frame again with its recipients");
        }
        return new SendMulti(frame.id(), frame.content(), recipients, null, frame.expiresIn());
    }

    private String issue(ClientConnection connection, SendMulti message) {
        return sets.issue(connection.username(), connection.device(), message.recipients());
    }

    /** The content and each envelope are at most {@code maxEnvelopeChars}; the frame limit bounds their sum. */
    private void checkSizes(SendMulti message) {
        if (message.content() != null && message.content().length() > maxEnvelopeChars) {
            throw new FrameRefused(ErrorCode.ENVELOPE_TOO_LARGE, "'content' exceeds " + maxEnvelopeChars + " characters");
        }
        for (int i = 0; i < message.recipients().size(); i++) {
            List<MultiDevice> devices = message.recipients().get(i).devices();
            for (int j = 0; j < devices.size(); j++) {
                String envelope = devices.get(j).envelope();
                if (envelope != null && envelope.length() > maxEnvelopeChars) {
                    throw new FrameRefused(ErrorCode.ENVELOPE_TOO_LARGE,
                            "'recipients[" + i + "].devices[" + j + "].envelope' exceeds " + maxEnvelopeChars + " characters");
                }
            }
        }
    }

    /** The refusals (unknown accounts found here, the others by the store) in the order the frame named the recipients. */
    private static List<RecipientRefusal> inFrameOrder(SendMulti message, Map<String, RecipientRefusal> unknown,
                                                       List<RecipientRefusal> stored) {
        Map<String, RecipientRefusal> all = new HashMap<>(unknown);
        stored.forEach(refusal -> all.put(refusal.to(), refusal));
        List<RecipientRefusal> ordered = new ArrayList<>(all.size());
        for (MultiRecipient recipient : message.recipients()) {
            RecipientRefusal refusal = all.get(recipient.to());
            if (refusal != null) {
                ordered.add(refusal);
            }
        }
        return ordered;
    }
}
