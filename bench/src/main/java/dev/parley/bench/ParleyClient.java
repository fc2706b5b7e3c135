package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One Parley device on a JDK WebSocket, speaking docs/PROTOCOL.md: waits for the server's
 * {@code challenge}, registers or logs in with a signed auth frame, and sends frames.
 *
 * <p>Answers to requests (frames with {@code re}) complete the request's future; every other
 * frame ({@code relay_message}, the {@code ack} of a {@code send_message}, errors about a
 * message) goes to the {@code onFrame} callback, on the HttpClient's executor thread.
 *
 * <p>The JDK WebSocket allows one outstanding send at a time, so {@link #send} chains each
 * frame after the previous one; it may be called from any thread.
 */
final class ParleyClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    private static final BiConsumer<ParleyClient, JsonNode> IGNORE = (client, frame) -> { };

    private final String origin;
    private final CompletableFuture<byte[]> challenge = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> requests = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile BiConsumer<ParleyClient, JsonNode> onFrame = IGNORE;
    private WebSocket socket;
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private String username;

    private ParleyClient(String origin) {
        this.origin = origin;
    }

    /** Connects and waits for the server's first challenge. */
    static CompletableFuture<ParleyClient> connect(HttpClient http, Target target) {
        var client = new ParleyClient(target.origin());
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(target.wsUrl()), client.new Listener())
                .thenCompose(socket -> {
                    client.socket = socket;
                    return client.challenge;
                })
                .thenApply(nonce -> client);
    }

    void onFrame(BiConsumer<ParleyClient, JsonNode> handler) {
        this.onFrame = handler;
    }

    String username() {
        return username;
    }

    /** Registers {@code name} with {@code identity}; completes with the answer (registered or error). */
    CompletableFuture<JsonNode> register(String name, Identity identity) {
        String fields = ",\"identity\":" + identity.json() + ",\"recoveryHash\":\"" + Identity.B64.encodeToString(new byte[32]) + "\"";
        return authenticate("register", name, identity, fields);
    }

    /** Logs in as {@code name}; completes with the answer (logged_in or error). */
    CompletableFuture<JsonNode> login(String name, Identity identity) {
        return authenticate("login", name, identity, "");
    }

    private CompletableFuture<JsonNode> authenticate(String action, String name, Identity identity, String extraFields) {
        byte[] nonce = challenge.getNow(null);
        if (nonce == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no challenge yet"));
        }
        this.username = name;
        long timestamp = System.currentTimeMillis();
        byte[] signature = identity.sign(Identity.authMessage(nonce, origin, timestamp, action, name));
        String id = "q" + REQUEST_IDS.incrementAndGet();
        String frame = "{\"type\":\"" + action + "\",\"id\":\"" + id + "\",\"username\":\"" + name + "\",\"origin\":\"" + origin
                + "\",\"timestamp\":" + timestamp + ",\"signature\":\"" + Identity.B64.encodeToString(signature) + "\""
                + extraFields + "}";
        return request(id, frame);
    }

    /** Sends a frame whose {@code id} is {@code id}; completes with the first frame carrying {@code re} = id. */
    CompletableFuture<JsonNode> request(String id, String frame) {
        var answer = new CompletableFuture<JsonNode>();
        requests.put(id, answer);
        send(frame).whenComplete((ignored, failure) -> {
            if (failure != null) {
                requests.remove(id);
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    /** Queues one text frame; completes when the WebSocket has taken it. */
    synchronized CompletableFuture<?> send(String text) {
        CompletableFuture<?> next = lastSend.handle((ignored, failure) -> null)
                .thenCompose(ignored -> socket.sendText(text, true));
        lastSend = next;
        return next;
    }

    /** Completes when the server closed the socket or it failed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (socket != null) {
            synchronized (this) {
                lastSend = lastSend.handle((ignored, failure) -> null)
                        .thenCompose(ignored -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                        .exceptionally(failure -> null);
            }
        }
    }

    /** Closes at once without the closing handshake (for idle teardown of many sockets). */
    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    private void dispatch(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        JsonNode re = frame.get("re");
        if (re != null) {
            var answer = requests.remove(re.asText());
            if (answer != null) {
                answer.complete(frame);
                return;
            }
        }
        if (!challenge.isDone() && "challenge".equals(frame.path("type").asText())) {
            challenge.complete(B64D.decode(frame.get("nonce").asText()));
            return;
        }
        onFrame.accept(this, frame);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last && partial.isEmpty()) {
                dispatch(data.toString());
            } else {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    dispatch(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failPending(new IllegalStateException("closed by the server: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failPending(error);
        }

        private void failPending(Throwable cause) {
            challenge.completeExceptionally(cause);
            requests.values().forEach(answer -> answer.completeExceptionally(cause));
            requests.clear();
            closed.complete(null);
        }
    }
}
