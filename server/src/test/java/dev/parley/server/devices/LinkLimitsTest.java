package dev.parley.server.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestDeviceKey;
import dev.parley.server.testing.TestDevices;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.DeviceFrames.LinkOpen;
import dev.parley.wire.frames.DeviceFrames.LinkPeek;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A link channel's lifetime ({@code --link-ttl}) and the registrations-per-address limit on opening channels. */
class LinkLimitsTest {

    @Test
    void anExpiredChannelCanBeNeitherReadNorApprovedNorReopened() throws Exception {
        try (var server = TestServer.start(TestServer.testStorage().withLinkTtl(Duration.ofMillis(700)));
                var owner = TestClient.registered(server, "ll_owner")) {
            byte[] channel = TestDevices.channel();
            byte[] request = TestDevices.request();
            try (var waiting = TestClient.connect(server)) {
                JsonNode opened = waiting.request(new LinkOpen(TestClient.nextId(), channel, request));
                long ttl = opened.path("expiresAt").asLong() - System.currentTimeMillis();
                assertEquals(true, ttl <= 700 && ttl > 0, "expiresAt is --link-ttl after link_open: " + ttl);
            }
            Thread.sleep(900);
            assertEquals("link_expired", owner.request(new LinkPeek(TestClient.nextId(), channel)).path("code").asText());
            var list = TestDevices.withDevice(owner.identity(), TestDevices.listOf(owner, "ll_owner"), 2, new TestDeviceKey());
            assertEquals("link_expired", TestDevices.approve(owner, channel, list).path("code").asText());
            try (var again = TestClient.connect(server)) {
                assertEquals("link_expired", again.request(new LinkOpen(TestClient.nextId(), channel, request)).path("code").asText());
            }
            assertEquals(1, TestDevices.listOf(owner, "ll_owner").version(), "nothing was linked");
        }
    }

    @Test
    void newChannelsCountAgainstTheAddresssRegistrationsButReattachingDoesNot() {
        try (var server = TestServer.start(TestServer.testLimits().withRegistrationsPerIpPerHour(2));
                var client = TestClient.connect(server)) {
            byte[] first = TestDevices.channel();
            byte[] request = TestDevices.request();
            assertEquals("link_opened", client.request(new LinkOpen(TestClient.nextId(), first, request)).path("type").asText());
            assertEquals("link_opened",
                    client.request(new LinkOpen(TestClient.nextId(), TestDevices.channel(), request)).path("type").asText());
            JsonNode third = client.request(new LinkOpen(TestClient.nextId(), TestDevices.channel(), request));
            assertEquals("rate_limited", third.path("code").asText(), third::toString);
            assertEquals("link_opened", client.request(new LinkOpen(TestClient.nextId(), first, request)).path("type").asText(),
                    "re-attaching to an open channel is not a new one");
        }
    }
}
