package dev.parley.server.gateway;

import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An upgrade whose client goes away before the 101 is written never opens a socket; the
 * connection slot its address took at the upgrade must still come back, or a few aborted
 * upgrades would lock the address (and everyone behind the same NAT or proxy) out until the
 * server restarts.
 */
class AbortedUpgradeTest {

    private static final int LIMIT = 4;

    @Test
    void upgradesAbortedByTheClientGiveTheirSlotsBack() throws Exception {
        try (var server = TestServer.start(TestServer.testLimits().withConnectionsPerIp(LIMIT))) {
            for (int i = 0; i < 5 * LIMIT; i++) {
                try (var socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                    socket.getOutputStream().write(upgradeRequest(server.port()));
                    socket.setSoLinger(true, 0); // close with a reset, without reading the answer
                }
            }
            // The server handles the aborted upgrades in its own time: the whole limit must
            // become free again, where without the slots given back it never would.
            Eventually.await(() -> wholeLimitAccepted(server), LIMIT + " upgrades at once accepted after the aborted ones");
            var slots = server.server().metrics().get("parley_connection_slots").gauge();
            Eventually.await(() -> slots.value() == 0, "no slot held once every socket is closed");
        }
    }

    /**
     * A client that reads its 101 and resets at once: the socket fails as it opens (its
     * challenge cannot be written). It must end at once, as a close does; before, Jetty reported
     * only the error and some of these sockets stayed counted open (and in the online users)
     * for minutes.
     */
    @Test
    void socketsResetAsTheyOpenAreNotCountedOpen() throws Exception {
        try (var server = TestServer.start(TestServer.testLimits().withConnectionsPerIp(1000))) {
            for (int i = 0; i < 100; i++) {
                try (var socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                    socket.setSoTimeout(30_000);
                    socket.getOutputStream().write(upgradeRequest(server.port()));
                    ConnectionRaceTest.statusLine(socket.getInputStream());
                    socket.setSoLinger(true, 0);
                }
            }
            var open = server.server().metrics().get("parley_connections").gauge();
            var slots = server.server().metrics().get("parley_connection_slots").gauge();
            Eventually.await(() -> open.value() == 0 && slots.value() == 0, "no socket counted open once all are reset");
        }
    }

    /** Opens {@code LIMIT} sockets at once: true if every upgrade is answered 101. */
    private static boolean wholeLimitAccepted(TestServer server) {
        List<Socket> sockets = new ArrayList<>();
        try {
            boolean all = true;
            for (int i = 0; i < LIMIT; i++) {
                var socket = new Socket();
                sockets.add(socket);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(upgradeRequest(server.port()));
                all &= ConnectionRaceTest.statusLine(socket.getInputStream()).startsWith("HTTP/1.1 101");
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a test socket
                }
            }
        }
    }

    static byte[] upgradeRequest(int port) {
        return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
