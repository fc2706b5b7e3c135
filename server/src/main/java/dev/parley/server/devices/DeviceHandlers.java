package dev.parley.server.devices;

import dev.parley.server.cluster.Cluster;
import dev.parley.server.cluster.ClusterEvent.DevicesChanged;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.DeviceStore;
import dev.parley.server.storage.DeviceStore.Publication;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.StoredDeviceList;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.Devices;
import dev.parley.wire.frames.DeviceFrames.DevicesPublished;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.DeviceFrames.PublishDevices;
import dev.parley.wire.frames.DeviceFrames.ServerDevice;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code get_devices} and {@code publish_devices} (docs/PROTOCOL.md §4a). Publishing removes
 * devices only (devices are added by {@link LinkHandlers#approve}), or, for an account from
 * before devices, stores its first list; either in one transaction with its check
 * ({@link DeviceStore#publish}).
 */
public final class DeviceHandlers {

    private static final Logger log = LoggerFactory.getLogger(DeviceHandlers.class);

    private final AccountStore accounts;
    private final DeviceStore devices;
    private final Cluster cluster;
    private final DiskGuard disk;
    private final Upgraded upgraded;

    /** Told when a device that logged in without a list has published its account's first list. */
    @FunctionalInterface
    public interface Upgraded {
        void listed(ClientConnection connection);
    }

    /** @param cluster told of every published list: {@code devices_changed}, and removed devices closed, on every node */
    public DeviceHandlers(AccountStore accounts, DeviceStore devices, Cluster cluster, DiskGuard disk, Upgraded upgraded) {
        this.accounts = accounts;
        this.devices = devices;
        this.cluster = cluster;
        this.disk = disk;
        this.upgraded = upgraded;
    }

    /** The stored list and the server's device rows; {@code lastSeen} only about one's own account. */
    public void get(ClientConnection connection, GetDevices request) {
        String username = request.username();
        if (accounts.find(username).isEmpty()) {
            throw new FrameRefused(ErrorCode.UNKNOWN_USER, "no user '" + username + "'");
        }
        boolean own = username.equals(connection.username());
        DeviceList list = devices.list(username).map(StoredDeviceList::list).orElse(null);
        List<ServerDevice> servers = devices.rows(username).stream()
                .map(row -> new ServerDevice(row.id(), own ? row.lastSeen() : null)).toList();
        connection.send(new Devices(request.id(), username, list, servers));
    }

    public void publish(ClientConnection connection, PublishDevices request) {
        String username = connection.username();
        boolean first = !connection.isListed();
        DeviceList list = request.list();
        disk.ensureAccepting();
        Publication result = devices.publish(username, list, (current, signingKey) -> {
            if (first != (current == null)) {
                // Another device published meanwhile (first), or this account was reset (not first).
                return new FrameRefused(ErrorCode.STALE_DEVICE_LIST, "the account's device list changed; fetch it again");
            }
            return first ? DeviceListRules.first(list, signingKey) : DeviceListRules.removal(current, list, signingKey);
        }).join();
        switch (result) {
            case Publication.Refused refused -> throw refused.refusal();
            case Publication.Published published -> {
                log.info("device list published account={} version={} removed={}", username, published.version(),
                        published.removed());
                connection.send(new DevicesPublished(request.id(), published.version()));
                cluster.announce(new DevicesChanged(username, published.version(), published.removed()));
                if (first) {
                    connection.listed();
                    upgraded.listed(connection);
                }
            }
        }
    }
}
