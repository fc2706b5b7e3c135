package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.crypto.Randomness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The device and link operations of {@link ParleyClient} (LINKED-DEVICES.md), which delegates
 * to this class: linking this home as a new device, approving another, listing, unlinking and
 * signing out. Each checks first that the home holds an account (or, to link, that it does not).
 */
final class AccountDevices {

    /** The current identity's messaging; NO_ACCOUNT when the home has no account. */
    interface MessagingSource {
        Messaging require() throws ClientException;
    }

    private final Path home;
    private final ClientStore store;
    private final AccountLink link;
    private final MessagingSource messaging;
    private final OwnDevices devices;
    private final OwnDevicesSync sync;
    private final Outbox outbox;
    private final Randomness randomness;
    private final ParleyClient.Options options;
    private final Duration timeout;
    private final BooleanSupplier closing;

    AccountDevices(Path home, ClientStore store, AccountLink link, MessagingSource messaging, OwnDevices devices,
            OwnDevicesSync sync, Outbox outbox, Randomness randomness, ParleyClient.Options options, Duration timeout,
            BooleanSupplier closing) {
        this.home = home;
        this.store = store;
        this.link = link;
        this.messaging = messaging;
        this.devices = devices;
        this.sync = sync;
        this.outbox = outbox;
        this.randomness = randomness;
        this.options = options;
        this.timeout = timeout;
        this.closing = closing;
    }

    /** {@link ParleyClient#link}: links, logs in as the new device, and tells the account's other devices. */
    int link(ServerAddress server, String deviceName, Consumer<LinkOffer> showCode) throws ClientException {
        if (link.account != null) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home (" + home + ") already holds the account "
                    + link.account.username() + "; link into another --home");
        }
        var linked = new LinkNewDevice(store, randomness, options.clock(), timeout).run(server, deviceName, showCode,
                closing);
        link.connectLinked(server);
        Messaging current = messaging.require();
        current.lock.lock();
        try {
            long linkedAt = store.devices.list(linked.username()).flatMap(list -> list.devices().stream()
                    .filter(e -> e.id() == linked.device()).findFirst()).map(e -> e.linkedAt()).orElse(options.clock().millis());
            sync.deviceLinked(linked.device(), linkedAt, deviceName);
        } finally {
            current.lock.unlock();
        }
        outbox.pump();
        return linked.device();
    }

    /** At login, before the queue is replayed: the own list checked, the server's rows compared ({@link OwnDevices#checkOwn}). */
    void checkOwn() {
        devices.checkOwn();
    }

    boolean awaitingHistory() {
        return sync.awaitingHistory();
    }

    PendingLink peek(String linkCode) throws ClientException {
        messaging.require();
        return devices.approval.peek(linkCode);
    }

    int approve(PendingLink pending, boolean history) throws ClientException {
        messaging.require();
        return devices.approval.approve(pending, history).device();
    }

    List<DeviceInfo> list() throws ClientException {
        messaging.require();
        return devices.list();
    }

    /** Unlinks another device; this one is refused (that is {@link #signOut}). */
    void unlink(int device) throws ClientException {
        if (device == messaging.require().device) {
            throw new ClientException(Reason.REFUSED, "that is this device: use signOut() ('parley devices sign-out')");
        }
        devices.unlink(device);
    }

    /** Unlinks this device, then the home forgets the account's keys. */
    void signOut() throws ClientException {
        devices.unlink(messaging.require().device);
        link.signedOut();
    }
}
