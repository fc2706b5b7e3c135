package dev.parley.client.store;

import java.util.List;
import java.util.Optional;

/**
 * Groups (docs/CLIENT-MODEL.md, "Groups"): the state each group was last applied to here (its
 * StateBytes, hash and version, and whether this account is still in it), the changes held for
 * a gap (at most {@link #MAX_HELD} per group), the snapshot parts being collected, this
 * device's sending chain per group with the devices it was distributed to, and the receiving
 * chains per (group, sender, device). The group history and the group outbox are
 * {@link GroupHistoryStore} and {@link GroupOutboxStore}. Part of {@link ClientStore}; the
 * callers (the client's group classes) encode and decode the protocol's types.
 */
public final class GroupStore {

    /** At most this many held changes per group (GROUPS.md, "Held changes"). */
    public static final int MAX_HELD = 32;

    /** Whether this account is in the group. */
    public enum Status { ACTIVE, REMOVED, LEFT }

    /** A group as stored: {@code state} is its StateBytes. Prints no member. */
    public record StoredGroup(String id, byte[] state, byte[] hash, long version, Status status) {
        @Override
        public String toString() {
            return "StoredGroup[id=" + id + ", version=" + version + ", " + status + "]";
        }
    }

    /** A snapshot part: part {@code index} of {@code total} of the StateBytes of {@code version}, hash {@code hash}. */
    public record SnapshotPart(int index, int total, byte[] part) {}

    private final ClientStore store;

    GroupStore(ClientStore store) {
        this.store = store;
    }

    // ---- states -----------------------------------------------------------------------------------

    public Optional<StoredGroup> group(String id) {
        return store.query("SELECT id, state, hash, version, status FROM groups WHERE id = ?", List.of(id), GroupStore::row)
                .stream().findFirst();
    }

    /** Every group known here, oldest first. */
    public List<StoredGroup> groups() {
        return store.query("SELECT id, state, hash, version, status FROM groups ORDER BY created_at, id", List.of(),
                GroupStore::row);
    }

    private static StoredGroup row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredGroup(rs.getString(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4), Status.valueOf(rs.getString(5)));
    }

    /** Stores the state a group was applied to (the caller checked it: a change applied, or a trusted snapshot). */
    public void saveState(String id, byte[] state, byte[] hash, long version, Status status, long now) {
        synchronized (store) {
            store.transaction(() -> {
                if (store.update("UPDATE groups SET state = ?, hash = ?, version = ?, status = ? WHERE id = ?", state, hash,
                        version, status.name(), id) == 0) {
                    store.update("INSERT INTO groups(id, state, hash, version, status, created_at) VALUES (?,?,?,?,?,?)", id,
                            state, hash, version, status.name(), now);
                }
            });
        }
    }

    // ---- held changes ------------------------------------------------------------------------------

    /** Holds a change (SignedChange bytes) of a version beyond the next; false when the group's hold is full. */
    public boolean hold(String groupId, long version, byte[] change, byte[] hash, long now) {
        synchronized (store) {
            int held = store.query("SELECT count(*) FROM group_held_changes WHERE group_id = ?", List.of(groupId),
                    rs -> rs.getInt(1)).getFirst();
            if (held >= MAX_HELD) {
                return false;
            }
            store.update("INSERT OR IGNORE INTO group_held_changes(group_id, version, change, hash, held_at) VALUES (?,?,?,?,?)",
                    groupId, version, change, hash, now);
            return true;
        }
    }

    /** The held changes of a group, lowest version first (SignedChange bytes). */
    public List<byte[]> held(String groupId) {
        return store.query("SELECT change FROM group_held_changes WHERE group_id = ? ORDER BY version, held_at", List.of(groupId),
                rs -> rs.getBytes(1));
    }

    /** The groups with held changes. */
    public List<String> groupsWithHeldChanges() {
        return store.query("SELECT DISTINCT group_id FROM group_held_changes", List.of(), rs -> rs.getString(1));
    }

    public void dropHeld(String groupId, byte[] hash) {
        store.update("DELETE FROM group_held_changes WHERE group_id = ? AND hash = ?", groupId, hash);
    }

    // ---- snapshot parts -------------------------------------------------------------------------------

    public void savePart(String groupId, String sender, long version, byte[] hash, SnapshotPart part, long now) {
        store.update("INSERT OR REPLACE INTO group_snapshot_parts(group_id, sender, version, hash, idx, total, part, received_at)"
                + " VALUES (?,?,?,?,?,?,?,?)", groupId, sender, version, hash, part.index(), part.total(), part.part(), now);
    }

    /** The parts of the snapshot of {@code hash} from {@code sender} received so far, in index order. */
    public List<SnapshotPart> parts(String groupId, String sender, byte[] hash) {
        return store.query("SELECT idx, total, part FROM group_snapshot_parts WHERE group_id = ? AND sender = ? AND hash = ?"
                + " ORDER BY idx", List.of(groupId, sender, hash), rs -> new SnapshotPart(rs.getInt(1), rs.getInt(2), rs.getBytes(3)));
    }

    /** The senders and version of the snapshots of {@code hash} being collected for a group. */
    public List<String> snapshotSenders(String groupId, byte[] hash) {
        return store.query("SELECT DISTINCT sender FROM group_snapshot_parts WHERE group_id = ? AND hash = ?",
                List.of(groupId, hash), rs -> rs.getString(1));
    }

    /** The version a collected snapshot of {@code hash} names. */
    public Optional<Long> snapshotVersion(String groupId, byte[] hash) {
        return store.query("SELECT version FROM group_snapshot_parts WHERE group_id = ? AND hash = ? LIMIT 1",
                List.of(groupId, hash), rs -> rs.getLong(1)).stream().findFirst();
    }

    /** The hashes of the snapshots being collected for a group. */
    public List<byte[]> snapshotHashes(String groupId) {
        return store.query("SELECT DISTINCT hash FROM group_snapshot_parts WHERE group_id = ?", List.of(groupId),
                rs -> rs.getBytes(1));
    }

    /** Forgets the snapshot parts of a group (it was applied) or those older than {@code cutoff}. */
    public void dropParts(String groupId) {
        store.update("DELETE FROM group_snapshot_parts WHERE group_id = ?", groupId);
    }

    // ---- this device's sending chain ------------------------------------------------------------------

    public Optional<byte[]> senderChain(String groupId) {
        return store.query("SELECT chain FROM group_sender_chains WHERE group_id = ?", List.of(groupId), rs -> rs.getBytes(1))
                .stream().findFirst();
    }

    /** Stores the chain; {@code fresh} (a new chain) empties its distributed set. */
    public void saveSenderChain(String groupId, byte[] chain, boolean fresh) {
        synchronized (store) {
            store.transaction(() -> {
                store.update("INSERT OR REPLACE INTO group_sender_chains(group_id, chain) VALUES (?,?)", groupId, chain);
                if (fresh) {
                    store.update("DELETE FROM group_distributed WHERE group_id = ?", groupId);
                }
            });
        }
    }

    /** {@code username/device} of every device the current chain was distributed to. */
    public List<String> distributed(String groupId) {
        return store.query("SELECT username, device FROM group_distributed WHERE group_id = ?", List.of(groupId),
                rs -> rs.getString(1) + "/" + rs.getInt(2));
    }

    public void markDistributed(String groupId, String username, int device) {
        store.update("INSERT OR IGNORE INTO group_distributed(group_id, username, device) VALUES (?,?,?)", groupId, username,
                device);
    }

    /** Forgets this device's sending chain of a group (it is no longer in it). */
    public void dropSenderChain(String groupId) {
        synchronized (store) {
            store.transaction(() -> {
                store.update("DELETE FROM group_sender_chains WHERE group_id = ?", groupId);
                store.update("DELETE FROM group_distributed WHERE group_id = ?", groupId);
            });
        }
    }

    // ---- receiving chains --------------------------------------------------------------------------------

    public Optional<byte[]> receiver(String groupId, String username, int device) {
        return store.query("SELECT receiver FROM group_receivers WHERE group_id = ? AND username = ? AND device = ?",
                List.of(groupId, username, device), rs -> rs.getBytes(1)).stream().findFirst();
    }

    /** The groups in which {@code username}'s device {@code device} has receiving chains here. */
    public List<String> receiverGroups(String username, int device) {
        return store.query("SELECT group_id FROM group_receivers WHERE username = ? AND device = ?", List.of(username, device),
                rs -> rs.getString(1));
    }

    public void saveReceiver(String groupId, String username, int device, byte[] receiver) {
        store.update("INSERT OR REPLACE INTO group_receivers(group_id, username, device, receiver) VALUES (?,?,?,?)", groupId,
                username, device, receiver);
    }

    /** Deletes the receiving chains of {@code username} in a group (every device), or of all senders when null. */
    public void dropReceivers(String groupId, String username) {
        if (username == null) {
            store.update("DELETE FROM group_receivers WHERE group_id = ?", groupId);
        } else {
            store.update("DELETE FROM group_receivers WHERE group_id = ? AND username = ?", groupId, username);
        }
    }

    /** Deletes the receiving chains of {@code username}'s devices other than {@code listed}, in every group (an unlinked device). */
    public void dropReceiversExcept(String username, List<Integer> listed) {
        synchronized (store) {
            store.transaction(() -> {
                for (int device : store.query("SELECT DISTINCT device FROM group_receivers WHERE username = ?", List.of(username),
                        rs -> rs.getInt(1))) {
                    if (!listed.contains(device)) {
                        store.update("DELETE FROM group_receivers WHERE username = ? AND device = ?", username, device);
                    }
                }
            });
        }
    }
}
