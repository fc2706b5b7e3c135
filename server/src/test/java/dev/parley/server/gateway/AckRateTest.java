package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import java.util.List;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.SessionFrames.Ping;
import dev.parley.wire.FrameCatalogue;

/**
 * Acks and the frame rate (the documented 50 frames/s, burst 200): a recipient that acks every
 * relay at once drains a backlog of any size, and its acks cost none of its own frame budget;
 * a frame admitted beyond the rate only because relays await their acks must be such an ack.
 */
class AckRateTest {

    private static final int SENDERS = 7;
    /** Within one burst (200) with the sender's register frame, which counts too on older servers. */
    private static final int PER_SENDER = 199;

    /** Registers {@code recipient}, logs it out, and has seven senders queue 199 messages each for it. */
    private static TestIdentity backlog(TestServer server, String recipient) {
        var bob = TestClient.registered(server, recipient);
        TestIdentity identity = bob.identity();
        bob.close();
        for (int s = 0; s < SENDERS; s++) {
            try (var sender = TestClient.registered(server, recipient + "_s" + s)) {
                for (int i = 0; i < PER_SENDER; i++) {
                    sender.send(new SendMessage("m" + i, recipient, null, List.of(new DeviceEnvelope(1, "AAAA"))));
                }
                for (int i = 0; i < PER_SENDER; i++) {
                    JsonNode answer = sender.await(f -> f.path("type").asText().equals("stored") || f.path("type").asText().equals("error"));
                    assertEquals("stored", answer.path("type").asText(), answer::toString);
                }
            }
        }
        return identity;
    }

    @Test
    void aRecipientAckingEveryRelayDrainsItsWholeBacklog() {
        try (var server = TestServer.start(TestServer.testLimits().withMessageRate(50, 200))) {
            TestIdentity identity = backlog(server, "ack_bob");
            try (var bob = TestClient.loggedIn(server, "ack_bob", identity)) {
                Set<String> received = new HashSet<>();
                while (received.size() < SENDERS * PER_SENDER) {
                    JsonNode relay = bob.awaitType("relay_message");
                    bob.ack(relay);
                    received.add(relay.get("from").asText() + "/" + relay.get("id").asText());
                }
                JsonNode pong = bob.request(new Ping(TestClient.nextId()));
                assertEquals("pong", pong.path("type").asText(), "acks did not use up the recipient's own frame budget: " + pong);
            }
        }
    }

    @Test
    void overTheRateOnlyAcksOfAwaitedRelaysAreTakenAndOtherFramesAreStrikes() {
        try (var server = TestServer.start(TestServer.testLimits().withMessageRate(50, 200))) {
            TestIdentity identity = backlog(server, "ack_eve");
            try (var eve = TestClient.loggedIn(server, "ack_eve", identity)) {
                eve.awaitType("relay_message"); // relays now await their acks; none is acked
                double rejectedBefore = server.server().metrics().get("parley_frames_rejected").counter().count();
                for (int i = 0; i < 2_000 && FrameRateTest.sent(eve, FrameCatalogue.encode(new Ping("e" + i))); i++) {
                    // until the server closes the socket (200 in the burst, then over the rate)
                }
                assertTrue(eve.isClosed(Duration.ofSeconds(30)), "closed for over-rate frames that were not acks");
                var closed = server.server().metrics().find("parley_connections_closed").tag("reason", "bad_frames").counter();
                assertEquals(1.0, closed == null ? 0 : closed.count(), "closed by the server for bad frames");
                // Counted on the server: the client may never read the answers, because a socket
                // closed with unread input is reset and the reset may discard them on the way.
                double rejected = server.server().metrics().get("parley_frames_rejected").counter().count() - rejectedBefore;
                assertEquals(ConnectionLimits.defaults().badFramesPerMinute() + 1, rejected, 0.0,
                        "each over-rate frame was refused (rate_limited) until the strike that closed the socket, none after");
            }
        }
    }
}
