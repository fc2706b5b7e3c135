package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A fan-out's content is ciphertext, so its first byte is 0x04 (a group message's kind) once in
 * 256 messages: the receiver tells the two apart by the envelope, never by that byte.
 */
class FanOutOrGroupTest extends ServerTest {

    @Test
    void aFanOutWhoseContentStartsLikeAGroupMessageIsReceivedAsTheTextItIs() throws Exception {
        var bobEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), new RecordingListener());
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice.register(address, "fg_alice");
            bob.register(address, "fg_bob");
            AtomicReference<String> lookalike = new AtomicReference<>();
            bob.parts().frameTap = frame -> {
                if (frame instanceof RelayMessage relay && relay.content() != null
                        && (WireJson.fromBase64(relay.content())[0] & 0xFF) == 0x04) {
                    lookalike.compareAndSet(null, relay.id());
                }
            };
            int sent = 0;
            while (lookalike.get() == null && sent < 5000) {
                alice.send("fg_bob", "text " + sent++);
                IncomingMessage received = bobEvents.messages.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(received != null, "text " + (sent - 1) + " did not arrive; undecryptable: " + bobEvents.undecryptable);
                assertEquals("text " + (sent - 1), received.text());
            }
            assertTrue(lookalike.get() != null, "no content started with 0x04 in " + sent + " messages");
            assertTrue(bobEvents.undecryptable.isEmpty(), bobEvents.undecryptable::toString);
            assertTrue(bob.unread().stream().anyMatch(m -> m.id().equals(lookalike.get())), "received as the text it is");
        }
    }
}
