package dev.parley.client.store;

import dev.parley.client.GroupEntry;
import dev.parley.client.MessageStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The group history (docs/CLIENT-MODEL.md, "Groups"): texts both ways, system lines for the
 * changes applied and warnings for those refused, in the order they happened here; the state
 * of one's own texts, and which member's device sent a delivery or read receipt for each.
 * Part of {@link ClientStore}.
 */
public final class GroupHistoryStore {

    private static final String COLUMNS = "group_id, id, sender, coalesce(device, 0), outgoing, kind, text, sent_at,"
            + " coalesce(server_time, 0), status";

    private final ClientStore store;

    GroupHistoryStore(ClientStore store) {
        this.store = store;
    }

    /**
     * Adds an entry; {@code seen} false for one to show (a received text, one another device of this
     * account sent). An entry already here (a replay) changes nothing; returns whether it was added.
     */
    public boolean add(GroupEntry entry, boolean seen) {
        String status = entry.outgoing() ? (entry.device() == 0 ? MessageStatus.SENDING.name() : MessageStatus.STORED.name())
                : (seen ? "READ" : "UNREAD");
        return store.update("INSERT OR IGNORE INTO group_messages(group_id, id, sender, device, outgoing, kind, text, sent_at,"
                + " server_time, status, seen) VALUES (?,?,?,?,?,?,?,?,?,?,?)", entry.group(), entry.id(), entry.from(),
                entry.device() == 0 ? null : entry.device(), entry.outgoing() ? 1 : 0, entry.kind().name(), entry.text(),
                entry.sentAt(), entry.serverTime() == 0 ? null : entry.serverTime(), status, seen ? 1 : 0) > 0;
    }

    /** A group's history, oldest first. */
    public List<GroupEntry> history(String groupId) {
        return store.query("SELECT " + COLUMNS + " FROM group_messages WHERE group_id = ? ORDER BY seq", List.of(groupId),
                GroupHistoryStore::entry);
    }

    /** Texts not yet shown, of every group, in the order they arrived: received ones unread, and those other devices of this account sent. */
    public List<GroupEntry> unseen() {
        return store.query("SELECT " + COLUMNS + " FROM group_messages WHERE seen = 0 AND kind = 'TEXT' ORDER BY seq", List.of(),
                GroupHistoryStore::entry);
    }

    private static GroupEntry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new GroupEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5) == 1,
                GroupEntry.Kind.valueOf(rs.getString(6)), rs.getString(7), rs.getLong(8), rs.getLong(9));
    }

    /**
     * Marks entries seen; returns, of those, the received texts that were unread, as
     * {@code sender/id}, for the read receipts.
     */
    public List<GroupEntry> markSeen(String groupId, List<String> ids) {
        synchronized (store) {
            List<GroupEntry> newlyRead = new java.util.ArrayList<>();
            store.transaction(() -> {
                for (String id : ids) {
                    for (GroupEntry entry : store.query("SELECT " + COLUMNS + " FROM group_messages WHERE group_id = ? AND id = ?"
                            + " AND seen = 0", List.of(groupId, id), GroupHistoryStore::entry)) {
                        store.update("UPDATE group_messages SET seen = 1, status = CASE WHEN outgoing = 0 THEN 'READ' ELSE status"
                                + " END WHERE group_id = ? AND sender = ? AND id = ?", groupId, entry.from(), id);
                        if (!entry.outgoing()) {
                            newlyRead.add(entry);
                        }
                    }
                }
            });
            return newlyRead;
        }
    }

    /** Another device of this account read a group up to {@code serverTime}: the received texts up to it are read here too. */
    public int markReadUpTo(String groupId, long serverTime) {
        return store.update("UPDATE group_messages SET seen = 1, status = 'READ' WHERE group_id = ? AND outgoing = 0"
                + " AND seen = 0 AND server_time <= ?", groupId, serverTime);
    }

    /** The latest server time among received texts of a group named by {@code ids}. */
    public Optional<Long> latestServerTime(String groupId, List<String> ids) {
        return ids.stream().flatMap(id -> store.query("SELECT server_time FROM group_messages WHERE group_id = ? AND id = ?"
                + " AND outgoing = 0 AND server_time IS NOT NULL", List.of(groupId, id), rs -> rs.getLong(1)).stream())
                .max(Long::compare);
    }

    /** The rank of a status, in SQL (as {@link MessageStatus#rank()}). */
    private static final String RANK = Arrays.stream(MessageStatus.values())
            .map(s -> "WHEN '" + s.name() + "' THEN " + s.rank()).collect(Collectors.joining(" ", "(CASE status ", " END)"));

    /** Raises one's own text's status (never lowers it; as {@link HistoryStore#raiseStatus}). */
    public void raiseStatus(String groupId, String self, String id, MessageStatus status) {
        store.update("UPDATE group_messages SET status = ? WHERE group_id = ? AND sender = ? AND id = ? AND outgoing = 1"
                + " AND " + RANK + " < ?", status.name(), groupId, self, id, status.rank());
    }

    public Optional<MessageStatus> outgoingStatus(String groupId, String self, String id) {
        return store.query("SELECT status FROM group_messages WHERE group_id = ? AND sender = ? AND id = ? AND outgoing = 1",
                List.of(groupId, self, id), rs -> MessageStatus.valueOf(rs.getString(1))).stream().findFirst();
    }

    /**
     * A receipt from {@code member} for one's own text {@code id}: delivery, or read (which implies
     * delivery); never lowered. Returns whether it changed anything.
     */
    public boolean receipt(String groupId, String id, String member, boolean read) {
        synchronized (store) {
            if (store.query("SELECT 1 FROM group_messages WHERE group_id = ? AND id = ? AND outgoing = 1", List.of(groupId, id),
                    rs -> 1).isEmpty()) {
                return false; // not a text of this account's
            }
            return store.update("INSERT INTO group_receipts(group_id, id, member, read) VALUES (?,?,?,?)"
                    + " ON CONFLICT(group_id, id, member) DO UPDATE SET read = max(read, excluded.read)"
                    + " WHERE read < excluded.read", groupId, id, member, read ? 1 : 0) > 0;
        }
    }

    /** The members who sent a receipt for {@code id}: {@code member -> read}. */
    public java.util.Map<String, Boolean> receipts(String groupId, String id) {
        java.util.Map<String, Boolean> receipts = new java.util.TreeMap<>();
        store.query("SELECT member, read FROM group_receipts WHERE group_id = ? AND id = ?", List.of(groupId, id),
                rs -> receipts.put(rs.getString(1), rs.getInt(2) == 1));
        return receipts;
    }

    /** The sender of a received group text, if it is one. */
    public Optional<String> senderOf(String groupId, String id) {
        return store.query("SELECT sender FROM group_messages WHERE group_id = ? AND id = ? AND outgoing = 0",
                List.of(groupId, id), rs -> rs.getString(1)).stream().findFirst();
    }
}
