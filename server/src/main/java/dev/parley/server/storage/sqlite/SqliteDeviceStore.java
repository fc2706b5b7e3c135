package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.DeviceRow;
import dev.parley.server.storage.DeviceStore;
import dev.parley.server.storage.LinkChannel;
import dev.parley.server.storage.LockKeys;
import dev.parley.server.storage.LoginDevice;
import dev.parley.server.storage.StoredDeviceList;
import dev.parley.server.storage.WriteQueue;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/** {@link DeviceStore} on SQLite; reads from the pool, every change through the {@link WriteQueue}. */
public final class SqliteDeviceStore extends SqliteStore implements DeviceStore {

    private static final String LINK_COLUMNS = "channel, request, expires_at, username, device_id, sealed";

    private final QueueCounts queueCounts;

    public SqliteDeviceStore(DataSource dataSource, WriteQueue writes, QueueCounts queueCounts) {
        super(dataSource, writes);
        this.queueCounts = queueCounts;
    }

    @Override
    public Optional<StoredDeviceList> list(String username) {
        try (Connection connection = dataSource.getConnection()) {
            return DeviceListTable.read(connection, username);
        } catch (SQLException e) {
            throw Jdbc.failure(e);
        }
    }

    @Override
    public List<DeviceRow> rows(String username) {
        return Jdbc.query(dataSource, "SELECT device_id, device_key, linked_at, last_seen FROM devices WHERE username = ? "
                + "ORDER BY device_id", Jdbc.params(username),
                row -> new DeviceRow(row.getInt(1), row.getBytes(2), row.getLong(3), Jdbc.nullableLong(row, 4)));
    }

    @Override
    public Optional<LoginDevice> loginDevice(String username, int device) {
        return Jdbc.queryOne(dataSource, "SELECT e.device_key, d.last_seen FROM device_list_entries e JOIN devices d "
                        + "ON d.username = e.username AND d.device_id = e.device_id WHERE e.username = ? AND e.device_id = ?",
                Jdbc.params(username, device), row -> new LoginDevice(row.getBytes(1), Jdbc.nullableLong(row, 2)));
    }

    @Override
    public CompletableFuture<Publication> publish(String username, DeviceList list, ListCheck check) {
        return writes.submit(LockKeys.account(username), connection -> {
            Optional<StoredDeviceList> current = DeviceListTable.read(connection, username);
            FrameRefused refusal = check.refusal(current.orElse(null), signingKey(connection, username));
            if (refusal != null) {
                return new Publication.Refused(refusal);
            }
            List<Integer> removed = current.map(stored -> stored.list().deviceIds().stream()
                    .filter(id -> list.device(id) == null).toList()).orElse(List.of());
            DeviceListTable.write(connection, queueCounts.lists(), username, list);
            for (int device : removed) {
                DeviceListTable.deleteDevice(connection, queueCounts, username, device);
            }
            if (current.isEmpty()) {
                for (DeviceEntry entry : list.devices()) {
                    DeviceListTable.insertRow(connection, username, entry);
                }
                // The capabilities an account uploaded before devices existed are its device 1's.
                Jdbc.update(connection, "UPDATE devices SET (capabilities_flags, capabilities_sig) = "
                        + "(SELECT capabilities_flags, capabilities_sig FROM accounts WHERE username = ?) "
                        + "WHERE username = ? AND device_id = 1", Jdbc.params(username, username));
            }
            return new Publication.Published(list.version(), removed);
        });
    }

    @Override
    public CompletableFuture<Opening> openLink(byte[] channel, byte[] request, long now, long expiresAt) {
        return writes.submit(LockKeys.linkChannel(channel), connection -> {
            Optional<LinkChannel> existing = link(connection, channel);
            if (existing.isEmpty()) {
                Jdbc.update(connection, "INSERT INTO link_channels (channel, request, expires_at) VALUES (?, ?, ?)",
                        Jdbc.params(channel, request, expiresAt));
                return new Opening.Open(new LinkChannel(channel, request, expiresAt, null, null, null), true);
            }
            LinkChannel open = existing.get();
            if (open.expired(now)) {
                return new Opening.Refused(new FrameRefused(ErrorCode.LINK_EXPIRED, "this link code has expired; start again"));
            }
            if (!java.util.Arrays.equals(open.request(), request)) {
                return new Opening.Refused(new FrameRefused(ErrorCode.BAD_FRAME,
                        "'request' must be the request this channel was opened with"));
            }
            return new Opening.Open(open, false);
        });
    }

    @Override
    public Optional<LinkChannel> link(byte[] channel) {
        return Jdbc.queryOne(dataSource, "SELECT " + LINK_COLUMNS + " FROM link_channels WHERE channel = ?",
                Jdbc.params(channel), SqliteDeviceStore::linkChannel);
    }

    private static Optional<LinkChannel> link(Connection connection, byte[] channel) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + LINK_COLUMNS + " FROM link_channels WHERE channel = ?",
                Jdbc.params(channel), SqliteDeviceStore::linkChannel);
    }

    @Override
    public CompletableFuture<Approval> approveLink(String username, byte[] channel, DeviceList list, byte[] sealed, long now,
                                                   ListCheck check) {
        return writes.submit(LockKeys.account(username).and(LockKeys.linkChannel(channel)), connection -> {
            Optional<LinkChannel> open = link(connection, channel);
            if (open.isEmpty()) {
                return new Approval.Refused(new FrameRefused(ErrorCode.UNKNOWN_LINK, "no link is waiting under this code"));
            }
            if (open.get().expired(now) || open.get().approved()) {
                return new Approval.Refused(new FrameRefused(ErrorCode.LINK_EXPIRED, "this link code has expired or was used"));
            }
            Optional<StoredDeviceList> current = DeviceListTable.read(connection, username);
            FrameRefused refusal = check.refusal(current.orElse(null), signingKey(connection, username));
            if (refusal != null) {
                return new Approval.Refused(refusal);
            }
            int previousMax = current.orElseThrow().maxDeviceId();
            DeviceEntry added = list.devices().stream().filter(entry -> entry.id() > previousMax).findFirst().orElseThrow();
            DeviceListTable.write(connection, queueCounts.lists(), username, list);
            DeviceListTable.insertRow(connection, username, added);
            Jdbc.update(connection, "UPDATE link_channels SET username = ?, device_id = ?, sealed = ? WHERE channel = ?",
                    Jdbc.params(username, added.id(), sealed, channel));
            return new Approval.Approved(added.id(), list.version());
        });
    }

    @Override
    public CompletableFuture<Void> loggedIn(String username, int device, long day) {
        return writes.submitDeferred(LockKeys.account(username), connection -> {
            Jdbc.update(connection, "UPDATE devices SET last_seen = ? WHERE username = ? AND device_id = ?",
                    Jdbc.params(day, username, device));
            Jdbc.update(connection, "DELETE FROM link_channels WHERE username = ? AND device_id = ?", Jdbc.params(username, device));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> loggedOut(String username, int device, long day) {
        return writes.submitDeferred(LockKeys.account(username), connection -> {
            Jdbc.update(connection, "UPDATE devices SET last_seen = ? WHERE username = ? AND device_id = ?",
                    Jdbc.params(day, username, device));
            return null;
        });
    }

    @Override
    public CompletableFuture<Integer> purgeExpiredLinks(long now) {
        if (!writes.engine().shared()) {
            return writes.submit(connection -> Jdbc.update(connection, "DELETE FROM link_channels WHERE expires_at <= ?",
                    Jdbc.params(now)));
        }
        // Shared database: a channel's row is changed under its channel's key, and once approved
        // also under its account's; read the expired ones first and lock both.
        List<LinkChannel> expired = Jdbc.query(dataSource, "SELECT " + LINK_COLUMNS + " FROM link_channels "
                + "WHERE expires_at <= ? ORDER BY expires_at LIMIT 1000", Jdbc.params(now), SqliteDeviceStore::linkChannel);
        if (expired.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        LockKeys keys = LockKeys.NONE;
        for (LinkChannel link : expired) {
            keys = keys.and(LockKeys.linkChannel(link.channel()));
            if (link.username() != null) {
                keys = keys.and(LockKeys.account(link.username()));
            }
        }
        return writes.submit(keys, connection -> {
            int deleted = 0;
            for (LinkChannel link : expired) {
                deleted += Jdbc.update(connection, "DELETE FROM link_channels WHERE channel = ? AND expires_at <= ?",
                        Jdbc.params(link.channel(), now));
            }
            return deleted;
        });
    }

    private static byte[] signingKey(Connection connection, String username) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT signing_key FROM accounts WHERE username = ?", Jdbc.params(username),
                row -> row.getBytes(1)).orElse(null);
    }

    private static LinkChannel linkChannel(ResultSet row) throws SQLException {
        int device = row.getInt(5);
        Integer deviceId = row.wasNull() ? null : device;
        return new LinkChannel(row.getBytes(1), row.getBytes(2), row.getLong(3), row.getString(4), deviceId, row.getBytes(6));
    }
}
