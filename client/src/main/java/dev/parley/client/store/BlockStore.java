package dev.parley.client.store;

import java.util.List;

/**
 * The store's side of blocking ({@code dev.parley.client.Blocking}): the accounts the user
 * blocked, by username, with when. A user's own decision, so an identity reset of this account
 * keeps it ({@link ClientStore#forgetIdentity} leaves the table alone). All methods lock the
 * {@link ClientStore}, like its own.
 */
public final class BlockStore {

    private final ClientStore store;

    BlockStore(ClientStore store) {
        this.store = store;
    }

    /** Blocks or unblocks {@code username}; returns whether that changed anything. */
    public boolean set(String username, boolean blocked, long at) {
        synchronized (store) {
            return blocked
                    ? store.update("INSERT OR IGNORE INTO blocked_users(username, blocked_at) VALUES (?,?)", username, at) > 0
                    : store.update("DELETE FROM blocked_users WHERE username = ?", username) > 0;
        }
    }

    public boolean isBlocked(String username) {
        synchronized (store) {
            return !store.query("SELECT 1 FROM blocked_users WHERE username = ?", List.of(username), rs -> true).isEmpty();
        }
    }

    /** The blocked usernames, sorted. */
    public List<String> blocked() {
        synchronized (store) {
            return store.query("SELECT username FROM blocked_users ORDER BY username", List.of(), rs -> rs.getString(1));
        }
    }
}
