package dev.parley.client.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One WebSocket to a Parley server (PROTOCOL.md §1) on the JDK's {@link HttpClient}: JSON text
 * frames, requests matched to their answers by id, unprompted frames handed to a consumer, and
 * WebSocket pings so that an idle connection stays open.
 *
 * <p>Answers: a frame whose {@code re} names a pending request completes it (an {@code error}
 * completes it exceptionally with a {@link ServerError}). Every
 * other frame goes to {@code unprompted}, in arrival order, on the WebSocket's listener thread:
 * the consumer must not block (the SDK hands frames to its own worker). Unprompted frames are
 * held until {@link #startDelivering()}, so that a queue replay right after login waits until
 * the caller is ready for it.
 */
public final class Connection implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /** Why the connection ended: the WebSocket status, or -1 for a transport error, and the server's last error code if any. */
    public record Closed(int status, String reason, String serverCode) {}

    private final ServerAddress server;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<byte[]> challenges = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicLong requestIds = new AtomicLong();
    private final Consumer<JsonNode> unprompted;
    private final ScheduledExecutorService pinger;
    private final List<JsonNode> held = new ArrayList<>();
    private boolean delivering;
    private volatile String lastServerCode;
    private WebSocket socket;

    private Connection(ServerAddress server, Consumer<JsonNode> unprompted) {
        this.server = server;
        this.unprompted = unprompted;
        this.pinger = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parley-ping").factory());
    }

    /** Opens the WebSocket and waits for the server's first challenge. */
    public static Connection open(ServerAddress server, Consumer<JsonNode> unprompted) throws ClientException {
        var connection = new Connection(server, unprompted);
        try {
            connection.socket = HTTP.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(server.webSocket(), connection.new Listener())
                    .get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.pinger.shutdownNow();
            throw new ClientException(Reason.SERVER_UNREACHABLE, "interrupted while connecting to " + server);
        } catch (ExecutionException | TimeoutException e) {
            connection.pinger.shutdownNow();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ClientException(Reason.SERVER_UNREACHABLE, "cannot reach the Parley server at " + server
                    + " (" + describe(cause) + ")", cause);
        }
        connection.pinger.scheduleAtFixedRate(connection::ping, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return connection;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof java.net.http.WebSocketHandshakeException handshake) {
            return "WebSocket upgrade refused with HTTP " + handshake.getResponse().statusCode();
        }
        if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    public ServerAddress server() {
        return server;
    }

    /** The next unused challenge nonce (a fresh one follows every failed auth attempt). */
    public byte[] takeChallenge() throws ClientException {
        try {
            byte[] nonce = challenges.poll(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (nonce == null) {
                throw new ClientException(Reason.SERVER_UNREACHABLE, "the server at " + server + " sent no challenge");
            }
            return nonce;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Reason.FAILED, "interrupted");
        }
    }

    public String nextRequestId() {
        return "q" + requestIds.incrementAndGet();
    }

    /**
     * Sends a request and returns the future of its answer. The frame's {@code id} is set if
     * absent. A request with the id of one still pending shares that one's future.
     */
    public CompletableFuture<JsonNode> requestAsync(ObjectNode frame) {
        if (!frame.hasNonNull("id")) {
            frame.put("id", nextRequestId());
        }
        String id = frame.get("id").asText();
        CompletableFuture<JsonNode> answer = pending.computeIfAbsent(id, key -> new CompletableFuture<>());
        answer.whenComplete((reply, error) -> pending.remove(id, answer));
        try {
            send(frame);
        } catch (ClientException e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /** Sends a request and waits for its answer. */
    public JsonNode request(ObjectNode frame, Duration timeout) throws ClientException, ServerError {
        return await(requestAsync(frame), timeout, frame.path("type").asText());
    }

    /** Waits for an answer future; translates failures into the SDK's exceptions. */
    public JsonNode await(CompletableFuture<JsonNode> answer, Duration timeout, String what)
            throws ClientException, ServerError {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Reason.FAILED, "interrupted while waiting for " + what);
        } catch (TimeoutException e) {
            throw new ClientException(Reason.TIMEOUT, "no answer from the server to " + what + " within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ServerError serverError) {
                throw serverError;
            }
            if (cause instanceof ClientException clientException) {
                throw clientException;
            }
            throw new ClientException(Reason.FAILED, "request " + what + " failed", cause);
        }
    }

    /** Sends one frame (frames are sent one at a time, as the WebSocket API requires). */
    public void send(ObjectNode frame) throws ClientException {
        if (closed.isDone()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "the connection to " + server + " is closed");
        }
        sendLock.lock();
        try {
            socket.sendText(frame.toString(), true).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Reason.FAILED, "interrupted while sending");
        } catch (ExecutionException | TimeoutException e) {
            socket.abort();
            throw new ClientException(Reason.SERVER_UNREACHABLE, "lost the connection to " + server, e);
        } finally {
            sendLock.unlock();
        }
    }

    private void ping() {
        if (closed.isDone() || !sendLock.tryLock()) {
            return;
        }
        try {
            // At most one send may be outstanding on a WebSocket: wait for the ping to go out.
            socket.sendPing(ByteBuffer.allocate(0)).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException broken) {
            socket.abort(); // the close handler reports the broken connection
        } finally {
            sendLock.unlock();
        }
    }

    /** Completes when the connection has ended, whoever ended it. */
    public CompletableFuture<Closed> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        pinger.shutdownNow();
        if (socket != null && !closed.isDone()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ignored) {
                // aborted below
            }
            socket.abort();
        }
        finish(new Closed(WebSocket.NORMAL_CLOSURE, "closed by the client", null));
    }

    private void finish(Closed how) {
        pinger.shutdownNow();
        if (closed.complete(how)) {
            var gone = new ClientException(Reason.SERVER_UNREACHABLE, "the connection to " + server + " was closed");
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    private void dispatch(JsonNode frame) {
        String type = frame.path("type").asText();
        if (type.equals("challenge")) {
            challenges.add(B64D.decode(frame.path("nonce").asText()));
            return;
        }
        String re = frame.path("re").asText(null);
        if (type.equals("error") && re == null) {
            lastServerCode = frame.path("code").asText();
        }
        CompletableFuture<JsonNode> answer = null;
        if (re != null) {
            answer = pending.get(re);
        }
        if (answer != null) {
            if (type.equals("error")) {
                answer.completeExceptionally(new ServerError(frame.path("code").asText(), frame.path("message").asText()));
            } else {
                answer.complete(frame);
            }
            return;
        }
        synchronized (held) {
            if (delivering) {
                unprompted.accept(frame);
            } else {
                held.add(frame);
            }
        }
    }

    /** Hands the unprompted frames held so far, then every later one, to the consumer, in order. */
    public void startDelivering() {
        synchronized (held) {
            delivering = true;
            held.forEach(unprompted);
            held.clear();
        }
    }

    public static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    public static byte[] fromB64(String text) {
        return B64D.decode(text);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(JSON.readTree(text));
                } catch (IOException e) {
                    webSocket.abort();
                    finish(new Closed(-1, "the server sent a frame that is not JSON", null));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            finish(new Closed(statusCode, reason, lastServerCode));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            finish(new Closed(-1, describe(error), lastServerCode));
        }
    }
}
