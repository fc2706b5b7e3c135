package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.limits.RateLimits;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class ConnectionBackPressureTest {

    final AtomicInteger demands = new AtomicInteger();
    final Connection connection = new Connection("c1", "127.0.0.1", new Connection.Transport() {
        @Override
        public void sendText(String text, Runnable whenLeft) {
            whenLeft.run();
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
        }
    }, ConnectionLimits.defaults(), RateLimits.bucket(10, 10, Duration.ofSeconds(1), TimeMeter.SYSTEM_MILLISECONDS),
            user -> RateLimits.bucket(10, 10, Duration.ofSeconds(1), TimeMeter.SYSTEM_MILLISECONDS), new LongAdder(), why -> { });

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
        for (int i = 0; i < Connection.MAX_UNCOMMITTED_SENDS; i++) {
            connection.sendPending();
        }
        connection.frameHandled();
        assertEquals(0, demands.get(), "no next frame while " + Connection.MAX_UNCOMMITTED_SENDS + " sends wait");
        connection.sendSettled();
        assertEquals(1, demands.get(), "the first commit resumes reading");
        connection.sendSettled();
        assertEquals(1, demands.get(), "and only once");
    }
}
