package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.limits.FrameRates;
import dev.parley.server.testing.ManualTimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * A socket's frames draw from its address's bucket before login and its account's after, the
 * one bucket the limiter holds for that key: also after the limiter forgot a full bucket that an
 * older socket of the same key had used, so sockets opened one after another gain nothing.
 */
class ConnectionFrameRateTest {

    private static final int BURST = 5;

    private final ManualTimeMeter time = new ManualTimeMeter();
    private final FrameRates rates = new FrameRates(BURST, 1, time);

    private ClientConnection socket(String address) {
        return new ClientConnection(1, address, new RecordingTransport(false), ConnectionLimits.defaults(), rates,
                new LongAdder(), (connection, why) -> { });
    }

    private static int framesLetIn(ClientConnection connection, int tries) {
        int in = 0;
        for (int i = 0; i < tries; i++) {
            in += connection.tryConsumeFrame() ? 1 : 0;
        }
        return in;
    }

    @Test
    void socketsOfOneAddressShareItsBucketAcrossTheLimitersSweeps() {
        ClientConnection older = socket("203.0.113.7");
        assertTrue(older.tryConsumeFrame());
        time.advance(Duration.ofSeconds(30)); // full again, and forgotten at the next look-up
        ClientConnection newer = socket("203.0.113.7");
        int bothTogether = framesLetIn(newer, BURST) + framesLetIn(older, BURST);
        assertEquals(BURST, bothTogether, "frames the two sockets let in together");
        assertTrue(socket("198.51.100.1").tryConsumeFrame(), "another address has its own bucket");
    }

    @Test
    void afterLoginTheAccountsBucketCountsForAllItsSockets() {
        ClientConnection phone = socket("203.0.113.7");
        ClientConnection laptop = socket("198.51.100.1");
        phone.authenticate("alice", 1, true);
        time.advance(Duration.ofSeconds(30));
        laptop.authenticate("alice", 2, true);
        int both = framesLetIn(phone, BURST) + framesLetIn(laptop, BURST);
        assertEquals(BURST, both, "frames alice's sockets let in together");
        assertTrue(socket("203.0.113.7").tryConsumeFrame(), "frames after login do not count against the address");
    }
}
