package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.wire.WireLimits;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Blocking other accounts ({@link ParleyClient#blocking()}): the user's own decision, kept in
 * this client's store and never told to the server, synced to this account's other devices
 * with the {@code block} sync payload (type 0x15), both ways.
 *
 * <p>While an account is blocked: its messages, typing and receipts (1:1 and in groups) are
 * acknowledged and dropped (the session advances, so its messages decrypt again after an
 * unblock; nothing is stored, reported to the listener or receipted), and nothing is sent to
 * it: {@link ParleyClient#send} is refused with {@link Reason#REFUSED}, typing and read
 * receipts are not sent. Group messages still go to the whole group. Unblocking does not bring
 * back what was dropped.
 */
public final class Blocking {

    private final ClientStore store;
    private final OwnDevicesSync sync;
    private final Clock clock;
    private final Supplier<String> self;
    private final Outbox outbox;

    Blocking(ClientStore store, OwnDevicesSync sync, Clock clock, Supplier<String> self, Outbox outbox) {
        this.store = store;
        this.sync = sync;
        this.clock = clock;
        this.self = self;
        this.outbox = outbox;
    }

    /** Blocks {@code user} here and on this account's other devices; nothing changes if it was blocked already. */
    public void block(String user) throws ClientException {
        set(user, true);
    }

    /** Unblocks {@code user} here and on this account's other devices; nothing changes if it was not blocked. */
    public void unblock(String user) throws ClientException {
        set(user, false);
    }

    public boolean isBlocked(String user) {
        return store.blocks.isBlocked(user);
    }

    /** The blocked usernames, sorted. */
    public List<String> blocked() {
        return store.blocks.blocked();
    }

    private void set(String user, boolean blocked) throws ClientException {
        if (user == null || !WireLimits.USERNAME.matcher(user).matches()) {
            throw new ClientException(Reason.FAILED, "not a username: 3 to 32 of a-z, 0-9 and _");
        }
        if (user.equals(self.get())) {
            throw new ClientException(Reason.REFUSED, "you cannot block your own account");
        }
        store.transaction(() -> {
            if (store.blocks.set(user, blocked, clock.millis())) {
                sync.block(user, blocked);
            }
        });
        outbox.pump(); // the block payload to this account's other devices, if connected
    }

    /** Refuses a send to a blocked account (before anything is queued). */
    static void checkNotBlocked(ClientStore store, String to) throws ClientException {
        if (store.blocks.isBlocked(to)) {
            throw new ClientException(Reason.REFUSED, "you blocked " + to + "; unblock them to send ('parley unblock " + to + "')");
        }
    }
}
