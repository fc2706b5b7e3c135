package dev.parley.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.AuthMessage;
import dev.parley.server.auth.RecoveryCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client of the wire protocol (JDK HttpClient), with helpers to register,
 * log in and exchange frames. Frames received are queued; {@link #next} and {@link #await}
 * take them in order.
 */
public final class TestClient implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    /** Frames passed over by {@link #await}, still to be seen by later calls, oldest first. */
    private final List<JsonNode> stash = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final String origin;
    private TestIdentity identity = new TestIdentity();
    private String username;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private String recoveryCode;
    private byte[] challenge;

    private TestClient(WebSocket.Builder builder, String url, String origin) {
        this.origin = origin;
        this.socket = builder.buildAsync(URI.create(url), new Listener()).join();
    }

    public static TestClient connect(TestServer server) {
        return connect(server.wsUrl(), server.origin());
    }

    public static TestClient connect(String url, String origin) {
        var client = new TestClient(HTTP.newWebSocketBuilder().header("Origin", origin).connectTimeout(Duration.ofSeconds(5)),
                url, origin);
        client.challenge = client.nextChallenge();
        return client;
    }

    /** Connects with extra upgrade request headers (e.g. {@code X-Forwarded-For}). */
    public static TestClient connect(TestServer server, java.util.Map<String, String> headers) {
        var builder = HTTP.newWebSocketBuilder().header("Origin", server.origin()).connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        var client = new TestClient(builder, server.wsUrl(), server.origin());
        client.challenge = client.nextChallenge();
        return client;
    }

    /** Connects, registers {@code name} with a fresh identity and returns the logged-in client. */
    public static TestClient registered(TestServer server, String name) {
        var client = connect(server);
        JsonNode reply = client.register(name);
        assertEquals("registered", reply.get("type").asText(), () -> "register failed: " + reply);
        return client;
    }

    /** Registers {@code name} with a fresh identity and disconnects: an account that is offline. */
    public static TestIdentity registeredOffline(TestServer server, String name) {
        try (var client = registered(server, name)) {
            return client.identity();
        }
    }

    /** Connects and logs in as {@code name} with {@code identity}. */
    public static TestClient loggedIn(TestServer server, String name, TestIdentity identity) {
        var client = connect(server);
        client.identity(identity);
        JsonNode reply = client.login(name);
        assertEquals("logged_in", reply.path("type").asText(), () -> "login failed: " + reply);
        return client;
    }

    public JsonNode register(String name) {
        this.username = name;
        this.recoveryCode = dev.parley.wire.signed.RecoveryCodes.display(dev.parley.wire.signed.RecoveryCodes.generate(RANDOM));
        ObjectNode frame = authFrame("register", name, identity);
        frame.set("identity", identityJson(identity));
        frame.put("recoveryHash", b64(RecoveryCodes.hash(dev.parley.wire.signed.RecoveryCodes.canonical(recoveryCode).orElseThrow())));
        return request(frame);
    }

    public JsonNode login(String name) {
        this.username = name;
        return request(authFrame("login", name, identity));
    }

    /** Resets {@code name} to a new identity with the recovery code; this client adopts the new identity. */
    public JsonNode reset(String name, String code, TestIdentity newIdentity) {
        ObjectNode frame = authFrame("reset", name, newIdentity);
        frame.put("recoveryCode", code);
        frame.set("identity", identityJson(newIdentity));
        this.recoveryCode = dev.parley.wire.signed.RecoveryCodes.display(dev.parley.wire.signed.RecoveryCodes.generate(RANDOM));
        frame.put("recoveryHash", b64(RecoveryCodes.hash(dev.parley.wire.signed.RecoveryCodes.canonical(recoveryCode).orElseThrow())));
        this.identity = newIdentity;
        this.username = name;
        return request(frame);
    }

    /** An auth frame signed over the current challenge; the challenge is then used up. */
    public ObjectNode authFrame(String action, String name, TestIdentity signer) {
        long timestamp = System.currentTimeMillis();
        byte[] message = AuthMessage.encode(challenge, origin, timestamp, action, name);
        ObjectNode frame = JSON.createObjectNode().put("type", action).put("id", nextId())
                .put("username", name).put("origin", origin).put("timestamp", timestamp)
                .put("signature", b64(signer.sign(message)));
        return frame;
    }

    public static ObjectNode identityJson(TestIdentity identity) {
        return JSON.createObjectNode().put("signingKey", b64(identity.signingPublic))
                .put("dhKey", b64(identity.dhPublic)).put("binding", b64(identity.binding));
    }

    /** Sends a frame with an {@code id} and returns the first frame answering it ({@code re} = id). */
    public JsonNode request(ObjectNode frame) {
        if (!frame.has("id")) {
            frame.put("id", nextId());
        }
        String id = frame.get("id").asText();
        send(frame);
        JsonNode reply = await(f -> id.equals(f.path("re").asText(null)));
        // Failed auth attempts are followed by a fresh challenge; keep it for the next attempt.
        if (reply.path("type").asText().equals("error") && isAuth(frame)) {
            challenge = nextChallenge();
        }
        return reply;
    }

    private static boolean isAuth(ObjectNode frame) {
        String type = frame.path("type").asText();
        return type.equals("register") || type.equals("login") || type.equals("reset");
    }

    public void send(ObjectNode frame) {
        sendText(frame.toString());
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends without waiting (the server may close the connection meanwhile). */
    public void sendTextAsync(String text) {
        socket.sendText(text, true);
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    /** The next frame of any type. */
    public JsonNode next() {
        return poll(Duration.ofSeconds(10));
    }

    public JsonNode poll(Duration timeout) {
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
    public JsonNode await(Predicate<JsonNode> match) {
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

    public JsonNode awaitType(String type) {
        return await(f -> type.equals(f.path("type").asText()));
    }

    /** Frames that arrive within {@code quiet} of each other, until none does. */
    public List<JsonNode> drain(Duration quiet) {
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
    public List<JsonNode> drainUntilQuiet(Duration quiet, java.util.function.Consumer<JsonNode> onFrame) {
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

    private byte[] nextChallenge() {
        JsonNode frame = awaitType("challenge");
        return B64D.decode(frame.get("nonce").asText());
    }

    /** Sends a message; returns the server's answer ({@code stored} or an error). */
    public JsonNode sendMessage(String to, String messageId, String envelope) {
        ObjectNode frame = JSON.createObjectNode().put("type", "send_message").put("id", messageId)
                .put("to", to).put("envelope", envelope);
        send(frame);
        return await(f -> messageId.equals(f.path("re").asText(null)));
    }

    public void ack(JsonNode relay) {
        send(JSON.createObjectNode().put("type", "ack").put("id", relay.get("id").asText())
                .put("from", relay.get("from").asText()));
    }

    public boolean isClosed(Duration within) {
        try {
            closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The close status code the server sent (-1 for an abort), or null if still open after {@code within}. */
    public Integer closeCode(Duration within) {
        try {
            return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    public String username() {
        return username;
    }

    public String recoveryCode() {
        return recoveryCode;
    }

    public TestIdentity identity() {
        return identity;
    }

    /** Uses an existing identity (to log in again as a registered user). */
    public void identity(TestIdentity existing) {
        this.identity = existing;
    }

    public static String nextId() {
        return "r" + REQUEST_IDS.incrementAndGet();
    }

    public static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        isClosed(Duration.ofSeconds(2));
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException("server sent non-JSON", e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
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
