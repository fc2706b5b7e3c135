package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.frames.AuthFrames.Register;
import dev.parley.wire.frames.SessionFrames.Challenge;
import dev.parley.wire.signed.RecoveryCodes;
import dev.parley.wire.signed.SignedBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client written by hand over a plain {@link Socket}: it reads only when told to,
 * so a test can play a client that never reads its answers. Its receive buffer is small, so
 * the server's writes back up soon.
 */
public final class RawWebSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the upgrade handshake (no Origin header, like a non-browser client). */
    public static RawWebSocket connect(TestServer server) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(10_000);
        var raw = new RawWebSocket(socket);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        raw.out.write(request.getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
        String status = raw.readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        return raw;
    }

    private String readHeaders() throws IOException {
        var head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
    }

    /** Sends one masked text frame. */
    public void sendText(String text) throws IOException {
        out.write(encode(text));
        out.flush();
    }

    /** The bytes of one masked text frame, for tests that write many at once. */
    public static byte[] encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        var frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads the next text frame from the server (server frames are not masked), decoded by the
     * catalogue: a frame it refuses fails the test ({@link TestClient#decodeServerFrame}).
     */
    public JsonNode readText() throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            throw new IOException("closed");
        }
        long length = second & 0x7f;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if ((first & 0x0f) != 1) {
            throw new IOException("expected a text frame, got opcode " + (first & 0x0f));
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        TestClient.decodeServerFrame(text);
        return TestClient.JSON.readTree(text);
    }

    /** Reads the challenge, registers {@code name} with {@code identity}, and reads the answer. */
    public JsonNode register(TestServer server, String name, TestIdentity identity) throws IOException {
        byte[] nonce = ((Challenge) TestClient.decodeServerFrame(readText().toString())).nonce();
        long timestamp = System.currentTimeMillis();
        byte[] signature = identity.sign(SignedBytes.auth(nonce, server.origin(), timestamp, Register.TYPE, name));
        byte[] recoveryHash = RecoveryCodes.hash(RecoveryCodes.generate(RANDOM));
        sendText(FrameCatalogue.encode(new Register(TestClient.nextId(), name, identity.keys(), recoveryHash,
                identity.firstDeviceList(), server.origin(), timestamp, signature)));
        return readText();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
