package dev.parley.client.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The group outbox (docs/CLIENT-MODEL.md, "Groups"): group messages and group updates waiting
 * to be sent with {@code send_multi}, in the order they were queued. An entry holds its encoded
 * payload until it is first sent; then it is sealed once: the shared {@code content} (a group
 * message; none for an update) and, per recipient device, a pairwise envelope or none (an update:
 * the whole update in that device's session),
 * committed with the chain and session states that produced them. Each recipient account stays
 * until the server stored its copies (or refused it for good); the entry leaves with its last
 * recipient. Part of {@link ClientStore}.
 */
public final class GroupOutboxStore {

    /** What an entry carries. */
    public enum Kind { MESSAGE, UPDATE }

    /**
     * One entry. {@code recipients}: the accounts not yet stored, in sending order, each with its
     * devices' envelopes (a null envelope: the device gets the content only). Prints no payload
     * or ciphertext.
     */
    public record Entry(String id, String groupId, Kind kind, byte[] payload, String content, byte[] pairwise,
            Map<String, Map<Integer, String>> recipients) {

        public boolean sealed() {
            return payload == null;
        }

        @Override
        public String toString() {
            return "GroupOutbox.Entry[id=" + id + ", group=" + groupId + ", " + kind + ", sealed=" + sealed() + ", recipients="
                    + recipients.size() + "]";
        }
    }

    private final ClientStore store;

    GroupOutboxStore(ClientStore store) {
        this.store = store;
    }

    /** Queues an entry (its recipients, for an update, in sending order; a message's are chosen when it is sealed). */
    public void queue(String id, String groupId, Kind kind, byte[] payload, List<String> recipients, long now) {
        synchronized (store) {
            store.transaction(() -> {
                store.update("INSERT INTO group_outbox(id, group_id, kind, payload, created_at) VALUES (?,?,?,?,?)", id, groupId,
                        kind.name(), payload, now);
                addRecipients(id, recipients);
            });
        }
    }

    /** Marks an entry (in the transaction that queued it) as a message the server drops when still queued after {@code seconds}. */
    public void setExpiresIn(String id, int seconds) {
        store.update("UPDATE group_outbox SET expires_in = ? WHERE id = ?", seconds > 0 ? seconds : null, id);
    }

    /** The entry's {@code expiresIn} (seconds), or null. */
    public Integer expiresIn(String id) {
        return store.query("SELECT expires_in FROM group_outbox WHERE id = ? AND expires_in IS NOT NULL", List.of(id),
                rs -> rs.getInt(1)).stream().findFirst().orElse(null);
    }

    private void addRecipients(String id, List<String> recipients) {
        int position = store.query("SELECT coalesce(max(position), -1) FROM group_outbox_recipients WHERE id = ?", List.of(id),
                rs -> rs.getInt(1)).getFirst();
        for (String username : recipients) {
            store.update("INSERT OR IGNORE INTO group_outbox_recipients(id, username, position) VALUES (?,?,?)", id, username,
                    ++position);
        }
    }

    /**
     * Replaces an entry's payload by its sealed form (call in the transaction that stores the
     * chain and session states it came from): the content, the pairwise payload
     * a device that joins a recipient's list gets, and the envelopes per recipient account and device.
     */
    public void sealed(String id, String content, byte[] pairwise, Map<String, Map<Integer, String>> envelopes) {
        synchronized (store) {
            store.transaction(() -> {
                store.update("UPDATE group_outbox SET payload = NULL, content = ?, pairwise = ? WHERE id = ?", content,
                        pairwise, id);
                addRecipients(id, new ArrayList<>(envelopes.keySet()));
                envelopes.forEach((username, devices) -> setDevices(id, username, devices));
                store.update("DELETE FROM group_outbox_recipients WHERE id = ? AND username NOT IN (SELECT username FROM"
                        + " group_outbox_envelopes WHERE id = ?)", id, id); // left out when sealing
                if (envelopes.isEmpty()) {
                    store.update("DELETE FROM group_outbox WHERE id = ?", id); // nobody to send it to
                }
            });
        }
    }

    /** Replaces the devices (and envelopes) of one recipient of a sealed entry (its list changed). */
    public void setDevices(String id, String username, Map<Integer, String> devices) {
        synchronized (store) {
            store.transaction(() -> {
                store.update("DELETE FROM group_outbox_envelopes WHERE id = ? AND username = ?", id, username);
                devices.forEach((device, envelope) -> store.update("INSERT INTO group_outbox_envelopes(id, username, device,"
                        + " envelope) VALUES (?,?,?,?)", id, username, device, envelope));
            });
        }
    }

    /** Everything not yet stored, oldest first. */
    public List<Entry> entries() {
        synchronized (store) {
            Map<String, Map<String, Map<Integer, String>>> devices = new LinkedHashMap<>();
            store.query("SELECT r.id, r.username, e.device, e.envelope FROM group_outbox_recipients r LEFT JOIN"
                    + " group_outbox_envelopes e ON e.id = r.id AND e.username = r.username ORDER BY r.id, r.position, e.device",
                    List.of(), rs -> {
                        Map<Integer, String> forUser = devices.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString(2), k -> new TreeMap<>());
                        int device = rs.getInt(3);
                        if (!rs.wasNull()) {
                            forUser.put(device, rs.getString(4));
                        }
                        return null;
                    });
            return store.query("SELECT id, group_id, kind, payload, content, pairwise FROM group_outbox ORDER BY seq",
                    List.of(), rs -> new Entry(rs.getString(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getBytes(4),
                            rs.getString(5), rs.getBytes(6), devices.getOrDefault(rs.getString(1), Map.of())));
        }
    }

    public Optional<Entry> entry(String id) {
        return entries().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The server stored (or refused for good) {@code username}'s copies: it leaves the entry, and the entry leaves with its last recipient. */
    public void recipientDone(String id, String username) {
        synchronized (store) {
            store.transaction(() -> {
                store.update("DELETE FROM group_outbox_envelopes WHERE id = ? AND username = ?", id, username);
                store.update("DELETE FROM group_outbox_recipients WHERE id = ? AND username = ?", id, username);
                boolean sealed = store.query("SELECT 1 FROM group_outbox WHERE id = ? AND payload IS NULL", List.of(id), rs -> 1)
                        .size() == 1;
                boolean left = store.query("SELECT count(*) FROM group_outbox_recipients WHERE id = ?", List.of(id),
                        rs -> rs.getInt(1)).getFirst() > 0;
                if (sealed && !left) {
                    store.update("DELETE FROM group_outbox WHERE id = ?", id);
                }
            });
        }
    }

    /** Removes an entry (nothing left to send it to). */
    public void remove(String id) {
        store.update("DELETE FROM group_outbox WHERE id = ?", id);
    }

    public int size() {
        return store.query("SELECT count(*) FROM group_outbox", List.of(), rs -> rs.getInt(1)).getFirst();
    }
}
