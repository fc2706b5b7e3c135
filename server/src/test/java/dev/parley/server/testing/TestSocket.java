package dev.parley.server.testing;

import dev.parley.wire.WholeTextListener;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket under a {@link TestClient} (JDK HttpClient): sends text and binary frames, and
 * queues every text frame the server sends in a {@link FrameInbox} once the catalogue has
 * decoded it ({@link TestClient#decodeServerFrame}); a frame the catalogue refuses, or that is
 * not JSON, is kept by the inbox and fails the test at its next read, on the test's thread.
 */
final class TestSocket {

    private final FrameInbox inbox = new FrameInbox();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    TestSocket(WebSocket.Builder builder, String url) {
        this.socket = builder.buildAsync(URI.create(url), new Listener()).join();
    }

    FrameInbox inbox() {
        return inbox;
    }

    void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends without waiting (the server may close the connection meanwhile). */
    void sendTextAsync(String text) {
        socket.sendText(text, true);
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The close status code the server sent (-1 for an abort), or null if still open after {@code within}. */
    Integer closeCode(Duration within) {
        try {
            return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** Closes normally (aborting if the server does not answer within 2 s); then fails on a refused frame. */
    void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        closeCode(Duration.ofSeconds(2));
        socket.abort();
        inbox.failOnRefused();
    }

    private final class Listener extends WholeTextListener {

        @Override
        protected boolean onFrameText(WebSocket webSocket, String text) {
            try {
                TestClient.decodeServerFrame(text);
                inbox.add(TestClient.JSON.readTree(text));
            } catch (AssertionError | java.io.IOException e) {
                inbox.refused(e instanceof AssertionError a ? a : new AssertionError("the server sent non-JSON: " + text, e));
            }
            return true;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
