package dev.parley.client.net;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.wire.Direction;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.WholeTextListener;
import dev.parley.wire.WireFrame;
import dev.parley.wire.frames.SessionFrames.Challenge;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
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
 * One WebSocket to a Parley server (PROTOCOL.md §1) on the JDK's {@link HttpClient}: frames of
 * the wire catalogue ({@link FrameCatalogue}) both ways, requests matched to their answers by
 * {@code re}, unprompted frames handed to a consumer, and WebSocket pings so that an idle
 * connection stays open. Every received frame is decoded as a server frame; one the catalogue
 * refuses (not JSON, an unknown type, a wrong field) closes the connection, with the reason in
 * {@link Closed}: a client acts only on frames it fully understands.
 *
 * <p>Answers: a frame whose {@code re} names a pending request completes it (an {@code error}
 * completes it exceptionally with a {@link ServerError}; an answer of another type than the
 * request expects fails it with {@link Reason#FAILED}). Every
 * other frame goes to {@code unprompted}, in arrival order, on the WebSocket's listener thread:
 * the consumer must not block (the SDK hands frames to its own worker). Unprompted frames are
 * held until {@link #startDelivering()}, so that a queue replay right after login waits until
 * the caller is ready for it.
 */
public final class ServerConnection implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * Why the connection ended: the WebSocket status, or -1 for a transport error or a frame the
     * catalogue refused, and the code of the server's last unprompted {@code error} (null if none
     * or one this client does not know).
     */
    public record Closed(int status, String reason, ErrorCode serverCode) {}

    private final ServerAddress server;
    private final Map<String, CompletableFuture<WireFrame>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<byte[]> challenges = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicLong requestIds = new AtomicLong();
    private final Consumer<WireFrame> unprompted;
    private final ScheduledExecutorService pinger;
    private final List<WireFrame> held = new ArrayList<>();
    private boolean delivering;
    private volatile ErrorCode lastServerCode;
    private WebSocket socket;

    private ServerConnection(ServerAddress server, Consumer<WireFrame> unprompted) {
        this.server = server;
        this.unprompted = unprompted;
        this.pinger = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parley-ping").factory());
    }

    /** Opens the WebSocket and waits for the server's first challenge. */
    public static ServerConnection open(ServerAddress server, Consumer<WireFrame> unprompted) throws ClientException {
        var connection = new ServerConnection(server, unprompted);
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
     * Sends a request and returns the future of its answer, of type {@code answer}. A request
     * with the id of one still pending shares that one's answer (a resend of a message).
     */
    public <A extends WireFrame.Answer> CompletableFuture<A> requestAsync(WireFrame.Request frame, Class<A> answer) {
        String id = frame.id();
        CompletableFuture<WireFrame> reply = pending.computeIfAbsent(id, key -> new CompletableFuture<>());
        reply.whenComplete((done, error) -> pending.remove(id, reply));
        try {
            send(frame);
        } catch (ClientException e) {
            reply.completeExceptionally(e);
        }
        return reply.thenApply(received -> {
            if (!answer.isInstance(received)) {
                throw new CompletionException(new ClientException(Reason.FAILED, "the server answered "
                        + FrameCatalogue.typeOf(frame).name() + " with " + FrameCatalogue.typeOf(received).name()));
            }
            return answer.cast(received);
        });
    }

    /** Sends a request and waits for its answer. */
    public <A extends WireFrame.Answer> A request(WireFrame.Request frame, Class<A> answer, Duration timeout)
            throws ClientException, ServerError {
        return await(requestAsync(frame, answer), timeout, FrameCatalogue.typeOf(frame).name());
    }

    /** Waits for an answer future; translates failures into the SDK's exceptions. */
    public <A> A await(CompletableFuture<A> answer, Duration timeout, String what) throws ClientException, ServerError {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Reason.FAILED, "interrupted while waiting for " + what);
        } catch (TimeoutException e) {
            throw new ClientException(Reason.TIMEOUT, "no answer from the server to " + what + " within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() instanceof CompletionException nested ? nested.getCause() : e.getCause();
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
    public void send(WireFrame frame) throws ClientException {
        if (closed.isDone()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "the connection to " + server + " is closed");
        }
        sendLock.lock();
        try {
            socket.sendText(FrameCatalogue.encode(frame), true).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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

    private void dispatch(WireFrame frame) {
        if (frame instanceof Challenge challenge) {
            challenges.add(challenge.nonce());
            return;
        }
        String re = frame instanceof WireFrame.Answer answer ? answer.re() : null;
        if (frame instanceof ErrorFrame error && re == null) {
            lastServerCode = error.knownCode().orElse(null);
        }
        CompletableFuture<WireFrame> answer = re == null ? null : pending.get(re);
        if (answer != null) {
            if (frame instanceof ErrorFrame error) {
                answer.completeExceptionally(new ServerError(error));
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

    private final class Listener extends WholeTextListener {

        @Override
        protected boolean onFrameText(WebSocket webSocket, String text) {
            WireFrame frame;
            try {
                frame = FrameCatalogue.decode(Direction.SERVER_TO_CLIENT, text);
            } catch (FrameRefused refused) {
                webSocket.abort();
                finish(new Closed(-1, "the server sent a frame this client cannot accept ("
                        + refused.code().wireName() + ": " + refused.getMessage() + ")", lastServerCode));
                return false;
            }
            dispatch(frame);
            return true;
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
