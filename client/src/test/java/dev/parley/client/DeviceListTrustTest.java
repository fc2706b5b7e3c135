package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.HomeLock;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the server cannot do with device lists (LINKED-DEVICES.md, "The device list"): serve a
 * list its account did not sign, roll a list back, or add a device row of its own. The server's
 * database is edited directly, as an operator could.
 */
class DeviceListTrustTest extends ServerTest {

    private static Connection serverDatabase() throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
        try (var s = db.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
        }
        return db;
    }

    /** The stored list of {@code user}: header and entries, to write back later. */
    private record StoredList(long version, long issuedAt, byte[] signature, long maxDeviceId, List<Object[]> entries) {}

    private static StoredList read(String user) throws SQLException {
        try (Connection db = serverDatabase();
                PreparedStatement header = db.prepareStatement(
                        "SELECT version, issued_at, signature, max_device_id FROM device_lists WHERE username = ?");
                PreparedStatement rows = db.prepareStatement(
                        "SELECT device_id, device_key, linked_at FROM device_list_entries WHERE username = ? ORDER BY device_id")) {
            header.setString(1, user);
            rows.setString(1, user);
            try (ResultSet h = header.executeQuery(); ResultSet r = rows.executeQuery()) {
                assertTrue(h.next(), "a list for " + user);
                List<Object[]> entries = new ArrayList<>();
                while (r.next()) {
                    entries.add(new Object[] {r.getInt(1), r.getBytes(2), r.getLong(3)});
                }
                return new StoredList(h.getLong(1), h.getLong(2), h.getBytes(3), h.getLong(4), entries);
            }
        }
    }

    private static void write(String user, StoredList list) throws SQLException {
        try (Connection db = serverDatabase()) {
            db.setAutoCommit(false);
            try (var s = db.prepareStatement("DELETE FROM device_list_entries WHERE username = ?")) {
                s.setString(1, user);
                s.executeUpdate();
            }
            try (var s = db.prepareStatement("UPDATE device_lists SET version = ?, issued_at = ?, signature = ? WHERE username = ?")) {
                s.setLong(1, list.version());
                s.setLong(2, list.issuedAt());
                s.setBytes(3, list.signature());
                s.setString(4, user);
                s.executeUpdate();
            }
            for (Object[] e : list.entries()) {
                try (var s = db.prepareStatement(
                        "INSERT INTO device_list_entries(username, device_id, device_key, linked_at) VALUES (?,?,?,?)")) {
                    s.setString(1, user);
                    s.setInt(2, (Integer) e[0]);
                    s.setBytes(3, (byte[]) e[1]);
                    s.setLong(4, (Long) e[2]);
                    s.executeUpdate();
                }
            }
            db.commit();
        }
    }

    @Test
    void aListThatIsNotSignedByTheContactIsRefusedAndNothingIsEncrypted() throws Exception {
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"));
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"))) {
            alice.register(address, "us_alice");
            carol.register(address, "us_carol");
            StoredList list = read("us_alice");
            byte[] forged = list.signature().clone();
            forged[0] ^= 1;
            write("us_alice", new StoredList(list.version(), list.issuedAt(), forged, list.maxDeviceId(), list.entries()));

            ClientException refused = assertThrows(ClientException.class, () -> carol.send("us_alice", "are you there?"));
            assertEquals(ClientException.Reason.REFUSED, refused.reason());
            assertTrue(refused.getMessage().contains("device list not signed by us_alice"), refused.getMessage());
            assertTrue(refused.getMessage().contains("bad signature"), refused.getMessage());
            assertEquals(1, carol.outboxSize(), "kept, not encrypted, until a valid list comes");
        }
        try (HomeLock lock = HomeLock.acquire(dir.resolve("carol")); ClientStore store = ClientStore.open(dir.resolve("carol"))) {
            assertTrue(store.devices.list("us_alice").isEmpty(), "the refused list was not accepted");
            assertTrue(store.devices.session("us_alice", 1).isEmpty(), "no session was started");
            assertTrue(store.outbox.entries().getFirst().payload() != null, "the text was not encrypted");
        }
    }

    @Test
    void aListRolledBackByTheServerIsRefused() throws Exception {
        var aliceEvents = new RecordingListener();
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"))) {
            alice1.register(address, "rb_alice");
            bob.register(address, "rb_bob");
            StoredList first = read("rb_alice");
            try (ParleyClient alice2 = DevicesTest.link(alice1, dir.resolve("alice2"), "Phone", false, new RecordingListener())) {
                bob.send("rb_alice", "to both");
                assertEquals(List.of("to both"), aliceEvents.texts(1));
            }
            alice1.close();
            // the server serves version 1 again (validly signed, but older than the accepted version 2)
            write("rb_alice", new StoredList(first.version(), first.issuedAt(), first.signature(), 2, first.entries()));

            ClientException refused = assertThrows(ClientException.class, () -> bob.send("rb_alice", "after rollback"));
            assertEquals(ClientException.Reason.REFUSED, refused.reason());
            assertTrue(refused.getMessage().contains("device list not signed by rb_alice"), refused.getMessage());
            assertTrue(refused.getMessage().contains("rollback"), refused.getMessage());
        }
        var relogin = new RecordingListener();
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), relogin)) {
            alice1.connect(null);
            String warning = relogin.deviceWarnings.poll(10, TimeUnit.SECONDS);
            assertNotNull(warning, "the account's own device sees that the server's list is not the one it holds");
            assertTrue(warning.contains("rollback"), warning);
        }
    }

    @Test
    void aDeviceRowTheListDoesNotHaveIsReportedToTheAccount() throws Exception {
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"))) {
            alice.register(address, "ur_alice");
        }
        try (Connection db = serverDatabase();
                var s = db.prepareStatement("INSERT INTO devices(username, device_id, device_key, linked_at) VALUES (?,?,?,?)")) {
            s.setString(1, "ur_alice");
            s.setInt(2, 9);
            s.setBytes(3, new byte[32]);
            s.setLong(4, System.currentTimeMillis());
            s.executeUpdate();
        }
        var events = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), events)) {
            alice.connect(null);
            String warning = events.deviceWarnings.poll(10, TimeUnit.SECONDS);
            assertNotNull(warning);
            assertTrue(warning.contains("a device this account did not approve is on the server (device [9]"), warning);
        }
    }

    @Test
    void aHomeAndAnAccountFromBeforeDevicesBecomeDevice1OnTheFirstConnect() throws Exception {
        Path home = dir.resolve("alice");
        try (ParleyClient alice = ParleyClient.open(home)) {
            alice.register(address, "up_alice");
        }
        // As before devices existed: the server has no list and no device row, the home no device key.
        try (Connection db = serverDatabase(); var s = db.createStatement()) {
            s.execute("DELETE FROM device_list_entries WHERE username = 'up_alice'");
            s.execute("DELETE FROM device_lists WHERE username = 'up_alice'");
            s.execute("DELETE FROM devices WHERE username = 'up_alice'");
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(ClientStore.FILE_NAME));
                var s = db.createStatement()) {
            s.execute("DELETE FROM meta WHERE key IN ('device_id', 'device_key')");
            s.execute("DELETE FROM device_lists WHERE username = 'up_alice'");
        }
        var events = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(home, events); ParleyClient bob = ParleyClient.open(dir.resolve("bob"))) {
            alice.connect(null);
            assertEquals(List.of(1), alice.devices().stream().map(DeviceInfo::id).toList());
            bob.register(address, "up_bob");
            bob.send("up_alice", "after the upgrade");
            assertEquals(List.of("after the upgrade"), events.texts(1));
            assertTrue(events.deviceWarnings.isEmpty(), events.deviceWarnings::toString);
        }
        assertEquals(1, read("up_alice").version(), "list version 1 was published");
        try (ParleyClient alice = ParleyClient.open(home)) {
            alice.connect(null); // the second connect is an ordinary device login
            assertTrue(alice.isConnected());
        }
    }

    /**
     * The operator adds a device to bob's account (a device row, and for the login a list entry
     * the signature does not cover), and a program holding bob's identity logs in as it: its
     * messages to alice, and its transcripts to bob's own device, are refused as from a device
     * bob's signed list does not have, after the list was fetched again; nothing is kept for
     * them, and they are acknowledged.
     */
    @Test
    void aMessageFromADeviceTheSendersSignedListDoesNotHaveIsRefusedAndAcknowledged() throws Exception {
        Path bobHome = dir.resolve("bob");
        Path rogueHome = dir.resolve("rogue");
        try (ParleyClient bob = ParleyClient.open(bobHome)) {
            bob.register(address, "ul_bob");
        }
        copyHome(bobHome, rogueHome); // bob's identity, before bob and alice ever talked
        byte[] rogueKey = Ed25519.newPrivateKey(Randomness.from(new SecureRandom()));
        try (HomeLock lock = HomeLock.acquire(rogueHome); ClientStore store = ClientStore.open(rogueHome)) {
            // it also holds a list with itself, signed with bob's identity, so it sends bob's device transcripts
            var identity = store.account().orElseThrow().identity();
            var held = store.devices.list("ul_bob").orElseThrow();
            var entries = new ArrayList<>(held.devices());
            entries.add(new DeviceEntry(2, Ed25519.publicKey(rogueKey), System.currentTimeMillis()));
            var forged = DeviceLists.sign(identity, held.version() + 1, System.currentTimeMillis(), entries);
            store.transaction(() -> {
                store.devices.saveDeviceKey(rogueKey);
                store.devices.saveThisDevice(2);
                store.devices.saveList("ul_bob", forged);
            });
        }
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        Path aliceDb = dir.resolve("alice").resolve(ClientStore.FILE_NAME);
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(bobHome, bobEvents)) {
            alice.register(address, "ul_alice");
            bob.connect(null);
            alice.send("ul_bob", "hello bob"); // alice holds bob's list (device 1) from here on
            assertEquals(List.of("hello bob"), bobEvents.texts(1));
            long preKeys = count(aliceDb, "SELECT COUNT(*) FROM one_time_prekeys");

            addListedDevice("ul_bob", 2, Ed25519.publicKey(rogueKey));
            try (ParleyClient rogue = ParleyClient.open(rogueHome)) {
                rogue.connect(null);
                rogue.send("ul_alice", "from a device bob never approved");
                String refused = aliceEvents.undecryptable.poll(10, TimeUnit.SECONDS);
                assertNotNull(refused, "reported");
                assertTrue(refused.startsWith("ul_bob/") && refused.contains("no accepted device list of ul_bob has")
                        && refused.contains("bad signature"), refused);
                String ownRefused = bobEvents.undecryptable.poll(10, TimeUnit.SECONDS);
                assertNotNull(ownRefused, "bob's own device refuses the transcripts too");
                assertTrue(ownRefused.contains("no accepted device list of ul_bob has") && ownRefused.contains("bad signature"),
                        ownRefused);

                removeListEntry("ul_bob", 2); // the list as bob signed it again; the row and the logged-in device stay
                rogue.send("ul_alice", "again");
                refused = aliceEvents.undecryptable.poll(10, TimeUnit.SECONDS);
                assertNotNull(refused, "reported");
                assertTrue(refused.contains("sent from a device ul_bob's signed device list does not have (device 2;"
                        + " the list has [1])"), refused);
                ownRefused = bobEvents.undecryptable.poll(10, TimeUnit.SECONDS);
                assertNotNull(ownRefused, "bob's own device refuses the transcripts too");
                assertTrue(ownRefused.contains("sent from a device ul_bob's signed device list does not have (device 2;"
                        + " the list has [1])"), ownRefused);
            }
            assertTrue(aliceEvents.messages.isEmpty(), "nothing shown as from bob");
            assertTrue(bobEvents.sentElsewhere.isEmpty(), "no transcript applied");
            assertEquals(preKeys, count(aliceDb, "SELECT COUNT(*) FROM one_time_prekeys"), "no prekey consumed");
            assertEquals(0, count(aliceDb, "SELECT COUNT(*) FROM device_sessions WHERE username = 'ul_bob' AND device = 2"),
                    "no session with the device");
            alice.send("ul_bob", "still talking");
            assertEquals(List.of("still talking"), bobEvents.texts(1), "bob's real device is unaffected");
        }
        var again = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), again)) {
            alice.connect(null);
            assertNull(again.undecryptable.poll(1, TimeUnit.SECONDS), "acknowledged, so not replayed");
        }
    }

    private static void copyHome(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals(HomeLock.FILE_NAME)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }

    /** A device row for {@code user} and an entry in its stored list (which the list's signature does not cover). */
    private static void addListedDevice(String user, int id, byte[] key) throws SQLException {
        try (Connection db = serverDatabase()) {
            for (String table : List.of("devices", "device_list_entries")) {
                try (var s = db.prepareStatement("INSERT INTO " + table + "(username, device_id, device_key, linked_at)"
                        + " VALUES (?,?,?,?)")) {
                    s.setString(1, user);
                    s.setInt(2, id);
                    s.setBytes(3, key);
                    s.setLong(4, System.currentTimeMillis());
                    s.executeUpdate();
                }
            }
        }
    }

    private static void removeListEntry(String user, int id) throws SQLException {
        try (Connection db = serverDatabase();
                var s = db.prepareStatement("DELETE FROM device_list_entries WHERE username = ? AND device_id = ?")) {
            s.setString(1, user);
            s.setInt(2, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    private static long count(Path database, String query) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database); var s = db.createStatement();
                ResultSet r = s.executeQuery(query)) {
            assertTrue(r.next());
            return r.getLong(1);
        }
    }
}
