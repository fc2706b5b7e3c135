package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ChildServer;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDeviceKey;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.DeviceFrames.LinkApprove;
import dev.parley.wire.frames.DeviceFrames.LinkOpen;
import dev.parley.wire.frames.DeviceFrames.LinkPeek;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * link_approve is one transaction: a server process killed with SIGKILL while an approval is on
 * its way leaves, after a restart, either a linked device (list entry, device row, and the
 * sealed message waiting on the channel for the new device) or none of these (the channel
 * still waiting for approval). Never a list without its row, nor a row without the list.
 */
class LinkCrashTest {

    private static final int ROUNDS = 8;

    @Test
    void aKilledServerLeavesALinkedDeviceOrNone() throws Exception {
        Path database = TestServer.newDatabaseFile();
        int port = ChildServer.freePort();
        String url = "ws://127.0.0.1:" + port + "/ws";
        String origin = "http://127.0.0.1:" + port;
        Process process = ChildServer.start(port, database);
        List<String> outcomes = new ArrayList<>();
        try {
            TestIdentity identity;
            try (var owner = TestClient.connect(url, origin)) {
                assertEquals("registered", owner.register("crash_owner").path("type").asText());
                identity = owner.identity();
            }
            int nextId = 2;
            for (int round = 0; round < ROUNDS && nextId <= 6; round++) {
                byte[] channel = TestDevices.channel();
                byte[] request = TestDevices.request();
                byte[] sealed = TestDevices.sealed();
                var owner = TestClient.connect(url, origin);
                owner.identity(identity);
                assertEquals("logged_in", owner.login("crash_owner").path("type").asText());
                var newDevice = TestClient.connect(url, origin);
                assertEquals("link_opened", newDevice.request(new LinkOpen(TestClient.nextId(), channel, request)).path("type").asText());
                DeviceList before = TestDevices.listOf(owner, "crash_owner");
                DeviceList list = TestDevices.withDevice(identity, before, nextId, new TestDeviceKey());
                // The approval goes out, and the process dies at some point of its handling.
                owner.sendTextAsync(FrameCatalogue.encode(new LinkApprove(TestClient.nextId(), channel, list, sealed)));
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 15));
                process.destroyForcibly().waitFor();
                owner.close();
                newDevice.close();

                process = ChildServer.start(port, database);
                try (var after = TestClient.connect(url, origin)) {
                    after.identity(identity);
                    assertEquals("logged_in", after.login("crash_owner").path("type").asText());
                    DeviceList stored = TestDevices.listOf(after, "crash_owner");
                    JsonNode rows = after.request(new GetDevices(TestClient.nextId(), "crash_owner")).path("servers");
                    boolean rowExists = false;
                    for (JsonNode row : rows) {
                        rowExists |= row.path("id").asInt() == nextId;
                    }
                    boolean listed = stored.device(nextId) != null;
                    assertEquals(listed, rowExists, "round " + round + " (earlier rounds: " + outcomes + "): the list and the device row agree");
                    if (listed) {
                        assertEquals(before.version() + 1, stored.version());
                        try (var reopened = TestClient.connect(url, origin)) {
                            assertEquals("link_opened",
                                    reopened.request(new LinkOpen(TestClient.nextId(), channel, request)).path("type").asText());
                            JsonNode delivered = reopened.awaitType("link_sealed");
                            assertTrue(Arrays.equals(sealed, WireJson.fromBase64(delivered.path("sealed").asText())));
                            assertEquals(nextId, delivered.path("device").asInt());
                        }
                        outcomes.add("linked");
                        nextId++;
                    } else {
                        assertEquals(before.version(), stored.version(), "round " + round + ": nothing of the approval is stored");
                        JsonNode waiting = after.request(new LinkPeek(TestClient.nextId(), channel));
                        assertEquals("link_request", waiting.path("type").asText(), "the channel still waits: " + waiting);
                        outcomes.add("none");
                    }
                }
            }
        } finally {
            process.destroyForcibly().waitFor();
        }
    }
}
