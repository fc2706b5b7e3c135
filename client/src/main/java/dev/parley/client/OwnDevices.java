package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.DevicesChanged;
import dev.parley.wire.frames.DeviceFrames.DevicesPublished;
import dev.parley.wire.frames.DeviceFrames.PublishDevices;
import dev.parley.wire.frames.DeviceFrames.ServerDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * This account's devices (LINKED-DEVICES.md): the list shown to the user, unlinking a device
 * or signing this one out ({@code publish_devices} with a list without it), the check of the
 * server's devices against the signed list at login and on {@code devices_changed}. Linking is
 * {@link LinkApproval} (an existing device) and {@link LinkNewDevice} (the new one).
 */
final class OwnDevices {

    /** At most this many devices besides the first (LINKED-DEVICES.md: the first and 5 linked). */
    static final int MAX_LINKED = WireLimits.MAX_DEVICES - 1;

    private final ClientStore store;
    private final Supplier<Messaging> messaging;
    private final Supplier<ServerConnection> connection;
    private final ParleyClient.Options options;
    private final Duration timeout;
    final LinkApproval approval;

    OwnDevices(ClientStore store, Supplier<Messaging> messaging, Supplier<ServerConnection> connection, Outbox outbox,
            OwnDevicesSync sync, Randomness randomness, ParleyClient.Options options, Duration timeout) {
        this.store = store;
        this.messaging = messaging;
        this.connection = connection;
        this.options = options;
        this.timeout = timeout;
        this.approval = new LinkApproval(store, messaging, connection, outbox, randomness, options.clock(), timeout);
    }

    /** At login (before the queue is replayed): the own list checked and the server's rows compared; a refusal is reported, not thrown. */
    void checkOwn() {
        Messaging current = messaging.get();
        current.lock.lock();
        try {
            current.lists.checkOwn();
        } catch (ClientException e) {
            // reported to onDeviceWarning by checkOwn when the list is refused; unreachable: the next login checks again
        } finally {
            current.lock.unlock();
        }
    }

    /** {@code devices_changed}: this account's own list is checked again; a contact's is fetched again if one is held. */
    void changed(DevicesChanged push) {
        Messaging current = messaging.get();
        current.lock.lock();
        try {
            if (push.username().equals(current.username)) {
                current.lists.checkOwn();
            } else if (store.devices.list(push.username()).isPresent()) {
                current.lists.refresh(push.username());
            }
        } catch (ClientException e) {
            // a refused list keeps the held one (and was reported); the next send fetches again
        } finally {
            current.lock.unlock();
        }
    }

    /** This account's devices as the server and the signed list know them, with the names this device learnt. */
    List<DeviceInfo> list() throws ClientException {
        Messaging current = messaging.get();
        current.lock.lock();
        try {
            var answer = current.lists.checkOwn();
            Map<Integer, String> names = store.devices.names();
            List<DeviceInfo> devices = new ArrayList<>();
            for (DeviceEntry entry : answer.list().devices()) {
                Long lastSeen = answer.servers().stream().filter(s -> s.id() == entry.id()).findFirst()
                        .map(ServerDevice::lastSeen).orElse(null);
                devices.add(new DeviceInfo(entry.id(), names.getOrDefault(entry.id(), "device " + entry.id()), entry.linkedAt(),
                        lastSeen, entry.id() == current.device));
            }
            return devices;
        } finally {
            current.lock.unlock();
        }
    }

    /**
     * Unlinks {@code device} (this one: signs this device out): publishes the next list version
     * without it. The server then deletes its queue and prekeys and closes its connection;
     * contacts stop encrypting to it once they see the list.
     */
    void unlink(int device) throws ClientException {
        Messaging current = messaging.get();
        current.lock.lock();
        try {
            DeviceList held = current.lists.refresh(current.username).list();
            List<DeviceEntry> kept = held.devices().stream().filter(e -> e.id() != device).toList();
            if (kept.size() == held.devices().size()) {
                throw new ClientException(Reason.REFUSED, "this account has no device " + device);
            }
            if (kept.isEmpty()) {
                throw new ClientException(Reason.REFUSED, "device " + device + " is the account's only device; to replace it,"
                        + " reset the account with its recovery code on the new device");
            }
            DeviceList next = DeviceLists.sign(current.identity, held.version() + 1, options.clock().millis(), kept);
            publish(next);
            store.transaction(() -> {
                store.devices.saveList(current.username, next);
                store.devices.dropSessionsExcept(current.username, kept.stream().map(DeviceEntry::id).toList());
                store.groups.dropReceiversExcept(current.username, kept.stream().map(DeviceEntry::id).toList());
            });
        } finally {
            current.lock.unlock();
        }
    }

    private void publish(DeviceList next) throws ClientException {
        ServerConnection open = connection.get();
        if (open == null || !open.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected: changing the account's devices needs the server");
        }
        try {
            open.request(new PublishDevices(open.nextRequestId(), next), DevicesPublished.class, timeout);
        } catch (ServerError e) {
            if (e.is(ErrorCode.STALE_DEVICE_LIST)) {
                throw new ClientException(Reason.REFUSED, "another device changed the account's devices at the same time;"
                        + " look at the list again ('parley devices') and retry");
            }
            throw ServerErrors.refused("the new device list", e);
        }
    }
}
