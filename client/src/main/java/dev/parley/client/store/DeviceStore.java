package dev.parley.client.store;

import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Devices (docs/CLIENT-MODEL.md, "Devices"): this device's id and private device key, the signed
 * device list accepted for each account (this account's own under its own name), the names of
 * this account's devices, and the ratchet sessions per (peer, device). Part of
 * {@link ClientStore}: each method is one statement or one transaction of it.
 *
 * <p>Invariant: a stored list is one whose signature verified under the account's identity when
 * it was stored (callers check before {@link #saveList}); its version never goes down for one
 * identity, and it is forgotten when the account's identity changes.
 */
public final class DeviceStore {

    private final ClientStore store;

    DeviceStore(ClientStore store) {
        this.store = store;
    }

    // ---- this device --------------------------------------------------------------------------

    /** This device's id in its account, once it has one (register, link, or the upgrade of an older home). */
    public Optional<Integer> thisDevice() {
        return store.metaLong("device_id").map(Long::intValue);
    }

    /** This device's private device key (Ed25519 seed), generated here and never copied. */
    public Optional<byte[]> deviceKey() {
        return store.meta("device_key");
    }

    /** Stores this device's key (before it is sent anywhere: it signs the logins). */
    public void saveDeviceKey(byte[] privateKey) {
        store.putMeta("device_key", privateKey);
    }

    public void saveThisDevice(int id) {
        store.putMeta("device_id", Integer.toString(id).getBytes(StandardCharsets.UTF_8));
    }

    // ---- signed lists ---------------------------------------------------------------------------

    /** The list accepted for {@code username}, if any. */
    public Optional<DeviceList> list(String username) {
        synchronized (store) {
            return store.query("SELECT version, issued_at, signature FROM device_lists WHERE username = ?", List.of(username),
                    rs -> new DeviceList(rs.getLong(1), rs.getLong(2), entries(username), rs.getBytes(3)))
                    .stream().findFirst();
        }
    }

    private List<DeviceEntry> entries(String username) {
        return store.query("SELECT device, key, linked_at FROM listed_devices WHERE username = ? ORDER BY device",
                List.of(username), rs -> new DeviceEntry(rs.getInt(1), rs.getBytes(2), rs.getLong(3)));
    }

    /**
     * Replaces the list accepted for {@code username} (its signature was checked by the caller),
     * keeping the largest device id any of its accepted lists had ({@link #largestDeviceId}).
     */
    public void saveList(String username, DeviceList list) {
        store.transaction(() -> {
            int largest = Math.max(largestDeviceId(username),
                    list.devices().stream().mapToInt(DeviceEntry::id).max().orElse(0));
            store.update("DELETE FROM listed_devices WHERE username = ?", username);
            store.update("DELETE FROM device_lists WHERE username = ?", username);
            store.update("INSERT INTO device_lists(username, version, issued_at, signature, largest_id) VALUES (?,?,?,?,?)",
                    username, list.version(), list.issuedAt(), list.signature(), largest);
            for (DeviceEntry entry : list.devices()) {
                store.update("INSERT INTO listed_devices(username, device, key, linked_at) VALUES (?,?,?,?)",
                        username, entry.id(), entry.key(), entry.linkedAt());
            }
        });
    }

    /** The largest device id seen in {@code username}'s lists since its identity was first seen (0: none). */
    public int largestDeviceId(String username) {
        return store.query("SELECT largest_id FROM device_lists WHERE username = ?", List.of(username), rs -> rs.getInt(1))
                .stream().findFirst().orElse(0);
    }

    /** Forgets {@code username}'s list (its identity changed: versions restart with the new one). */
    public void forgetList(String username) {
        store.transaction(() -> {
            store.update("DELETE FROM listed_devices WHERE username = ?", username);
            store.update("DELETE FROM device_lists WHERE username = ?", username);
        });
    }

    // ---- names of this account's devices ----------------------------------------------------------

    /** Names of this account's devices by id (those this device learnt: at linking and from sync). */
    public Map<Integer, String> names() {
        Map<Integer, String> names = new TreeMap<>();
        store.query("SELECT device, name FROM device_names", List.of(), rs -> names.put(rs.getInt(1), rs.getString(2)));
        return names;
    }

    public void saveName(int device, String name) {
        store.update("INSERT OR REPLACE INTO device_names(device, name) VALUES (?,?)", device, name);
    }

    // ---- sessions per (peer, device) ------------------------------------------------------------

    public Optional<byte[]> session(String username, int device) {
        return store.query("SELECT record FROM device_sessions WHERE username = ? AND device = ?",
                List.of(username, device), rs -> rs.getBytes(1)).stream().findFirst();
    }

    public void saveSession(String username, int device, byte[] record) {
        store.update("INSERT OR REPLACE INTO device_sessions(username, device, record) VALUES (?,?,?)", username, device, record);
    }

    /** Drops the sessions with {@code username}'s devices other than {@code listed} (removed from its list). */
    public void dropSessionsExcept(String username, List<Integer> listed) {
        synchronized (store) {
            store.transaction(() -> {
                for (int device : store.query("SELECT device FROM device_sessions WHERE username = ?", List.of(username),
                        rs -> rs.getInt(1))) {
                    if (!listed.contains(device)) {
                        store.update("DELETE FROM device_sessions WHERE username = ? AND device = ?", username, device);
                    }
                }
            });
        }
    }
}
