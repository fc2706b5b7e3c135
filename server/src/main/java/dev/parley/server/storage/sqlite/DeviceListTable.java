package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.StoredDeviceList;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes an account's signed device list ({@code device_lists} and
 * {@code device_list_entries}): the one place that maps a {@link DeviceList} to rows, used by
 * every store whose transaction must see or change the list (registration, reset, publishing,
 * link approval, and the device check of every send).
 */
final class DeviceListTable {

    private DeviceListTable() {
    }

    /** A list's row in {@code device_lists}: everything but its entries. */
    private record Header(long version, long issuedAt, byte[] signature, int maxDeviceId) {
    }

    static Optional<StoredDeviceList> read(Connection connection, String username) throws SQLException {
        Optional<Header> header = Jdbc.queryOne(connection,
                "SELECT version, issued_at, signature, max_device_id FROM device_lists WHERE username = ?",
                Jdbc.params(username), row -> new Header(row.getLong(1), row.getLong(2), row.getBytes(3), row.getInt(4)));
        if (header.isEmpty()) {
            return Optional.empty();
        }
        List<DeviceEntry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT device_id, device_key, linked_at FROM device_list_entries WHERE username = ? ORDER BY device_id")) {
            select.setString(1, username);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(new DeviceEntry(row.getInt(1), row.getBytes(2), row.getLong(3)));
                }
            }
        }
        Header h = header.get();
        return Optional.of(new StoredDeviceList(new DeviceList(h.version(), h.issuedAt(), entries, h.signature()), h.maxDeviceId()));
    }

    /**
     * The listed device ids, ascending; null when the account has no list. From the batch's
     * counting statement when it read them ({@link BatchDeviceLists}, PostgreSQL), else read here.
     */
    static Set<Integer> deviceIds(WriterStatements statements, Connection connection, BatchDeviceLists lists, String username)
            throws SQLException {
        if (lists.known(username)) {
            return lists.deviceIds(username);
        }
        PreparedStatement select = statements.prepare(connection,
                "SELECT l.max_device_id, e.device_id FROM device_lists l "
                        + "LEFT JOIN device_list_entries e ON e.username = l.username WHERE l.username = ?");
        select.setString(1, username);
        Set<Integer> ids = null;
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                if (ids == null) {
                    ids = new TreeSet<>();
                }
                int id = row.getInt(2);
                if (!row.wasNull()) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /**
     * Replaces the account's list by {@code list}; the largest id ever listed becomes at least the
     * list's largest. {@code lists}: the batch's copy of the list, dropped.
     */
    static void write(Connection connection, BatchDeviceLists lists, String username, DeviceList list) throws SQLException {
        lists.changed(username);
        Jdbc.update(connection, "INSERT INTO device_lists (username, version, issued_at, signature, max_device_id) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET version = excluded.version, "
                        + "issued_at = excluded.issued_at, signature = excluded.signature, "
                        + "max_device_id = CASE WHEN excluded.max_device_id > device_lists.max_device_id "
                        + "THEN excluded.max_device_id ELSE device_lists.max_device_id END",
                Jdbc.params(username, list.version(), list.issuedAt(), list.signature(), list.maxDeviceId()));
        Jdbc.update(connection, "DELETE FROM device_list_entries WHERE username = ?", Jdbc.params(username));
        for (DeviceEntry entry : list.devices()) {
            Jdbc.update(connection, "INSERT INTO device_list_entries (username, device_id, device_key, linked_at) VALUES (?, ?, ?, ?)",
                    Jdbc.params(username, entry.id(), entry.key(), entry.linkedAt()));
        }
    }

    /** Deletes the account's list (a reset starts a new one) and everything it routed to. */
    static void delete(Connection connection, BatchDeviceLists lists, String username) throws SQLException {
        lists.changed(username);
        Jdbc.update(connection, "DELETE FROM device_lists WHERE username = ?", Jdbc.params(username));
    }

    /**
     * Makes the server's row for a device the list now names. A row already under that id was
     * never made for this list (ids are never reused, so only a write from outside the server
     * leaves one): the listed device's row replaces it.
     */
    static void insertRow(Connection connection, String username, DeviceEntry entry) throws SQLException {
        Jdbc.update(connection, "INSERT INTO devices (username, device_id, device_key, linked_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (username, device_id) DO UPDATE SET device_key = excluded.device_key, "
                        + "linked_at = excluded.linked_at, last_seen = NULL, capabilities_flags = NULL, capabilities_sig = NULL",
                Jdbc.params(username, entry.id(), entry.key(), entry.linkedAt()));
    }

    /** The tables holding one device's prekeys. */
    static final List<String> PREKEY_TABLES = List.of("signed_prekeys", "kem_last_resort_prekeys", "one_time_prekeys",
            "kem_one_time_prekeys");

    /**
     * Deletes a device's row, prekeys and queued copies (counted off {@code counts}), and any link
     * channel that named it: what unlinking a device removes.
     */
    static void deleteDevice(Connection connection, QueueCounts counts, String username, int device) throws SQLException {
        Jdbc.update(connection, "DELETE FROM devices WHERE username = ? AND device_id = ?", Jdbc.params(username, device));
        for (String table : PREKEY_TABLES) {
            Jdbc.update(connection, "DELETE FROM " + table + " WHERE username = ? AND device_id = ?", Jdbc.params(username, device));
        }
        counts.ensureLoaded(connection);
        counts.deleteCounted(connection, "DELETE FROM messages WHERE recipient = ? AND recipient_device = ?", s -> {
            s.setString(1, username);
            s.setInt(2, device);
        });
        Jdbc.update(connection, "DELETE FROM link_channels WHERE username = ? AND device_id = ?", Jdbc.params(username, device));
    }
}
