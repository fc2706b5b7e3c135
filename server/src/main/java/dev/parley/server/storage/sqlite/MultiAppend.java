package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.MultiAppendResult;
import dev.parley.server.storage.OutgoingMulti;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.storage.StoredMessage;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.RecipientRefusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link dev.parley.server.storage.MessageStore#appendMulti} inside the writer's transaction:
 * per recipient the checks of a {@code send_message} (its exact device list, then its device
 * queues' cap and the sender's share, for the copies not stored before), a failed recipient
 * refused alone; then the sender's quota over the whole send, the body counted once; then the
 * body and every accepted copy. Runs on the writer thread only; like every write it may run
 * twice (a batch re-run), so it has no effect outside the transaction and {@link QueueCounts}.
 */
final class MultiAppend {

    /** An accepted recipient and the copies to insert for it. */
    private record Accepted(String to, List<MultiDevice> copies) {
    }

    private final WriterStatements statements;
    private final QueueCounts counts;

    MultiAppend(WriterStatements statements, QueueCounts counts) {
        this.statements = statements;
        this.counts = counts;
    }

    MultiAppendResult append(Connection connection, OutgoingMulti message, QueueLimits limits) throws SQLException {
        counts.ensureSenderLoaded(connection, message.sender());
        // The quota is the whole send's, checked below once; per recipient only the queues.
        QueueLimits queuesOnly = new QueueLimits(limits.queueCap(), limits.senderShare(), Long.MAX_VALUE);
        List<RecipientRefusal> refused = new ArrayList<>();
        List<Accepted> accepted = new ArrayList<>();
        for (MultiRecipient recipient : message.recipients()) {
            Set<Integer> named = new TreeSet<>();
            recipient.devices().forEach(copy -> named.add(copy.device()));
            counts.ensureLoaded(connection, recipient.to(), message.sender()); // on PostgreSQL with the device list
            AppendResult devices = SqliteMessageStore.checkDevices(statements, connection, counts.lists(), recipient.to(),
                    message.sender(), message.senderDevice(), named);
            if (devices != null) {
                refused.add(refusal(recipient.to(), devices));
                continue;
            }
            // As for send_message: check as if every copy were new; only a recipient that meets
            // a limit looks for earlier copies, so that a resend is not refused for its own copies.
            List<MultiDevice> fresh = recipient.devices();
            AppendResult full = queueRefusal(message, recipient.to(), fresh, queuesOnly);
            if (full != null) {
                fresh = notStoredBefore(connection, message, recipient.to(), fresh);
                full = queueRefusal(message, recipient.to(), fresh, queuesOnly);
            }
            if (full != null) {
                refused.add(refusal(recipient.to(), full));
            } else {
                accepted.add(new Accepted(recipient.to(), fresh));
            }
        }
        if (counts.quotaRefusal(message.sender(), queuedChars(message, accepted), limits) != null) {
            List<Accepted> fresh = new ArrayList<>();
            for (Accepted recipient : accepted) {
                fresh.add(new Accepted(recipient.to(), notStoredBefore(connection, message, recipient.to(), recipient.copies())));
            }
            accepted = fresh;
            long chars = queuedChars(message, accepted);
            if (chars > 0 && counts.quotaRefusal(message.sender(), chars, limits) != null) {
                return new MultiAppendResult.QuotaExceeded();
            }
        }
        List<StoredMessage> stored = insertAll(connection, message, accepted);
        return new MultiAppendResult.Stored(stored, refused, !accepted.isEmpty() && stored.isEmpty());
    }

    /** The body (once, before the first copy that needs it) and every accepted copy not stored before. */
    private List<StoredMessage> insertAll(Connection connection, OutgoingMulti message, List<Accepted> accepted)
            throws SQLException {
        Long body = null;
        List<StoredMessage> stored = new ArrayList<>();
        for (Accepted recipient : accepted) {
            for (MultiDevice copy : recipient.copies()) {
                if (body == null && message.content() != null) {
                    body = MessageBodies.insert(statements, connection, message.sender(), message.content());
                    counts.bodyQueued(message.sender(), message.bodyChars());
                }
                StoredMessage inserted = insert(connection, message, recipient.to(), copy, body);
                if (inserted != null) {
                    stored.add(inserted);
                }
            }
        }
        if (body != null && stored.isEmpty()) {
            counts.releaseBody(connection, body); // a resend that stored nothing new
        }
        return stored;
    }

    /** Inserts one copy referring to {@code body} (or none); null when this device's copy was stored before. */
    private StoredMessage insert(Connection connection, OutgoingMulti message, String to, MultiDevice copy, Long body)
            throws SQLException {
        PreparedStatement insert = statements.prepare(connection,
                "INSERT INTO messages (recipient, recipient_device, sender, sender_device, message_id, envelope, body_id, "
                        + "stored_chars, server_time, expires_at, multi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE) "
                        + "ON CONFLICT (recipient, recipient_device, sender, message_id) DO NOTHING RETURNING seq");
        insert.setString(1, to);
        insert.setInt(2, copy.device());
        insert.setString(3, message.sender());
        insert.setInt(4, message.senderDevice());
        insert.setString(5, message.messageId());
        insert.setString(6, copy.envelope());
        if (body == null) {
            insert.setNull(7, java.sql.Types.INTEGER);
        } else {
            insert.setLong(7, body);
        }
        insert.setInt(8, OutgoingMulti.storedChars(copy));
        insert.setLong(9, message.serverTime());
        insert.setLong(10, message.expiresAt());
        long seq;
        try (ResultSet row = insert.executeQuery()) {
            if (!row.next()) {
                return null; // stored before
            }
            seq = row.getLong(1);
        }
        long previous = counts.queued(to, copy.device(), message.sender(), OutgoingMulti.storedChars(copy), seq);
        return new StoredMessage(seq, to, copy.device(), message.sender(), message.senderDevice(), message.messageId(),
                copy.envelope(), message.content(), message.serverTime(), true, previous);
    }

    /** The first queue limit (cap, then share) queuing all of {@code copies} for {@code to} would pass, or null. */
    private AppendResult queueRefusal(OutgoingMulti message, String to, List<MultiDevice> copies, QueueLimits queuesOnly) {
        for (MultiDevice copy : copies) {
            AppendResult refused = counts.refusal(to, copy.device(), message.sender(), 0, 0, queuesOnly);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    private List<MultiDevice> notStoredBefore(Connection connection, OutgoingMulti message, String to, List<MultiDevice> copies)
            throws SQLException {
        List<MultiDevice> fresh = new ArrayList<>();
        for (MultiDevice copy : copies) {
            if (!SqliteMessageStore.isStored(statements, connection, to, copy.device(), message.sender(), message.messageId())) {
                fresh.add(copy);
            }
        }
        return fresh;
    }

    /** What the accepted copies would add to the sender's quota: each envelope, and the body once if any copy is queued. */
    private static long queuedChars(OutgoingMulti message, List<Accepted> accepted) {
        long chars = 0;
        boolean anyCopy = false;
        for (Accepted recipient : accepted) {
            for (MultiDevice copy : recipient.copies()) {
                chars += OutgoingMulti.storedChars(copy);
                anyCopy = true;
            }
        }
        return anyCopy ? chars + message.bodyChars() : 0;
    }

    /** The wire's per-recipient refusal for a store refusal that concerns one recipient. */
    private static RecipientRefusal refusal(String to, AppendResult result) {
        return switch (result) {
            case AppendResult.NoDeviceList n -> new RecipientRefusal(to, ErrorCode.UNKNOWN_DEVICE);
            case AppendResult.MismatchedDevices m -> new RecipientRefusal(to, ErrorCode.MISMATCHED_DEVICES, m.missing(), m.extra());
            case AppendResult.QueueFull q -> new RecipientRefusal(to, ErrorCode.QUEUE_FULL);
            case AppendResult.QueueShareFull q -> new RecipientRefusal(to, ErrorCode.QUEUE_SHARE_FULL);
            default -> throw new IllegalStateException("not a per-recipient refusal: " + result);
        };
    }
}
