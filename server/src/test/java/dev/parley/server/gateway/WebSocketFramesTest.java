package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.WholeTextListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link SocketEndpoint} does at the WebSocket level itself: a text or binary message sent
 * in several fragments is handled once, whole; a WebSocket ping is answered with a pong that
 * carries its payload; and the connection goes on serving after each.
 */
class WebSocketFramesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testLimits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTextMessageInFragmentsIsHandledWhole() throws Exception {
        try (var socket = new RawSocket()) {
            socket.ws.sendText("{\"type\":\"pi", false).join();
            socket.ws.sendText("ng\",\"id\":\"frag", false).join();
            socket.ws.sendText("1\"}", true).join();
            assertEquals("frag1", socket.awaitType("pong").path("re").asText());
            socket.assertStillServed("after1");
        }
    }

    @Test
    void aBinaryMessageInFragmentsIsRefusedOnce() throws Exception {
        try (var socket = new RawSocket()) {
            socket.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false).join();
            socket.ws.sendBinary(ByteBuffer.wrap(new byte[] {3, 4}), true).join();
            assertEquals("bad_frame", socket.awaitType("error").path("code").asText());
            socket.assertStillServed("after2");
        }
    }

    @Test
    void aWebSocketPingIsAnsweredWithItsPayload() throws Exception {
        try (var socket = new RawSocket()) {
            socket.ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).join();
            String pong = socket.pongs.poll(5, TimeUnit.SECONDS);
            assertEquals("are you there", pong);
            socket.assertStillServed("after3");
        }
    }

    /** A bare JDK WebSocket to the server: every text message and every pong is queued. */
    private static final class RawSocket implements AutoCloseable {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
        final WebSocket ws;

        RawSocket() {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", server.origin())
                    .buildAsync(URI.create(server.wsUrl()), new WholeTextListener() {
                        @Override
                        protected boolean onFrameText(WebSocket webSocket, String text) {
                            try {
                                frames.add(JSON.readTree(text));
                            } catch (java.io.IOException e) {
                                throw new AssertionError("the server sent non-JSON: " + text, e);
                            }
                            return true;
                        }

                        @Override
                        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).join();
        }

        JsonNode awaitType(String type) throws InterruptedException {
            while (true) {
                JsonNode frame = frames.poll(5, TimeUnit.SECONDS);
                assertNotNull(frame, "no '" + type + "' frame within 5 s");
                if (frame.path("type").asText().equals(type)) {
                    return frame;
                }
            }
        }

        void assertStillServed(String id) throws InterruptedException {
            ws.sendText("{\"type\":\"ping\",\"id\":\"" + id + "\"}", true).join();
            assertEquals(id, awaitType("pong").path("re").asText());
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}
