package dev.parley.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.Devices;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.DeviceFrames.LinkApprove;
import dev.parley.wire.frames.DeviceFrames.LinkOpen;
import dev.parley.wire.frames.DeviceFrames.PublishDevices;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Linked devices for tests: an account's stored list, lists with a device added or removed
 * (signed by the account's identity), and a whole link (open, approve, log in as the new device).
 * The link request and sealed message are random bytes of the right lengths: the server never
 * opens them.
 */
public final class TestDevices {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestDevices() {
    }

    /** The stored list of {@code username}, as {@code client} fetches it. */
    public static DeviceList listOf(TestClient client, String username) {
        JsonNode reply = client.request(new GetDevices(TestClient.nextId(), username));
        assertEquals("devices", reply.path("type").asText(), reply::toString);
        return ((Devices) TestClient.decodeServerFrame(reply.toString())).list();
    }

    /** The next version of {@code current} with {@code key} added as {@code id}, signed by {@code identity}. */
    public static DeviceList withDevice(TestIdentity identity, DeviceList current, int id, TestDeviceKey key) {
        List<DeviceEntry> entries = new ArrayList<>(current.devices());
        entries.add(new DeviceEntry(id, key.publicKey(), System.currentTimeMillis()));
        entries.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return identity.deviceList(current.version() + 1, entries);
    }

    /** The next version of {@code current} without {@code ids}, signed by {@code identity}. */
    public static DeviceList without(TestIdentity identity, DeviceList current, Integer... ids) {
        List<Integer> removed = List.of(ids);
        return identity.deviceList(current.version() + 1,
                current.devices().stream().filter(entry -> !removed.contains(entry.id())).toList());
    }

    /** A random link channel (the SHA-256 of a one-time key, as far as the server can tell). */
    public static byte[] channel() {
        return random(32);
    }

    /** A sealed link request of a plausible length. */
    public static byte[] request() {
        return random(80);
    }

    /** A sealed link message of a plausible length. */
    public static byte[] sealed() {
        return random(600);
    }

    public static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A new device's {@code link_open} on a fresh connection; the answer must be {@code link_opened}. */
    public static TestClient open(TestServer server, byte[] channel) {
        var device = TestClient.connect(server);
        JsonNode opened = device.request(new LinkOpen(TestClient.nextId(), channel, request()));
        assertEquals("link_opened", opened.path("type").asText(), opened::toString);
        return device;
    }

    /** {@code approver} approves {@code channel} with {@code list}; returns the answer. */
    public static JsonNode approve(TestClient approver, byte[] channel, DeviceList list) {
        return approver.request(new LinkApprove(TestClient.nextId(), channel, list, sealed()));
    }

    /**
     * Links a new device as {@code id} to {@code approver}'s account (whose identity
     * {@code approver} holds) and returns it logged in.
     */
    public static TestClient link(TestServer server, TestClient approver, int id) {
        byte[] channel = channel();
        var key = new TestDeviceKey();
        try (var waiting = open(server, channel)) {
            DeviceList list = withDevice(approver.identity(), listOf(approver, approver.username()), id, key);
            JsonNode approved = approve(approver, channel, list);
            assertEquals("link_approved", approved.path("type").asText(), approved::toString);
            JsonNode sealed = waiting.awaitType("link_sealed");
            assertEquals(id, sealed.path("device").asInt());
        }
        return TestClient.loggedInDevice(server, approver.username(), approver.identity(), id, key);
    }

    /** {@code client} publishes {@code list}; returns the answer. */
    public static JsonNode publish(TestClient client, DeviceList list) {
        return client.request(new PublishDevices(TestClient.nextId(), list));
    }
}
