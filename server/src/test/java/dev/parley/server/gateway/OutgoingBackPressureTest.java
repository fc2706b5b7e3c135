package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.ConnectionLimits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Reading and relaying pause while a socket's answers pile up, and resume exactly once. */
class OutgoingBackPressureTest {

    /** The socket does not write: frames handed to it wait in {@code unsent} until a test lets one leave. */
    final RecordingTransport socket = new RecordingTransport(true);
    final AtomicInteger demands = socket.demands;
    final AtomicInteger disconnects = socket.disconnects;
    final List<Runnable> unsent = socket.unsent;
    final AtomicInteger roomCalls = new AtomicInteger();
    final LongAdder total = new LongAdder();
    final ClientConnection connection = socket.connection(
            ConnectionLimits.defaults().withOutgoing(4, 1_000_000, Duration.ofMinutes(5)), total);

    @Test
    void readingPausesOverTheBoundAndResumesOnceWhenBackUnder() {
        connection.onRoomForRelays(roomCalls::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            connection.sendEncoded("{\"type\":\"pong\"}");
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
            connection.sendEncoded("x");
        }
        assertEquals(0, disconnects.get());
        connection.sendEncoded("x");
        assertEquals(1, disconnects.get(), "the hard cap disconnects at once");
        connection.sendEncoded("x");
        assertEquals(4 * ConnectionLimits.HARD_CAP_FACTOR, unsent.size(), "nothing is queued past the cap or after it");
        assertEquals(1, disconnects.get());
    }
}
