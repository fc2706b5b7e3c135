package dev.parley.client.store;

import java.util.List;
import java.util.Optional;

/**
 * The recipient sets the server gave this device, kept per group (docs/CLIENT-MODEL.md, the
 * group outbox, point 4; PROTOCOL.md §6a): each with the fingerprint of exactly the accounts and
 * devices its frame named, at most {@link #MAX_PER_GROUP} per group (oldest dropped first: the
 * server keeps at most 8 per sending device, so more could not be live), and the fingerprint of
 * the group's whole recipient list they belong to: a send to another list forgets them. Losing
 * one costs only sending a list again. Part of {@link ClientStore}.
 */
public final class GroupRecipientSetStore {

    /** Sets kept per group. */
    public static final int MAX_PER_GROUP = 8;

    private final ClientStore store;

    GroupRecipientSetStore(ClientStore store) {
        this.store = store;
    }

    /** The set kept for a frame of {@code group} whose recipients have {@code fingerprint}, if any. */
    public Optional<String> set(String group, String fingerprint) {
        return store.query("SELECT recipient_set FROM group_recipient_sets WHERE group_id = ? AND fingerprint = ?",
                List.of(group, fingerprint), rs -> rs.getString(1)).stream().findFirst();
    }

    /**
     * A send of {@code group} to the whole recipient list {@code list} (its fingerprint): when it
     * is not the list the kept sets belong to, they are forgotten.
     */
    public void list(String group, String list) {
        synchronized (store) {
            store.transaction(() -> {
                boolean same = store.query("SELECT 1 FROM group_recipient_lists WHERE group_id = ? AND fingerprint = ?",
                        List.of(group, list), rs -> 1).size() == 1;
                if (!same) {
                    store.update("DELETE FROM group_recipient_sets WHERE group_id = ?", group);
                    store.update("INSERT OR REPLACE INTO group_recipient_lists(group_id, fingerprint) VALUES (?,?)", group, list);
                }
            });
        }
    }

    /** Keeps {@code set}, the server's id of a frame's recipients with {@code fingerprint}, newest; the oldest beyond the bound go. */
    public void learned(String group, String fingerprint, String set) {
        synchronized (store) {
            store.transaction(() -> {
                long next = store.query("SELECT coalesce(max(seq), 0) + 1 FROM group_recipient_sets WHERE group_id = ?",
                        List.of(group), rs -> rs.getLong(1)).getFirst();
                store.update("INSERT OR REPLACE INTO group_recipient_sets(group_id, fingerprint, recipient_set, seq)"
                        + " VALUES (?,?,?,?)", group, fingerprint, set, next);
                store.update("DELETE FROM group_recipient_sets WHERE group_id = ? AND seq NOT IN (SELECT seq FROM"
                        + " group_recipient_sets WHERE group_id = ? ORDER BY seq DESC LIMIT ?)", group, group, MAX_PER_GROUP);
            });
        }
    }

    /** Forgets the set of {@code fingerprint} (the server no longer holds it). */
    public void dropped(String group, String fingerprint) {
        store.update("DELETE FROM group_recipient_sets WHERE group_id = ? AND fingerprint = ?", group, fingerprint);
    }

    /** How many sets are kept for {@code group}. */
    public int count(String group) {
        return store.query("SELECT count(*) FROM group_recipient_sets WHERE group_id = ?", List.of(group),
                rs -> rs.getInt(1)).getFirst();
    }
}
