package dev.parley.server.gateway;

import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.limits.FrameRates;
import io.github.bucket4j.TimeMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link ClientConnection.Transport} for unit tests of a connection's reading and writing: counts
 * demands and disconnects, and either writes every frame at once or holds them ({@link #unsent})
 * until the test lets one leave.
 */
final class RecordingTransport implements ClientConnection.Transport {

    final AtomicInteger demands = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    /** Frames handed to the socket whose callback has not run (when frames are held). */
    final List<Runnable> unsent = new ArrayList<>();
    private final boolean holdFrames;

    RecordingTransport(boolean holdFrames) {
        this.holdFrames = holdFrames;
    }

    /** A connection over this transport with these limits and a generous frame rate. */
    ClientConnection connection(ConnectionLimits limits, LongAdder totalQueued) {
        return new ClientConnection(1, "127.0.0.1", this, limits, new FrameRates(10, 10, TimeMeter.SYSTEM_MILLISECONDS),
                totalQueued, (connection, why) -> { });
    }

    @Override
    public void sendText(String text, Runnable whenLeft) {
        if (holdFrames) {
            unsent.add(whenLeft);
        } else {
            whenLeft.run();
        }
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
}
