package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.limits.RateLimits;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Reading and relaying pause while a socket's answers pile up, and resume exactly once. */
class OutgoingBackPressureTest {

    final AtomicInteger demands = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicInteger roomCalls = new AtomicInteger();
    /** Frames handed to the socket whose callback has not run: the socket does not write. */
    final List<Runnable> unsent = new ArrayList<>();
    final LongAdder total = new LongAdder();
    final Connection connection = new Connection("c1", "127.0.0.1", new Connection.Transport() {
        @Override
        public void sendText(String text, Runnable whenLeft) {
            unsent.add(whenLeft);
        }

        @Override
        public void demand() {
            demands.incrementAndGet();
        }

        @Override
        public void close(int statusCode, String reason) {
        }

        @Override
        public void disconnect() {
            disconnects.incrementAndGet();
        }
    }, ConnectionLimits.defaults().withOutgoing(4, 1_000_000, Duration.ofMinutes(5)),
            RateLimits.bucket(10, 10, Duration.ofSeconds(1), TimeMeter.SYSTEM_MILLISECONDS),
            user -> RateLimits.bucket(10, 10, Duration.ofSeconds(1), TimeMeter.SYSTEM_MILLISECONDS), total, why -> { });

    @Test
    void readingPausesOverTheBoundAndResumesOnceWhenBackUnder() {
        connection.onRoomForRelays(roomCalls::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            connection.sendRaw("{\"type\":\"pong\"}");
        }
        assertFalse(connection.hasRoomForRelays(), "5 frames waiting, bound 4");
        connection.frameHandled();
        assertEquals(0, demands.get(), "no next frame while answers pile up");
        unsent.removeFirst().run();
        assertEquals(1, demands.get(), "the frame that brings it back under the bound resumes reading");
        assertEquals(1, roomCalls.get(), "and the mailbox's pump");
        unsent.removeFirst().run();
        assertEquals(1, demands.get(), "only once");
        assertTrue(connection.hasRoomForRelays());
        unsent.forEach(Runnable::run);
        assertEquals(0, connection.queuedOutgoingChars());
        assertEquals(0, total.sum());
    }

    @Test
    void eightTimesTheBoundDisconnectsAndQueuesNothingMore() {
        for (int i = 0; i < 4 * ConnectionLimits.HARD_CAP_FACTOR; i++) {
            connection.sendRaw("x");
        }
        assertEquals(0, disconnects.get());
        connection.sendRaw("x");
        assertEquals(1, disconnects.get(), "the hard cap disconnects at once");
        connection.sendRaw("x");
        assertEquals(4 * ConnectionLimits.HARD_CAP_FACTOR, unsent.size(), "nothing is queued past the cap or after it");
        assertEquals(1, disconnects.get());
    }
}
