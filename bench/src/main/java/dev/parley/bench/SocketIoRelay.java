package dev.parley.bench;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * Relay pairs on a socket.io relay that speaks the seed's events: {@code register{username,
 * public_key}} (answered by a {@code public_keys} broadcast), {@code send_message{to, ...}}
 * relayed to the recipient's room as {@code relay_message}. Those relays keep nothing and have
 * no acknowledgements, so this is the transport without durability. WebSocket transport only.
 */
final class SocketIoRelay implements RelayTransport {

    /**
     * One OkHttp client for all sockets, without OkHttp's default of 5 concurrent requests per
     * host (which queues the handshakes of a hundred sockets into connect timeouts).
     */
    private final OkHttpClient http;
    private final Target target;
    private final String prefix = Accounts.runPrefix();
    private final List<Socket> senders = new ArrayList<>();
    private final List<Socket> receivers = new ArrayList<>();
    private String[] receiverNames;
    private String[] envelopes;

    SocketIoRelay(Target target) {
        this.target = target;
        var dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(100_000);
        dispatcher.setMaxRequestsPerHost(100_000);
        this.http = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(0, TimeUnit.MILLISECONDS)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    @Override
    public void open(int pairs, int envelopeBytes, Sink sink) {
        var random = new SecureRandom();
        receiverNames = new String[pairs];
        envelopes = new String[pairs];
        for (int i = 0; i < pairs; i++) {
            receiverNames[i] = prefix + "_r" + i;
            byte[] envelope = new byte[envelopeBytes];
            random.nextBytes(envelope);
            envelopes[i] = Base64.getUrlEncoder().withoutPadding().encodeToString(envelope);
        }
        List<CompletableFuture<Void>> registered = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Socket receiver = socket();
            receiver.on("relay_message", args -> {
                if (args.length > 0 && args[0] instanceof JSONObject message) {
                    sink.delivered(message.optString("id"));
                }
            });
            receivers.add(receiver);
            registered.add(register(receiver, receiverNames[i], sink));
            Socket sender = socket();
            senders.add(sender);
            registered.add(register(sender, prefix + "_s" + i, sink));
        }
        CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    }

    private Socket socket() {
        var options = IO.Options.builder().setTransports(new String[] {WebSocket.NAME})
                .setForceNew(true).setReconnection(false).setTimeout(60_000).build();
        options.callFactory = http;
        options.webSocketFactory = http;
        return IO.socket(URI.create(target.httpBase()), options);
    }

    /** Registers on connect; done when a {@code public_keys} broadcast lists the name. */
    private static CompletableFuture<Void> register(Socket socket, String username, Sink sink) {
        var done = new CompletableFuture<Void>();
        socket.on("public_keys", args -> {
            if (!done.isDone() && args.length > 0 && args[0] instanceof JSONArray users && lists(users, username)) {
                done.complete(null);
            }
        });
        socket.on(Socket.EVENT_CONNECT, args -> socket.emit("register", object("username", username, "public_key", "-")));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> {
            done.completeExceptionally(new IllegalStateException("socket.io connect failed: " + (args.length > 0 ? args[0] : "")));
            sink.error("connect_error");
        });
        socket.on(Socket.EVENT_DISCONNECT, args -> sink.error("disconnected"));
        socket.connect();
        return done;
    }

    private static boolean lists(JSONArray users, String username) {
        for (int i = users.length() - 1; i >= 0; i--) {
            JSONObject user = users.optJSONObject(i);
            if (user != null && username.equals(user.optString("username"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void send(int pair, String messageId) {
        senders.get(pair).emit("send_message", object("to", receiverNames[pair], "from", prefix + "_s" + pair,
                "id", messageId, "envelope", envelopes[pair]));
    }

    private static JSONObject object(String... keysAndValues) {
        try {
            var object = new JSONObject();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                object.put(keysAndValues[i], keysAndValues[i + 1]);
            }
            return object;
        } catch (JSONException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public int connections() {
        return senders.size() + receivers.size();
    }

    @Override
    public void close() {
        for (Socket socket : senders) {
            socket.off();
            socket.disconnect();
        }
        for (Socket socket : receivers) {
            socket.off();
            socket.disconnect();
        }
        http.dispatcher().executorService().shutdown();
    }
}
