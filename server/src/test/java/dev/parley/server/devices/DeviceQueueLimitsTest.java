package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queue limits hold per device queue: one device that does not read fills its own queue,
 * and then a send is refused for all devices (a send is stored for every device or none); the
 * byte quota counts every copy, the shared content included.
 */
class DeviceQueueLimitsTest {

    @Test
    void aFullDeviceQueueRefusesTheWholeSendUntilThatDeviceReads() {
        try (var server = TestServer.start(TestServer.testLimits().withQueue(3, Duration.ofDays(1)));
                var sender = TestClient.registered(server, "dq_sender");
                var reader = TestClient.registered(server, "dq_reader")) {
            var second = TestDevices.link(server, reader, 2);
            var secondKey = second.deviceKey();
            second.close();
            for (int i = 0; i < 3; i++) {
                assertEquals("stored", sender.sendToDevices("dq_reader", "m" + i, null, "AAAA", List.of(1, 2)).path("type").asText());
                reader.ack(reader.awaitType("relay_message"));
            }
            JsonNode full = sender.sendToDevices("dq_reader", "m3", null, "AAAA", List.of(1, 2));
            assertEquals("queue_full", full.path("code").asText(), "device 2 holds 3 undelivered: " + full);
            try (var two = TestClient.loggedInDevice(server, "dq_reader", reader.identity(), 2, secondKey)) {
                two.ack(two.awaitType("relay_message"));
                Eventually.await(() -> "stored".equals(sender.sendToDevices("dq_reader", "m3", null, "AAAA", List.of(1, 2))
                        .path("type").asText()), "device 2's ack frees a place in its queue");
            }
            assertEquals("m3", reader.awaitType("relay_message").path("id").asText(), "device 1 got nothing of the refused send");
        }
    }

    @Test
    void theByteQuotaCountsEveryCopyWithItsContent() {
        String content = "C".repeat(2000);
        try (var server = TestServer.start(TestServer.testStorage().withQueuedBytesPerAccount(10_000));
                var sender = TestClient.registered(server, "dq_quota");
                var target = TestClient.registered(server, "dq_target")) {
            TestDevices.link(server, target, 2).close();
            target.close();
            // Each send stores two copies of 2000 + 4 characters: two sends fit, a third does not.
            for (int i = 0; i < 2; i++) {
                assertEquals("stored", sender.sendToDevices("dq_target", "q" + i, content, "AAAA", List.of(1, 2)).path("type").asText());
            }
            JsonNode refused = sender.sendToDevices("dq_target", "q2", content, "AAAA", List.of(1, 2));
            assertEquals("quota_exceeded", refused.path("code").asText(), refused::toString);
        }
    }
}
