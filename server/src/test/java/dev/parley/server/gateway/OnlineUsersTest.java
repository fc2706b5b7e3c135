package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.ConnectionLimits;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** An account's devices online on this node: logins, replacements and departures, and what each did to presence. */
class OnlineUsersTest {

    private final OnlineUsers online = new OnlineUsers();

    private ClientConnection loggedIn(String user, int device) {
        ClientConnection connection = new RecordingTransport(false).connection(ConnectionLimits.defaults(), new LongAdder());
        online.opened(connection);
        connection.authenticate(user, device, true);
        return connection;
    }

    @Test
    void theFirstDeviceBringsTheAccountOnlineAndTheLastTakesItOff() {
        ClientConnection phone = loggedIn("alice", 1);
        assertTrue(online.loggedIn(phone).cameOnline());
        ClientConnection laptop = loggedIn("alice", 2);
        OnlineUsers.Login second = online.loggedIn(laptop);
        assertFalse(second.cameOnline());
        assertNull(second.replaced());
        assertEquals(Set.of(phone, laptop), Set.copyOf(online.devicesOf("alice")));
        assertSame(laptop, online.get("alice", 2));
        assertEquals(1, online.userCount());

        assertEquals(OnlineUsers.Departure.DEVICE_OFFLINE, online.closed(phone));
        assertNull(online.get("alice", 1));
        assertEquals(List.of(laptop), List.copyOf(online.devicesOf("alice")));
        assertTrue(online.isOnline("alice"));

        assertEquals(OnlineUsers.Departure.ACCOUNT_OFFLINE, online.closed(laptop));
        assertFalse(online.isOnline("alice"));
        assertEquals(List.of(), List.copyOf(online.devicesOf("alice")));
        assertEquals(0, online.connectionCount());
    }

    @Test
    void aNewerLoginOfADeviceReplacesTheOlderWhoseEndThenChangesNothing() {
        ClientConnection first = loggedIn("bob", 3);
        ClientConnection other = loggedIn("bob", 1);
        online.loggedIn(first);
        online.loggedIn(other);
        ClientConnection again = loggedIn("bob", 3);
        OnlineUsers.Login login = online.loggedIn(again);
        assertSame(first, login.replaced());
        assertFalse(login.cameOnline());
        assertSame(again, online.get("bob", 3));
        assertEquals(2, online.devicesOf("bob").size());

        assertEquals(OnlineUsers.Departure.NOT_CURRENT, online.closed(first));
        assertSame(again, online.get("bob", 3));
        assertEquals(Set.of(again, other), Set.copyOf(online.devices()));
    }

    @Test
    void aConnectionThatNeverLoggedInLeavesPresenceAlone() {
        ClientConnection member = loggedIn("carol", 1);
        online.loggedIn(member);
        ClientConnection anonymous = new RecordingTransport(false).connection(ConnectionLimits.defaults(), new LongAdder());
        online.opened(anonymous);
        assertEquals(2, online.connectionCount());
        assertEquals(OnlineUsers.Departure.NOT_CURRENT, online.closed(anonymous));
        assertTrue(online.isOnline("carol"));
        assertEquals(1, online.connectionCount());
    }
}
