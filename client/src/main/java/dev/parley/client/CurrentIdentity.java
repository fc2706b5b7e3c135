package dev.parley.client;

import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.sessions.LocalPreKeys;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.PublicIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Which identity's messaging is current: that of the account in the home (set when the client
 * opens a home that has one, and after register, reset, linking and each login). A reset brings
 * a new identity, and an older home that becomes device 1 another device id: each gets a new
 * {@link Messaging} and {@link Receiver}, so that no session state of the old one is used again.
 */
final class CurrentIdentity {

    /** One identity's messaging: its sessions and its receiving side. */
    record Identity(PublicIdentity publicIdentity, Messaging messaging, Receiver receiver) {}

    private final ClientStore store;
    private final Randomness randomness;
    private final ParleyClient.Options options;
    private final Supplier<ServerConnection> connection;
    private final Supplier<ServerAddress> server;
    private final Duration timeout;
    private final Outbox outbox;
    private final OwnDevicesSync sync;
    private volatile Identity identity;

    CurrentIdentity(ClientStore store, Randomness randomness, ParleyClient.Options options,
            Supplier<ServerConnection> connection, Supplier<ServerAddress> server, Duration timeout, Outbox outbox,
            OwnDevicesSync sync) {
        this.store = store;
        this.randomness = randomness;
        this.options = options;
        this.connection = connection;
        this.server = server;
        this.timeout = timeout;
        this.outbox = outbox;
        this.sync = sync;
    }

    /** Makes {@code account}'s identity (and this home's device id) the current one, unless it already is. */
    synchronized void use(Account account) {
        PublicIdentity current = account.identity().publicIdentity();
        int device = store.devices.thisDevice().orElse(AccountLink.FIRST_DEVICE); // an older home becomes device 1
        if (identity == null || !current.equals(identity.publicIdentity()) || identity.messaging().device != device) {
            Clock clock = options.clock();
            var messaging = new Messaging(store, account.identity(), account.username(), device,
                    new LocalPreKeys(store, account.identity(), randomness), randomness,
                    new ServerTransport(connection, server, timeout), options.listener());
            identity = new Identity(current, messaging, new Receiver(store, messaging, outbox, sync, randomness, clock));
        }
    }

    /** The current identity, or null before the home has an account. */
    Identity get() {
        return identity;
    }

    /** The current identity's messaging, or null before the home has an account. */
    Messaging messaging() {
        Identity current = identity;
        return current == null ? null : current.messaging();
    }
}
