package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.config.ConnectionLimits;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class ConnectionBackPressureTest {

    final RecordingTransport socket = new RecordingTransport(false);
    final AtomicInteger demands = socket.demands;
    final ClientConnection connection = socket.connection(ConnectionLimits.defaults(), new LongAdder());

    @Test
    void theNextFrameIsDemandedAtOnceWhileFewSendsWaitForTheirCommit() {
        connection.sendPending();
        connection.frameHandled();
        assertEquals(1, demands.get());
        connection.sendSettled();
        assertEquals(1, demands.get(), "settling does not demand when reading was never paused");
    }

    @Test
    void readingPausesAtTheLimitAndResumesOnceWhenASendSettles() {
        for (int i = 0; i < ClientConnection.MAX_UNCOMMITTED_SENDS; i++) {
            connection.sendPending();
        }
        connection.frameHandled();
        assertEquals(0, demands.get(), "no next frame while " + ClientConnection.MAX_UNCOMMITTED_SENDS + " sends wait");
        connection.sendSettled();
        assertEquals(1, demands.get(), "the first commit resumes reading");
        connection.sendSettled();
        assertEquals(1, demands.get(), "and only once");
    }
}
