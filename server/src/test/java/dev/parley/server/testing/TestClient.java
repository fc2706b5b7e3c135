package dev.parley.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.wire.Direction;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.AuthFrames.Login;
import dev.parley.wire.frames.AuthFrames.Register;
import dev.parley.wire.frames.AuthFrames.Reset;
import dev.parley.wire.frames.DeliveryFrames.Ack;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.SessionFrames.Challenge;
import dev.parley.wire.signed.RecoveryCodes;
import dev.parley.wire.signed.SignedBytes;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client of the wire protocol (JDK HttpClient), with helpers to register,
 * log in as a device and exchange frames. A client that registers or resets is device 1 of its
 * account, with its identity's {@link TestIdentity#firstDevice} key; {@link #asDevice} makes it
 * another (linked) device. The frames it builds are wire records encoded by the
 * {@link FrameCatalogue}; every frame it receives is decoded by the catalogue
 * ({@link #decodeServerFrame}), and one the catalogue refuses fails the test at the next read,
 * so every frame the server sends in a test is checked against the catalogue. Frames received
 * are queued as JSON trees; {@link #next} and {@link #await} take them in order. The socket is
 * a {@link TestSocket}; sends to every device of a recipient are a {@link TestFanOut}'s.
 */
public final class TestClient implements AutoCloseable {

    public static final ObjectMapper JSON = WireJson.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    private final TestSocket socket;
    private final FrameInbox inbox;
    private final TestFanOut fanOut = new TestFanOut(this);
    private final String origin;
    private TestIdentity identity = new TestIdentity();
    private String username;
    private int device = 1;
    /** The device key logins are signed with; null: the identity's first device's. */
    private TestDeviceKey deviceKey;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private String recoveryCode;
    private byte[] challenge;

    private TestClient(WebSocket.Builder builder, String url, String origin) {
        this.origin = origin;
        this.socket = new TestSocket(builder, url);
        this.inbox = socket.inbox();
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

    /** Connects and logs in as device 1 of {@code name}, the device that registered with {@code identity}. */
    public static TestClient loggedIn(TestServer server, String name, TestIdentity identity) {
        var client = connect(server);
        client.identity(identity);
        JsonNode reply = client.login(name);
        assertEquals("logged_in", reply.path("type").asText(), () -> "login failed: " + reply);
        return client;
    }

    /** Connects and logs in as device {@code device} of {@code name}, an account of {@code identity}, with {@code key}. */
    public static TestClient loggedInDevice(TestServer server, String name, TestIdentity identity, int device, TestDeviceKey key) {
        var client = connect(server);
        client.identity(identity);
        client.asDevice(device, key);
        JsonNode reply = client.login(name);
        assertEquals("logged_in", reply.path("type").asText(), () -> "login failed: " + reply);
        return client;
    }

    public JsonNode register(String name) {
        this.username = name;
        asDevice(1, null);
        return request(signedRegister(name, identity.keys(), newRecoveryHash()));
    }

    /** Logs in as this client's device ({@link #device}, 1 unless {@link #asDevice} said otherwise). */
    public JsonNode login(String name) {
        this.username = name;
        return request(signedDeviceLogin(name, device, deviceKey(), origin, System.currentTimeMillis()));
    }

    /** Resets {@code name} to a new identity with the recovery code; this client adopts it, as device 1. */
    public JsonNode reset(String name, String code, TestIdentity newIdentity) {
        long timestamp = System.currentTimeMillis();
        byte[] signature = newIdentity.sign(SignedBytes.auth(takeChallenge(), origin, timestamp, Reset.TYPE, name));
        var frame = new Reset(nextId(), name, code, newIdentity.keys(), newRecoveryHash(), newIdentity.firstDeviceList(), origin,
                timestamp, signature);
        this.identity = newIdentity;
        this.username = name;
        asDevice(1, null);
        return request(frame);
    }

    /** A register frame signed over the current challenge, with this identity's first device list; the challenge is then used up. */
    public Register signedRegister(String name, IdentityKeys keys, byte[] recoveryHash) {
        return signedRegister(name, keys, recoveryHash, identity.firstDeviceList());
    }

    /** A register frame carrying {@code deviceList}, for tests of its checks. */
    public Register signedRegister(String name, IdentityKeys keys, byte[] recoveryHash, DeviceList deviceList) {
        long timestamp = System.currentTimeMillis();
        byte[] signature = identity.sign(SignedBytes.auth(takeChallenge(), origin, timestamp, Register.TYPE, name));
        return new Register(nextId(), name, keys, recoveryHash, deviceList, origin, timestamp, signature);
    }

    /** A login of device 1 signed over the current challenge by {@code signer}'s first device key; the challenge is then used up. */
    public Login signedLogin(String name, TestIdentity signer) {
        return signedLogin(name, signer, origin, System.currentTimeMillis());
    }

    /** A login of device 1 signed for {@code signedOrigin} at {@code timestamp}, for tests of those checks. */
    public Login signedLogin(String name, TestIdentity signer, String signedOrigin, long timestamp) {
        return signedDeviceLogin(name, 1, signer.firstDevice(), signedOrigin, timestamp);
    }

    /** A login of {@code deviceId} signed by {@code key} over {@link SignedBytes#deviceAuth}. */
    public Login signedDeviceLogin(String name, int deviceId, TestDeviceKey key, String signedOrigin, long timestamp) {
        byte[] signature = key.sign(SignedBytes.deviceAuth(takeChallenge(), signedOrigin, timestamp, name, deviceId));
        return new Login(nextId(), name, deviceId, signedOrigin, timestamp, signature);
    }

    /**
     * The login of an account from before devices (no device list): device 1, signed by the
     * identity key over the {@code parley-auth-v1} layout.
     */
    public JsonNode identityLogin(String name) {
        this.username = name;
        long timestamp = System.currentTimeMillis();
        byte[] signature = identity.sign(SignedBytes.auth(takeChallenge(), origin, timestamp, Login.TYPE, name));
        return request(new Login(nextId(), name, 1, origin, timestamp, signature));
    }

    /** From now on this client logs in as {@code deviceId} with {@code key} (null: the identity's first device key). */
    public TestClient asDevice(int deviceId, TestDeviceKey key) {
        this.device = deviceId;
        this.deviceKey = key;
        return this;
    }

    public int device() {
        return device;
    }

    public TestDeviceKey deviceKey() {
        return deviceKey != null ? deviceKey : identity.firstDevice();
    }

    /** A new recovery code for this client, as the user would see it; returns the hash a register or reset carries. */
    private byte[] newRecoveryHash() {
        String canonical = RecoveryCodes.generate(RANDOM);
        this.recoveryCode = RecoveryCodes.display(canonical);
        return RecoveryCodes.hash(canonical);
    }

    /** The challenge to sign; an auth frame uses it up, the server sends a new one after a refusal. */
    private byte[] takeChallenge() {
        byte[] nonce = challenge;
        if (nonce == null) {
            throw new IllegalStateException("no challenge: the last one was used and no refusal brought a new one");
        }
        return nonce;
    }

    /** Sends a request record and returns the first frame answering it ({@code re} = its id). */
    public JsonNode request(WireFrame.Request frame) {
        send(frame);
        JsonNode reply = await(f -> frame.id().equals(f.path("re").asText(null)));
        // Failed auth attempts are followed by a fresh challenge; keep it for the next attempt.
        if (isError(reply) && (frame instanceof Register || frame instanceof Login || frame instanceof Reset)) {
            challenge = nextChallenge();
        }
        return reply;
    }

    public void send(WireFrame frame) {
        sendText(FrameCatalogue.encode(frame));
    }

    /** Sends a frame with an {@code id} and returns the first frame answering it ({@code re} = id). */
    public JsonNode request(ObjectNode frame) {
        if (!frame.has("id")) {
            frame.put("id", nextId());
        }
        return request((WireFrame.Request) FrameCatalogue.decode(Direction.CLIENT_TO_SERVER, frame.toString()));
    }

    private static boolean isError(JsonNode frame) {
        return FrameCatalogue.fromServer(frame.path("type").asText()).recordClass()
                == dev.parley.wire.frames.SessionFrames.ErrorFrame.class;
    }

    public void send(ObjectNode frame) {
        sendText(frame.toString());
    }

    public void sendText(String text) {
        socket.sendText(text);
    }

    /** Sends without waiting (the server may close the connection meanwhile). */
    public void sendTextAsync(String text) {
        socket.sendTextAsync(text);
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(bytes);
    }

    /** The next frame of any type. */
    public JsonNode next() {
        return inbox.next();
    }

    public JsonNode poll(Duration timeout) {
        return inbox.poll(timeout);
    }

    /** Skips frames until one matches (within 10 s). */
    public JsonNode await(Predicate<JsonNode> match) {
        return inbox.await(match);
    }

    public JsonNode awaitType(String type) {
        return inbox.awaitType(type);
    }

    /** Frames that arrive within {@code quiet} of each other, until none does. */
    public List<JsonNode> drain(Duration quiet) {
        return inbox.drain(quiet);
    }

    /** Like {@link #drain}, calling {@code onFrame} on each frame as it arrives. */
    public List<JsonNode> drainUntilQuiet(Duration quiet, java.util.function.Consumer<JsonNode> onFrame) {
        return inbox.drainUntilQuiet(quiet, onFrame);
    }

    private byte[] nextChallenge() {
        JsonNode frame = awaitType(Challenge.TYPE);
        return ((Challenge) decodeServerFrame(frame.toString())).nonce();
    }

    /**
     * Sends {@code envelope} to every device of {@code to} (to one's own account: every other
     * device), as the recipient's list was last fetched ({@link #devicesOf}); answered
     * {@code mismatched_devices}, fetches the list again and sends once more under the same id.
     * Returns the server's answer ({@code stored} or an error).
     */
    public JsonNode sendMessage(String to, String messageId, String envelope) {
        return fanOut.sendMessage(to, messageId, envelope);
    }

    /** Sends {@code envelope} (and {@code content}, if not null) to exactly {@code devices} of {@code to}. */
    public JsonNode sendToDevices(String to, String messageId, String content, String envelope, List<Integer> devices) {
        return fanOut.sendToDevices(to, messageId, content, envelope, devices);
    }

    /** The device ids {@code username}'s stored list names, as {@code get_devices} answers. */
    public List<Integer> devicesOf(String username) {
        return fanOut.devicesOf(username);
    }

    /** Acknowledges a {@code relay_message} received as a JSON tree. */
    public void ack(JsonNode relay) {
        var message = (dev.parley.wire.frames.DeliveryFrames.RelayMessage) decodeServerFrame(relay.toString());
        send(new Ack(message.id(), message.from()));
    }

    /**
     * A frame from the server, decoded by the catalogue; {@link AssertionError} when the
     * catalogue refuses it: the server sent something that is not a frame of the protocol.
     */
    public static WireFrame decodeServerFrame(String text) {
        try {
            return FrameCatalogue.decode(Direction.SERVER_TO_CLIENT, text);
        } catch (FrameRefused e) {
            throw new AssertionError("the server sent a frame the catalogue refuses (" + e.code().wireName() + ": "
                    + e.getMessage() + "): " + text, e);
        }
    }

    public boolean isClosed(Duration within) {
        return socket.closeCode(within) != null;
    }

    /** The close status code the server sent (-1 for an abort), or null if still open after {@code within}. */
    public Integer closeCode(Duration within) {
        return socket.closeCode(within);
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
        return WireJson.base64(bytes);
    }

    @Override
    public void close() {
        socket.close();
    }
}
