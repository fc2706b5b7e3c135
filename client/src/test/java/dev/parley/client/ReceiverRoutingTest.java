package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.groups.GroupMessage;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Routing a relay by its {@code multi} mark (PROTOCOL.md §6), never by the content's first
 * byte: a 1:1 fan-out whose content (ciphertext) starts with the group message's 0x04 is a
 * normal message.
 */
class ReceiverRoutingTest extends ServerTest {

    @Test
    void aFanOutWhoseContentStartsWithTheGroupMessagesByteArrivesAsANormalMessage() throws Exception {
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice.register(address, "rr_alice");
            bob.register(address, "rr_bob");
            alice.send("rr_bob", "hello");
            assertEquals(List.of("hello"), bobEvents.texts(1));
            BlockingQueue<RelayMessage> relayed = new LinkedBlockingQueue<>();
            bob.parts().frameTap = frame -> {
                if (frame instanceof RelayMessage relay) {
                    relayed.add(relay);
                }
            };

            // A fan-out as the outbox seals one, drawn until its content starts with 0x04 (once in 256).
            Messaging messaging = alice.parts().identity.get().messaging();
            Randomness randomness = Randomness.from(new SecureRandom());
            String id = MessageIds.random(randomness);
            Payload.Text text = new Payload.Text(id, System.currentTimeMillis(), "starts like a group message");
            FanOut.Sealed sealed;
            do {
                sealed = FanOut.seal(text, randomness);
            } while (!GroupMessage.isGroupMessage(sealed.content()));
            String envelope;
            messaging.lock.lock();
            try {
                var peer = messaging.sessions.sending("rr_bob", 1);
                envelope = messaging.encryptWith(peer, "rr_bob", Messaging.encode(sealed.keyPayload(id, text.sentAt())));
                alice.store().devices.saveSession("rr_bob", 1, PeerSessionsCodec.encode(peer));
            } finally {
                messaging.lock.unlock();
            }
            alice.parts().connection().request(new SendMessage(id, "rr_bob", WireJson.base64(sealed.content()),
                    List.of(new DeviceEnvelope(1, envelope))), Stored.class, Duration.ofSeconds(20));

            assertEquals(List.of("starts like a group message"), bobEvents.texts(1));
            RelayMessage relay = relayed.poll(20, TimeUnit.SECONDS);
            assertTrue(relay != null && relay.id().equals(id) && !relay.multi(), String.valueOf(relay));
            assertEquals(0x04, WireJson.fromBase64(relay.content())[0] & 0xFF);
            assertTrue(bobEvents.undecryptable.isEmpty(), bobEvents.undecryptable.toString());
            assertFalse(bob.store().groups.groups().iterator().hasNext());
        }
    }
}
