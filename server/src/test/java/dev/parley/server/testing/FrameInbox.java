package dev.parley.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The frames a {@link TestClient} received, in order: queued by the socket's thread, taken by
 * the test's. A frame the catalogue refused is kept as an {@link AssertionError} and thrown by
 * the next read, on the test's thread.
 */
final class FrameInbox {

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    /** Frames passed over by {@link #await}, still to be seen by later calls, oldest first. */
    private final List<JsonNode> stash = new ArrayList<>();
    /** Frames the catalogue refused, reported by the next read instead of on the socket's thread. */
    private final List<AssertionError> refused = new CopyOnWriteArrayList<>();

    /** A frame arrived (socket thread). */
    void add(JsonNode frame) {
        received.add(frame);
    }

    /** A frame arrived that is not one of the protocol (socket thread). */
    void refused(AssertionError error) {
        refused.add(error);
    }

    void failOnRefused() {
        if (!refused.isEmpty()) {
            throw refused.getFirst();
        }
    }

    /** The next frame of any type. */
    JsonNode next() {
        failOnRefused();
        return poll(Duration.ofSeconds(10));
    }

    JsonNode poll(Duration timeout) {
        if (!stash.isEmpty()) {
            return stash.removeFirst();
        }
        try {
            JsonNode frame = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                fail("no frame within " + timeout);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Skips frames until one matches (within 10 s). */
    JsonNode await(Predicate<JsonNode> match) {
        failOnRefused();
        for (int i = 0; i < stash.size(); i++) {
            if (match.test(stash.get(i))) {
                return stash.remove(i);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<JsonNode> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode frame;
            try {
                frame = received.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (frame == null) {
                continue;
            }
            if (match.test(frame)) {
                return frame;
            }
            skipped.add(frame);
            stash.add(frame);
        }
        throw new AssertionError("no matching frame within 10 s; skipped " + skipped);
    }

    JsonNode awaitType(String type) {
        return await(f -> type.equals(f.path("type").asText()));
    }

    /** Frames that arrive within {@code quiet} of each other, until none does. */
    List<JsonNode> drain(Duration quiet) {
        failOnRefused();
        List<JsonNode> frames = new ArrayList<>(stash);
        stash.clear();
        try {
            JsonNode frame;
            while ((frame = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                frames.add(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return frames;
    }

    /** Like {@link #drain}, calling {@code onFrame} on each frame as it arrives. */
    List<JsonNode> drainUntilQuiet(Duration quiet, java.util.function.Consumer<JsonNode> onFrame) {
        List<JsonNode> frames = new ArrayList<>(stash);
        stash.clear();
        frames.forEach(onFrame);
        try {
            JsonNode frame;
            while ((frame = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                onFrame.accept(frame);
                frames.add(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return frames;
    }
}
