package dev.parley.bench;

import dev.parley.wire.WholeTextListener;
import dev.parley.wire.Direction;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.AuthFrames;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.SessionFrames;
import dev.parley.wire.signed.SignedBytes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One load-generator device on a JDK WebSocket, speaking docs/PROTOCOL.md through the wire
 * catalogue: waits for the server's challenge, registers or logs in with a signed auth frame,
 * and sends frames.
 *
 * <p>Every frame received is decoded by {@link FrameCatalogue}. Answers to this client's
 * requests complete the request's future; every other frame (relayed messages, the
 * {@code stored} answers of messages sent as text, errors about a message) goes to the
 * {@code onFrame} callback, on the HttpClient's executor thread. A frame the catalogue refuses
 * reaches the callback as an error frame, so a scenario counts it instead of missing it.
 *
 * <p>The JDK WebSocket allows one outstanding send at a time, so {@link #send} chains each
 * frame after the previous one; it may be called from any thread.
 */
final class BenchClient implements AutoCloseable {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    private static final BiConsumer<BenchClient, WireFrame> IGNORE = (client, frame) -> { };

    private final String origin;
    private final CompletableFuture<byte[]> challenge = new CompletableFuture<>();
    private final Map<String, CompletableFuture<WireFrame>> requests = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile BiConsumer<BenchClient, WireFrame> onFrame = IGNORE;
    private WebSocket socket;
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private BenchClient(String origin) {
        this.origin = origin;
    }

    /** Connects and waits for the server's first challenge. */
    static CompletableFuture<BenchClient> connect(HttpClient http, Target target) {
        var client = new BenchClient(target.origin());
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(target.wsUrl()), client.new Listener())
                .thenCompose(socket -> {
                    client.socket = socket;
                    return client.challenge;
                })
                .thenApply(nonce -> client);
    }

    void onFrame(BiConsumer<BenchClient, WireFrame> handler) {
        this.onFrame = handler;
    }

    /**
     * Registers {@code name} with {@code identity}, this connection as its device 1 with
     * {@code deviceKey}, linked at {@code linkedAt} (device list version 1); completes with the
     * answer (registered or error). The bench never resets an account, so the recovery hash is zeros.
     */
    CompletableFuture<WireFrame> register(String name, BenchIdentity identity, BenchDeviceKey deviceKey, long linkedAt) {
        var list = identity.deviceList(1, List.of(new DeviceEntry(1, deviceKey.publicKey(), linkedAt)));
        return authenticate((nonce, timestamp) -> SignedBytes.auth(nonce, origin, timestamp, AuthFrames.Register.TYPE, name),
                identity::sign, (id, signed) -> new AuthFrames.Register(id, name, identity.keys(),
                        new byte[WireLimits.HASH_BYTES], list, origin, signed.timestamp(), signed.signature()));
    }

    /** Logs in as device {@code device} of {@code name}; completes with the answer (logged_in or error). */
    CompletableFuture<WireFrame> login(String name, int device, BenchDeviceKey deviceKey) {
        return authenticate((nonce, timestamp) -> SignedBytes.deviceAuth(nonce, origin, timestamp, name, device), deviceKey::sign,
                (id, signed) -> new AuthFrames.Login(id, name, device, origin, signed.timestamp(), signed.signature()));
    }

    private record AuthSignature(long timestamp, byte[] signature) {
    }

    private interface AuthFrame {
        WireFrame.Request build(String id, AuthSignature signed);
    }

    /** The signed bytes of an auth frame over the connection's challenge and the frame's timestamp. */
    private interface AuthBytes {
        byte[] of(byte[] nonce, long timestamp);
    }

    private CompletableFuture<WireFrame> authenticate(AuthBytes bytes, Function<byte[], byte[]> signer, AuthFrame frame) {
        byte[] nonce = challenge.getNow(null);
        if (nonce == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no challenge yet"));
        }
        long timestamp = System.currentTimeMillis();
        byte[] signature = signer.apply(bytes.of(nonce, timestamp));
        return request(frame.build("q" + REQUEST_IDS.incrementAndGet(), new AuthSignature(timestamp, signature)));
    }

    /** Sends a request; completes with the first frame whose {@code re} is its id. */
    CompletableFuture<WireFrame> request(WireFrame.Request frame) {
        var answer = new CompletableFuture<WireFrame>();
        requests.put(frame.id(), answer);
        send(FrameCatalogue.encode(frame)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                requests.remove(frame.id());
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    /** Queues one text frame (encoded by the catalogue or a {@link FrameTemplate}); completes when the WebSocket has taken it. */
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
        WireFrame frame;
        try {
            frame = FrameCatalogue.decode(Direction.SERVER_TO_CLIENT, text);
        } catch (FrameRefused e) {
            onFrame.accept(this, SessionFrames.ErrorFrame.of(ErrorCode.BAD_FRAME, "unreadable frame from the server: "
                    + e.getMessage(), null));
            return;
        }
        if (frame instanceof WireFrame.Answer answer && answer.re() != null) {
            var pending = requests.remove(answer.re());
            if (pending != null) {
                pending.complete(frame);
                return;
            }
        }
        if (frame instanceof SessionFrames.Challenge first && !challenge.isDone()) {
            challenge.complete(first.nonce());
            return;
        }
        onFrame.accept(this, frame);
    }

    private final class Listener extends WholeTextListener {

        @Override
        protected boolean onFrameText(WebSocket webSocket, String text) {
            dispatch(text);
            return true;
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
