package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A device's last-seen record ({@link LastSeen}): the UTC day only, written when a device logs
 * in on a day it was not yet recorded on, and not again when its connection ends that day.
 */
class LastSeenTest extends LiveServerTest {

    @Test
    void aDeviceIsRecordedByTheDayAndOnlyWhenTheDayChanges() {
        long today = LastSeen.day(System.currentTimeMillis());
        long yesterday = today - LastSeen.DAY_MS;
        TestIdentity identity;
        try (var gina = TestClient.registered(server, "ls_gina")) {
            identity = gina.identity();
            Eventually.await(() -> lastSeen("ls_gina") != null, "the registering login is recorded");
            assertRecordedToday(lastSeen("ls_gina"), today);
            setLastSeen("ls_gina", yesterday); // as if the login had been recorded yesterday
        }
        // The connection ended on the day its login was recorded on: nothing is written. A later
        // write commits whatever the logout had deferred.
        TestClient.registeredOffline(server, "ls_flush");
        assertEquals(yesterday, lastSeen("ls_gina"), "the logout wrote nothing");

        try (var gina = TestClient.loggedIn(server, "ls_gina", identity)) {
            Eventually.await(() -> !Long.valueOf(yesterday).equals(lastSeen("ls_gina")), "a login on a new day is recorded");
            assertRecordedToday(lastSeen("ls_gina"), today);
        }
    }

    /** The start of the UTC day the test began on, or of the next one if the test crossed midnight. */
    private static void assertRecordedToday(long recorded, long dayTheTestBegan) {
        long now = LastSeen.day(System.currentTimeMillis());
        assertTrue(recorded == dayTheTestBegan || recorded == now, "the day's start, not the time: " + recorded);
    }

    private static Long lastSeen(String username) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                var statement = connection.prepareStatement("SELECT last_seen FROM devices WHERE username = ? AND device_id = 1")) {
            statement.setString(1, username);
            try (var row = statement.executeQuery()) {
                row.next();
                long value = row.getLong(1);
                return row.wasNull() ? null : value;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setLastSeen(String username, long day) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                var statement = connection.prepareStatement("UPDATE devices SET last_seen = ? WHERE username = ? AND device_id = 1")) {
            connection.createStatement().execute("PRAGMA busy_timeout = 5000");
            statement.setLong(1, day);
            statement.setString(2, username);
            assertEquals(1, statement.executeUpdate());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
