package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 200 simultaneous upgrades from one address: exactly the limit (64) are accepted. The TCP
 * connections are opened first and the 200 upgrade requests are then written at once, so they
 * reach the server's check together.
 */
class ConnectionRaceTest {

    private static final int LIMIT = 64;
    private static final int UPGRADES = 200;

    /** The race is one of timing: each round is a fresh chance to lose it. */
    private static final int ROUNDS = 10;

    @Test
    void simultaneousUpgradesFromOneAddressNeverPassTheLimit() throws Exception {
        try (var server = TestServer.start(TestServer.testLimits().withConnectionsPerIp(LIMIT))) {
            for (int round = 0; round < ROUNDS; round++) {
                burst(server);
                // The next round needs every slot back. Open sockets alone do not say so: a
                // socket is counted open only once Jetty has opened it, after the client has
                // read its 101, so a late one may still hold its slot while none is counted.
                var slots = server.server().metrics().get("parley_connection_slots").gauge();
                var open = server.server().metrics().get("parley_connections").gauge();
                Eventually.await(() -> slots.value() == 0 && open.value() == 0, "the round's sockets are closed");
            }
        }
    }

    private static void burst(TestServer server) throws Exception {
        {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < UPGRADES; i++) {
                var socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                socket.setSoTimeout(30_000);
                sockets.add(socket);
            }
            var go = new CountDownLatch(1);
            var accepted = new AtomicInteger();
            var refused = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (Socket socket : sockets) {
                byte[] request = AbortedUpgradeTest.upgradeRequest(server.port());
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        socket.getOutputStream().write(request);
                        String status = statusLine(socket.getInputStream());
                        if (status.startsWith("HTTP/1.1 101")) {
                            accepted.incrementAndGet();
                        } else if (status.startsWith("HTTP/1.1 429")) {
                            refused.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        // counted as neither
                    }
                }));
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            for (Socket socket : sockets) {
                socket.close();
            }
            assertEquals(LIMIT, accepted.get(), "upgrades accepted from one address");
            assertEquals(UPGRADES - LIMIT, refused.get(), "upgrades refused with 429");
        }
    }

    static String statusLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
